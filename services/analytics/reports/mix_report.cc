#include "services/analytics/reports/mix_report.h"

#include <vector>

#include "common/errors.h"
#include "common/field_checks.h"
#include "services/analytics/reports/counted_occurrences.h"

namespace salesmeet::analytics {
namespace {

// One slice's figures as they are summed; money is rounded when written.
struct MixSum {
  int occurrences = 0;
  absl::Duration time;
  MoneySum cost;

  void Add(const MixSum& one) {
    occurrences += one.occurrences;
    time += one.time;
    cost += one.cost;
  }
};

// A slice per enum value, indexed by value.
template <typename Enum>
class Slices {
 public:
  Slices(int array_size, bool (*is_valid)(int))
      : sums_(array_size), is_valid_(is_valid) {}

  void Add(Enum value, const MixSum& one) {
    if (value >= 0 && value < static_cast<int>(sums_.size())) {
      sums_[value].Add(one);
    }
  }

  // Calls `write` with every value but the unspecified one (0), in enum
  // order, zeros included.
  template <typename Write>
  void ForEachValue(Write write) const {
    for (int value = 1; value < static_cast<int>(sums_.size()); ++value) {
      if (is_valid_(value)) write(static_cast<Enum>(value), sums_[value]);
    }
  }

 private:
  std::vector<MixSum> sums_;
  bool (*is_valid_)(int);
};

}  // namespace

absl::StatusOr<MixQuery> CheckMixRequest(
    const av1::GetMeetingMixReportRequest& request, absl::Time now) {
  FieldErrors errors;
  MixQuery query;
  query.scope = CheckScope(request.scope(), "scope", now, errors);
  if (!errors.empty()) return errors.ToStatus();
  return query;
}

absl::StatusOr<av1::MeetingMixReport> BuildMixReport(
    const MixQuery& query, const ReportInputs& inputs) {
  Slices<sv1::MeetingPurpose> purposes(sv1::MeetingPurpose_ARRAYSIZE,
                                       &sv1::MeetingPurpose_IsValid);
  Slices<sv1::MeetingFormat> formats(sv1::MeetingFormat_ARRAYSIZE,
                                     &sv1::MeetingFormat_IsValid);
  Slices<sv1::Audience> audiences(sv1::Audience_ARRAYSIZE,
                                  &sv1::Audience_IsValid);
  MixSum single, recurring, totals;

  const ReportCurrency& currency = inputs.currency;
  CountedOccurrences(query.scope, inputs.model.names())
      .ForEach(inputs.model, [&](const CountedOccurrence& counted) {
        const MeetingFacts& meeting = counted.meeting;
        MixSum one;
        one.occurrences = 1;
        one.time = counted.in_range.length();
        for (int i : counted.attendees) {
          currency.AddCost(meeting.attendees()[i].hourly_cost, one.time,
                           one.cost);
        }
        purposes.Add(meeting.purpose(), one);
        formats.Add(meeting.format(), one);
        audiences.Add(meeting.audience(), one);
        (meeting.recurring() ? recurring : single).Add(one);
        totals.Add(one);
      });

  absl::StatusOr<ReportWriter> money = currency.WriterFor(totals.cost);
  if (!money.ok()) return money.status();
  auto fill = [&](const MixSum& sum, av1::MixEntry& entry) {
    entry.set_occurrence_count(sum.occurrences);
    *entry.mutable_meeting_time() = ToProtoDuration(sum.time);
    money->Write(sum.cost, MoneyScale::kCost, entry.mutable_cost(),
                 entry.mutable_cost_by_currency());
    entry.set_occurrence_share(Share(sum.occurrences, totals.occurrences));
    entry.set_time_share(Share(absl::ToDoubleSeconds(sum.time),
                               absl::ToDoubleSeconds(totals.time)));
    entry.set_cost_share(money->ShareOf(sum.cost, totals.cost));
  };

  av1::MeetingMixReport report;
  *report.mutable_freshness() = inputs.freshness;
  purposes.ForEachValue([&](sv1::MeetingPurpose value, const MixSum& sum) {
    av1::MixEntry* entry = report.add_by_purpose();
    entry->set_purpose(value);
    fill(sum, *entry);
  });
  formats.ForEachValue([&](sv1::MeetingFormat value, const MixSum& sum) {
    av1::MixEntry* entry = report.add_by_format();
    entry->set_format(value);
    fill(sum, *entry);
  });
  audiences.ForEachValue([&](sv1::Audience value, const MixSum& sum) {
    av1::MixEntry* entry = report.add_by_audience();
    entry->set_audience(value);
    fill(sum, *entry);
  });
  for (bool is_recurring : {false, true}) {
    av1::MixEntry* entry = report.add_by_recurrence();
    entry->set_recurring(is_recurring);
    fill(is_recurring ? recurring : single, *entry);
  }
  fill(totals, *report.mutable_totals());
  return report;
}

}  // namespace salesmeet::analytics
