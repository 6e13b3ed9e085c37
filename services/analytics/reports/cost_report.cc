#include "services/analytics/reports/cost_report.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "common/calendar/weekly_load.h"
#include "common/errors.h"
#include "common/field_checks.h"
#include "services/analytics/reports/counted_occurrences.h"

namespace salesmeet::analytics {
namespace {

// One group's figures as they are summed; money is rounded when written.
struct GroupSum {
  int meetings = 0;
  int occurrences = 0;
  absl::Duration meeting_time;
  absl::Duration person_time;
  MoneySum cost;
  // The occurrences of a meeting arrive one after another, so the last
  // meeting and occurrence counted are enough to count each once.
  const MeetingFacts* last_meeting = nullptr;
  int64_t last_occurrence = -1;

  // Counts occurrence `serial` of `meeting` unless it already counts here;
  // true when it was new.
  bool Count(const MeetingFacts& meeting, int64_t serial) {
    if (last_occurrence == serial) return false;
    last_occurrence = serial;
    ++occurrences;
    if (last_meeting != &meeting) {
      last_meeting = &meeting;
      ++meetings;
    }
    return true;
  }
};

// The ISO weeks of a zone that a range touches, in order.
struct ReportWeeks {
  std::vector<IsoWeekKey> keys;
  std::vector<absl::Time> starts;

  // The week holding `t`, which must not be before the first week.
  int IndexOf(absl::Time t) const {
    return static_cast<int>(std::upper_bound(starts.begin(), starts.end(), t) -
                            starts.begin()) -
           1;
  }
  absl::Time EndOf(int index) const {
    return index + 1 < static_cast<int>(starts.size()) ? starts[index + 1]
                                                       : absl::InfiniteFuture();
  }
};

ReportWeeks WeeksOf(TimeSpan range, absl::TimeZone zone) {
  ReportWeeks weeks;
  absl::CivilDay monday = absl::PrevWeekday(
      absl::ToCivilDay(range.start, zone) + 1, absl::Weekday::monday);
  for (;; monday += 7) {
    const IsoWeekKey key = IsoWeekOf(monday);
    const absl::Time start = WeekStart(key, zone);
    if (!weeks.starts.empty() && start >= range.end) break;
    weeks.keys.push_back(key);
    weeks.starts.push_back(start);
  }
  return weeks;
}

// The cost as shown, in cents, to order groups by; 0 when costs are per
// currency only, which leaves the order to the keys.
int128 CostCents(const ReportWriter& money, const MoneySum& cost) {
  const std::optional<int128> total = money.Total(cost);
  return total.has_value() ? DivRoundHalfAway(*total, kNanosPerCent * 3600) : 0;
}

bool KeyedByName(av1::CostDimension dimension) {
  return dimension == av1::TEAM || dimension == av1::ORGANIZER ||
         dimension == av1::PARTICIPANT;
}

// Sums a cost report's groups while the counted occurrences are walked.
class CostTally {
 public:
  CostTally(av1::CostDimension group_by, const Scope& scope,
            const ReportCurrency& currency, const NameTable& names)
      : group_by_(group_by), currency_(currency), names_(names) {
    if (KeyedByName(group_by)) slot_of_name_.assign(names.size(), -1);
    if (group_by == av1::ISO_WEEK) {
      weeks_ = WeeksOf(scope.interval, scope.zone);
      groups_.resize(weeks_.keys.size());
    }
  }

  void Add(const CountedOccurrence& counted);
  absl::StatusOr<av1::CostReport> Write() const;

 private:
  // Adds the selected employees' time and cost over `piece` to `group`.
  void AddAttendance(const CountedOccurrence& counted, absl::Duration piece,
                     GroupSum& group) const;
  // The group of a participant or team, by NameTable index (-1: none).
  GroupSum& Keyed(int name);
  const std::string& KeyName(int index) const;
  GroupSum& ByValue(int value);
  void AddByWeek(const CountedOccurrence& counted);
  void SetKey(int index, av1::CostGroup& group) const;
  void Fill(const GroupSum& sum, const ReportWriter& money,
            av1::CostGroup& group) const;

