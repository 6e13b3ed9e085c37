#ifndef SALESMEET_COMMON_CALENDAR_COST_MODEL_H_
#define SALESMEET_COMMON_CALENDAR_COST_MODEL_H_

// What a meeting costs: its employee attendees' hourly costs times its
// length, in one currency, computed exactly and rounded once to the cent.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/calendar/time_span.h"
#include "google/type/money.pb.h"
#include "salesmeet/scheduling/v1/meeting.pb.h"
#include "salesmeet/scheduling/v1/policy.pb.h"

namespace salesmeet {

// The currency of a meeting that has no employee cost to take one from and
// no conversion table to report in: ISO 4217 "XXX", "no currency involved".
inline constexpr char kNoCurrency[] = "XXX";

// A meeting's cost per hour, exact: billionths (nanos) of the currency
// unit, as google.type.Money counts them. 128 bits so that summing many
// int64-unit hourly costs cannot overflow.
struct MeetingRate {
  std::string currency_code;
  __int128 nanos_per_hour = 0;
};

// A conversion rate salesmeet accepts: finite, from 10^-9 to 10^9 (the
// IDR-to-EUR rate is about 6e-5), so converting any amount stays exact.
bool IsUsableCurrencyRate(double rate);

// Costs meetings the way SchedulingPolicy's currency settings say: in the
// attendees' common currency, or converted to reporting_currency when the
// policy has a conversion table.
class CostModel {
 public:
  // Reads reporting_currency and currency_rates. An empty table means no
  // conversion. A table with a missing or non-ISO reporting currency, a
  // rate that is not a positive finite number, a duplicate currency or the
  // reporting currency itself listed is INVALID_ARGUMENT naming the field
  // ("policy.currency_rates[2].rate"), so a bad stored policy is caught
  // before it misprices every meeting.
  static absl::StatusOr<CostModel> FromPolicy(
      const scheduling::v1::SchedulingPolicy& policy);

  // Sum of the hourly_cost in the snapshot of every EMPLOYEE attendee,
  // required or optional, whatever their response; customer contacts and
  // partners cost nothing, nor does an employee snapshot without an hourly
  // cost. Without a table, employees' costs in different currencies are
  // INVALID_ARGUMENT on "meeting.attendees"; with one, a cost in a currency
  // the table has no rate for is INVALID_ARGUMENT on "meeting.attendees[i]".
  //
  // Currency of the result: reporting_currency when there is a table,
  // otherwise the employees' common currency, otherwise (no employee cost
  // at all) kNoCurrency, at rate zero.
  absl::StatusOr<MeetingRate> RateOf(
      const std::vector<scheduling::v1::Attendee>& attendees) const;

  // rate x length, rounded once to a hundredth of the unit, half away from
  // zero. Amounts too large to compute exactly (past about 4.7e16 units, no
  // real meeting) saturate at the largest Money rather than wrap around.
  google::type::Money Cost(const MeetingRate& rate,
                           absl::Duration length) const;

  // The cost of every occurrence, each at its own length, summed exactly
  // and then rounded once; so it can differ from the sum of the rounded
  // per-occurrence costs by up to a cent per occurrence.
  google::type::Money Total(
      const MeetingRate& rate,
      const std::vector<OccurrenceTime>& occurrences) const;

  // `nanos` of `code` in the reporting currency, exact to the nano (rounded
  // half away from zero); nullopt when the table has no rate for `code` or
  // the result does not fit in 128 bits. Only for a model with a table.
  std::optional<__int128> Convert(const std::string& code,
                                  __int128 nanos) const;

  // The reporting currency, or "" when costs are not converted.
  const std::string& reporting_currency() const { return reporting_currency_; }

 private:
  // One unit of a currency, in reporting-currency units, as the exact
  // decimal the policy's author wrote: significand x 10^exponent.
  struct DecimalRate {
    __int128 significand = 0;
    int exponent = 0;
  };

  CostModel() = default;

  std::string reporting_currency_;  // Empty when there is no table.
  std::map<std::string, DecimalRate> rates_;
};

}  // namespace salesmeet

#endif  // SALESMEET_COMMON_CALENDAR_COST_MODEL_H_
