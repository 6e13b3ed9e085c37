#ifndef SALESMEET_SERVICES_ANALYTICS_PROJECTION_MEETING_FACTS_H_
#define SALESMEET_SERVICES_ANALYTICS_PROJECTION_MEETING_FACTS_H_

// What the projection keeps of one meeting: the facts reports count, in
// plain structs rather than protos, with its occurrences expanded once when
// the change arrives instead of on every report.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/calendar/recurrence.h"
#include "common/calendar/time_span.h"
#include "google/type/money.pb.h"
#include "salesmeet/scheduling/v1/meeting.pb.h"

namespace salesmeet::analytics {

namespace sv1 = ::salesmeet::scheduling::v1;
namespace tv1 = ::salesmeet::type::v1;

// An amount as booked: its currency and billionths (nanos) of the unit. An
// hourly cost is an amount per hour; a deal value is an amount.
// Kept as google.type.Money holds it, so that no amount can overflow.
struct BookedAmount {
  std::string currency;
  int64_t units = 0;
  int32_t nanos = 0;

  // units x 10^9 + nanos: exact in 128 bits for every amount.
  __int128 total_nanos() const {
    return static_cast<__int128>(units) * 1'000'000'000 + nanos;
  }
  friend bool operator==(const BookedAmount& a, const BookedAmount& b) {
    return a.currency == b.currency && a.units == b.units && a.nanos == b.nanos;
  }
  template <typename H>
  friend H AbslHashValue(H h, const BookedAmount& a) {
    return H::combine(std::move(h), a.currency, a.units, a.nanos);
  }
};

// The distinct amounts the projection has seen, each stored once and named
// by its index, so a report converts a few hundred amounts to its currency
// instead of one per attendee. Indexes never change; the table only grows.
class AmountTable {
 public:
  // The index of `amount`, adding it when new.
  int Intern(const BookedAmount& amount);
  const std::vector<BookedAmount>& amounts() const { return amounts_; }

 private:
  std::vector<BookedAmount> amounts_;
  absl::flat_hash_map<BookedAmount, int> index_;
};

// The resource names the projection has seen (participants, teams), each
// stored once and named by its index: facts hold small integers that
// reports compare and group by without hashing strings. Indexes never
// change; the table only grows.
class NameTable {
 public:
  // The index of `name`, adding it when new.
  int Intern(absl::string_view name);
  // The index of `name`, or -1 when it was never seen.
  int Find(absl::string_view name) const;
  const std::string& operator[](int index) const { return names_[index]; }
  size_t size() const { return names_.size(); }

 private:
  std::vector<std::string> names_;
  absl::flat_hash_map<std::string, int> index_;
};

// One attendee with their snapshot at booking.
struct AttendeeFacts {
  int participant = -1;  // "participants/{id}", in the NameTable.
  tv1::ParticipantKind kind = tv1::PARTICIPANT_KIND_UNSPECIFIED;
  tv1::Role role = tv1::ROLE_UNSPECIFIED;
  int team = -1;  // "teams/{id}" in the NameTable, or -1 for none.
  // Index of the hourly cost in the AmountTable; -1 when they cost nothing
  // (not an employee, or an employee without an hourly cost).
  int hourly_cost = -1;
  // Their answer to the meeting as a whole.
  bool declined = false;

  bool employee() const { return kind == tv1::EMPLOYEE; }
};

// One occurrence that happens (not cancelled), where it happens.
struct OccurrenceFacts {
  absl::Time original_start;
  TimeSpan span;
  // Attendees (by index) whose answer for this occurrence alone overrides
  // their answer to the meeting: true when they declined it. Usually empty,
  // which costs no allocation.
  std::vector<std::pair<int, bool>> declined_overrides;
};

// A meeting as reports see it. Cancelled meetings are not kept.
class MeetingFacts {
 public:
  // How far ahead an endless series is expanded when its change arrives;
  // reports reaching past it expand the series on demand.
  static constexpr absl::Duration kExpansionAhead = absl::Hours(24 * 365 * 2);