  const av1::CostDimension group_by_;
  const ReportCurrency& currency_;
  int64_t serial_ = -1;
  GroupSum totals_;
  MoneySum internal_cost_;
  MoneySum customer_facing_cost_;
  std::vector<GroupSum> groups_;
  const NameTable& names_;
  std::vector<int> keys_;          // Of keyed groups: their name index.
  std::vector<int> slot_of_name_;  // Name index -> group, or -1.
  int slot_of_no_name_ = -1;
  ReportWeeks weeks_;
};

void CostTally::AddAttendance(const CountedOccurrence& counted,
                              absl::Duration piece, GroupSum& group) const {
  for (int i : counted.attendees) {
    const AttendeeFacts& attendee = counted.meeting.attendees()[i];
    if (!attendee.employee()) continue;
    group.person_time += piece;
    currency_.AddCost(attendee.hourly_cost, piece, group.cost);
  }
}

GroupSum& CostTally::Keyed(int name) {
  int& slot = name < 0 ? slot_of_no_name_ : slot_of_name_[name];
  if (slot < 0) {
    slot = static_cast<int>(groups_.size());
    groups_.emplace_back();
    keys_.push_back(name);
  }
  return groups_[slot];
}

const std::string& CostTally::KeyName(int index) const {
  static const std::string* const kNone = new std::string();
  return keys_[index] < 0 ? *kNone : names_[keys_[index]];
}

GroupSum& CostTally::ByValue(int value) {
  if (value >= static_cast<int>(groups_.size())) groups_.resize(value + 1);
  return groups_[value];
}

void CostTally::Add(const CountedOccurrence& counted) {
  ++serial_;
  const MeetingFacts& meeting = counted.meeting;
  const absl::Duration length = counted.in_range.length();
  totals_.Count(meeting, serial_);
  totals_.meeting_time += length;
  AddAttendance(counted, length, totals_);
  MoneySum& audience_cost =
      meeting.customer_facing() ? customer_facing_cost_ : internal_cost_;
  for (int i : counted.attendees) {
    const AttendeeFacts& attendee = meeting.attendees()[i];
    if (attendee.employee()) {
      currency_.AddCost(attendee.hourly_cost, length, audience_cost);
    }
  }

  GroupSum* whole = nullptr;  // For groupings by meeting.
  switch (group_by_) {
    case av1::TEAM:
    case av1::PARTICIPANT:
      for (int i : counted.attendees) {
        const AttendeeFacts& attendee = meeting.attendees()[i];
        if (!attendee.employee()) continue;
        GroupSum& group = Keyed(group_by_ == av1::TEAM ? attendee.team
                                                       : attendee.participant);
        if (group.Count(meeting, serial_)) group.meeting_time += length;
        group.person_time += length;
        currency_.AddCost(attendee.hourly_cost, length, group.cost);
      }
      return;
    case av1::ISO_WEEK:
      AddByWeek(counted);
      return;
    case av1::ORGANIZER:
      whole = &Keyed(meeting.organizer());
      break;
    case av1::PURPOSE:
      whole = &ByValue(meeting.purpose());
      break;
    case av1::FORMAT:
      whole = &ByValue(meeting.format());
      break;
    case av1::AUDIENCE:
      whole = &ByValue(meeting.audience());
      break;
    default:
      return;
  }
  whole->Count(meeting, serial_);
  whole->meeting_time += length;
  AddAttendance(counted, length, *whole);
}

void CostTally::AddByWeek(const CountedOccurrence& counted) {
  int week = weeks_.IndexOf(counted.in_range.start);
  groups_[week].Count(counted.meeting, serial_);
  for (absl::Time t = counted.in_range.start; t < counted.in_range.end;
       ++week) {
    const absl::Time end = std::min(weeks_.EndOf(week), counted.in_range.end);
    groups_[week].meeting_time += end - t;
    AddAttendance(counted, end - t, groups_[week]);
    t = end;
  }
}

void CostTally::SetKey(int index, av1::CostGroup& group) const {
  switch (group_by_) {
    case av1::TEAM:
      group.set_team(KeyName(index));
      break;
    case av1::ORGANIZER:
      group.set_organizer(KeyName(index));
      break;
    case av1::PARTICIPANT:
      group.set_participant(KeyName(index));
      break;
    case av1::PURPOSE:
      group.set_purpose(static_cast<sv1::MeetingPurpose>(index));
      break;
    case av1::FORMAT:
      group.set_format(static_cast<sv1::MeetingFormat>(index));
      break;
    case av1::AUDIENCE:
      group.set_audience(static_cast<sv1::Audience>(index));
      break;
    case av1::ISO_WEEK:
      group.mutable_iso_week()->set_year(weeks_.keys[index].year);
      group.mutable_iso_week()->set_week(weeks_.keys[index].week);
      break;
    default:
      break;
  }
}

void CostTally::Fill(const GroupSum& sum, const ReportWriter& money,
                     av1::CostGroup& group) const {
  group.set_meeting_count(sum.meetings);
  group.set_occurrence_count(sum.occurrences);
  *group.mutable_meeting_time() = ToProtoDuration(sum.meeting_time);
  *group.mutable_person_time() = ToProtoDuration(sum.person_time);
  money.Write(sum.cost, MoneyScale::kCost, group.mutable_cost(),
              group.mutable_cost_by_currency());
  group.set_cost_share(money.ShareOf(sum.cost, totals_.cost));
}

absl::StatusOr<av1::CostReport> CostTally::Write() const {
  absl::StatusOr<ReportWriter> money = currency_.WriterFor(totals_.cost);
  if (!money.ok()) return money.status();
  av1::CostReport report;
  report.set_group_by(group_by_);
  std::vector<int> order;
  std::vector<int128> cents(groups_.size());
  for (int i = 0; i < static_cast<int>(groups_.size()); ++i) {
    // Every week is listed; other groups only when something counted.
    if (group_by_ != av1::ISO_WEEK && groups_[i].occurrences == 0) continue;
    order.push_back(i);
    cents[i] = CostCents(*money, groups_[i].cost);
  }
  if (group_by_ != av1::ISO_WEEK) {
    // By the cost shown, highest first, then by key; by key alone when
    // costs are per currency only.
    const bool by_name = KeyedByName(group_by_);
    std::sort(order.begin(), order.end(), [&](int a, int b) {
      if (cents[a] != cents[b]) return cents[a] > cents[b];
      return by_name ? KeyName(a) < KeyName(b) : a < b;
    });
  }
  for (int i : order) {
    av1::CostGroup* group = report.add_groups();
    SetKey(i, *group);
    Fill(groups_[i], *money, *group);
  }
  Fill(totals_, *money, *report.mutable_totals());
  money->Write(internal_cost_, MoneyScale::kCost,
               report.mutable_internal_cost(),
               report.mutable_internal_cost_by_currency());
  money->Write(customer_facing_cost_, MoneyScale::kCost,
               report.mutable_customer_facing_cost(),
               report.mutable_customer_facing_cost_by_currency());
  report.set_internal_cost_share(money->ShareOf(internal_cost_, totals_.cost));
  report.set_customer_facing_cost_share(
      money->ShareOf(customer_facing_cost_, totals_.cost));
  return report;
}

}  // namespace

absl::StatusOr<CostQuery> CheckCostRequest(
    const av1::GetCostReportRequest& request, absl::Time now) {
  FieldErrors errors;
  CostQuery query;
  query.scope = CheckScope(request.scope(), "scope", now, errors);
  if (request.group_by() == av1::COST_DIMENSION_UNSPECIFIED ||
      !av1::CostDimension_IsValid(request.group_by())) {
    errors.Add("group_by",
               "is required: TEAM, ORGANIZER, PURPOSE, FORMAT, AUDIENCE, "
               "ISO_WEEK or PARTICIPANT");
  }
  if (!errors.empty()) return errors.ToStatus();
  query.group_by = request.group_by();
  return query;
}

absl::StatusOr<av1::CostReport> BuildCostReport(const CostQuery& query,
                                                const ReportInputs& inputs) {
  const NameTable& names = inputs.model.names();
  CostTally tally(query.group_by, query.scope, inputs.currency, names);
  CountedOccurrences(query.scope, names)
      .ForEach(inputs.model,
               [&](const CountedOccurrence& counted) { tally.Add(counted); });
  absl::StatusOr<av1::CostReport> report = tally.Write();
  if (report.ok()) *report->mutable_freshness() = inputs.freshness;
  return report;
}

}  // namespace salesmeet::analytics