  // The facts of `meeting` (not cancelled), as of `now`. Amounts and names
  // are interned in the tables. INVALID_ARGUMENT when the meeting's timing
  // cannot be read (scheduling never sends such a meeting).
  static absl::StatusOr<MeetingFacts> FromMeeting(const sv1::Meeting& meeting,
                                                  absl::Time now,
                                                  AmountTable& amounts,
                                                  NameTable& names);

  const std::string& name() const { return name_; }
  // The organizer's index in the NameTable.
  int organizer() const { return organizer_; }
  sv1::MeetingPurpose purpose() const { return purpose_; }
  sv1::MeetingFormat format() const { return format_; }
  sv1::Audience audience() const { return audience_; }
  sv1::MeetingState state() const { return state_; }
  sv1::MeetingOutcome outcome() const { return outcome_; }
  // Index of the deal value in the AmountTable, -1 when none was given.
  int deal_value() const { return deal_value_; }
  // The start of the first occurrence as booked (Meeting.start_time).
  absl::Time start_time() const { return start_time_; }
  bool recurring() const { return recurring_; }
  bool customer_facing() const { return audience_ == sv1::CUSTOMER_FACING; }
  using Attendees = absl::InlinedVector<AttendeeFacts, 4>;
  const Attendees& attendees() const { return attendees_; }

  // True when no occurrence can overlap `window`: a cheap test before
  // ForEachOccurrence.
  bool OutsideOf(TimeSpan window) const {
    return window.end <= first_start_ ||
           (last_end_.has_value() && *last_end_ <= window.start);
  }

  // Calls `visit` with each occurrence that happens and overlaps `window`,
  // in start order.
  void ForEachOccurrence(
      TimeSpan window,
      const std::function<void(const OccurrenceFacts&)>& visit) const;

  // True when attendee `index` attends `occurrence` (did not decline it).
  bool Attends(const OccurrenceFacts& occurrence, int index) const;

 private:
  MeetingFacts() = default;

  // The occurrences overlapping `window` straight from the rule, for
  // windows past what was expanded when the change arrived.
  absl::InlinedVector<OccurrenceFacts, 1> Expand(TimeSpan window) const;

  std::string name_;
  int organizer_ = -1;
  sv1::MeetingPurpose purpose_ = sv1::MEETING_PURPOSE_UNSPECIFIED;
  sv1::MeetingFormat format_ = sv1::MEETING_FORMAT_UNSPECIFIED;
  sv1::Audience audience_ = sv1::AUDIENCE_UNSPECIFIED;
  sv1::MeetingState state_ = sv1::MEETING_STATE_UNSPECIFIED;
  sv1::MeetingOutcome outcome_ = sv1::MEETING_OUTCOME_UNSPECIFIED;
  int deal_value_ = -1;
  absl::Time start_time_;
  bool recurring_ = false;
  // Kept inline (as are the occurrences of a single meeting), so a report
  // walking the model reads each meeting from one place in memory.
  Attendees attendees_;

  // Span that can hold occurrences: moved ones included; no end for an
  // endless series.
  absl::Time first_start_;
  std::optional<absl::Time> last_end_;
  // Occurrences that happen, by start, up to expanded_until_ (exclusive of
  // occurrences starting at or after it).
  absl::InlinedVector<OccurrenceFacts, 1> occurrences_;
  absl::Time expanded_until_ = absl::InfiniteFuture();
  // Kept only for an endless series, to expand past expanded_until_.
  std::shared_ptr<const sv1::Meeting> source_;
  std::shared_ptr<const Recurrence> series_;
};

}  // namespace salesmeet::analytics

#endif  // SALESMEET_SERVICES_ANALYTICS_PROJECTION_MEETING_FACTS_H_
