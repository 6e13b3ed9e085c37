#include "services/analytics/load_report.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/field_checks.h"
#include "services/analytics/person_load.h"
#include "services/analytics/report_pages.h"

namespace salesmeet::analytics {
namespace {

constexpr char kReport[] = "GetMeetingLoadReport";
constexpr absl::Duration kDefaultFocusBlock = absl::Hours(2);
constexpr absl::Duration kShortestFocusBlock = absl::Minutes(30);
constexpr absl::Duration kLongestFocusBlock = absl::Hours(8);

// Every request field but page size and token, for sealing page tokens.
std::string CanonicalQuery(const LoadQuery& query) {
  const Scope& scope = query.scope;
  return absl::StrCat(
      "interval=", absl::ToUnixNanos(scope.interval.start), "/",
      absl::ToUnixNanos(scope.interval.end), ";team=", scope.team,
      ";organizer=", scope.organizer, ";participant=", scope.participant,
      ";time_zone=", scope.zone.name(),
      ";focus=", absl::ToInt64Nanoseconds(query.focus_block_minimum));
}

// The occurrences each employee attends, gathered in one pass.
struct Attendance {
  std::string name;
  std::vector<TimeSpan> spans;
  bool in_range = false;  // Attends a counted occurrence in the range.
};

// People by name, each looked up once per meeting rather than per
// occurrence.
struct AttendanceByName {
  absl::flat_hash_map<std::string, int> index;
  std::vector<Attendance> people;

  int IndexOf(absl::string_view name) {
    auto [it, added] = index.try_emplace(name, people.size());
    if (added) people.emplace_back().name = std::string(name);
    return it->second;
  }
  Attendance& operator[](absl::string_view name) {
    return people[IndexOf(name)];
  }
};

// Attendance of the attendees the scope selects.
AttendanceByName CollectAttendance(const ReadModel& model, const Scope& scope) {
  const TimeSpan window = LoadCollectionWindow(scope.interval);
  AttendanceByName by_name;
  std::vector<std::pair<int, int>> selected;  // Attendee, person.
  model.ForEachMeeting([&](const MeetingFacts& meeting) {
    if (!scope.organizer.empty() && meeting.organizer() != scope.organizer) {
      return;
    }
    if (meeting.OutsideOf(window)) return;
    selected.clear();
    const std::vector<AttendeeFacts>& attendees = meeting.attendees();
    for (int i = 0; i < static_cast<int>(attendees.size()); ++i) {
      const AttendeeFacts& a = attendees[i];
      if (!a.employee()) continue;
      if (!scope.team.empty() && a.team != scope.team) continue;
      if (!scope.participant.empty() && a.participant != scope.participant) {
        continue;
      }
      selected.emplace_back(i, by_name.IndexOf(a.participant));
    }
    if (selected.empty()) return;
    meeting.ForEachOccurrence(window, [&](const OccurrenceFacts& occurrence) {
      const bool in_range = occurrence.span.Overlaps(scope.interval);
      for (const auto& [index, person] : selected) {
        if (!meeting.Attends(occurrence, index)) continue;
        Attendance& attendance = by_name.people[person];
        attendance.spans.push_back(occurrence.span);
        attendance.in_range |= in_range;
      }
    });
  });
  return by_name;
}

}  // namespace

absl::StatusOr<LoadQuery> CheckLoadRequest(
    const av1::GetMeetingLoadReportRequest& request) {
  FieldErrors errors;
  LoadQuery query;
  query.scope =
      CheckScope(request.scope(), request.has_scope(), "scope", errors);
  query.focus_block_minimum = kDefaultFocusBlock;
  if (request.has_focus_block_minimum()) {
    query.focus_block_minimum = ToAbslDuration(request.focus_block_minimum());
    if (query.focus_block_minimum < kShortestFocusBlock ||
        query.focus_block_minimum > kLongestFocusBlock) {
      errors.Add("focus_block_minimum", "must be 30 minutes to 8 hours");
    }
  }
  query.page_size = CheckPageSize(request.page_size(), errors);
  query.page_token = request.page_token();
  if (!errors.empty()) return errors.ToStatus();
  return query;
}

absl::StatusOr<av1::MeetingLoadReport> BuildLoadReport(
    const LoadQuery& query, const ReportInputs& inputs) {
  const Scope& scope = query.scope;
  const scheduling::ParticipantsByName no_people;
  const scheduling::ParticipantsByName& people =
      inputs.people != nullptr ? *inputs.people : no_people;
  auto record_of = [&](absl::string_view name) -> const pv1::Participant* {
    auto it = people.find(name);
    return it == people.end() ? nullptr : &it->second;
  };

  AttendanceByName attendance = CollectAttendance(inputs.model, scope);
  // A participant filter lists that employee even without meetings.
  if (!scope.participant.empty()) {
    const pv1::Participant* record = record_of(scope.participant);
    if (record != nullptr && record->kind() == tv1::EMPLOYEE &&
        (scope.team.empty() || record->team() == scope.team)) {
      attendance[scope.participant].in_range = true;
    }
  }

  LoadCalculator calculator(scope.interval, query.focus_block_minimum);
  std::vector<PersonLoad> rows;
  for (Attendance& person : attendance.people) {
    if (!person.in_range) continue;
    rows.push_back(calculator.Compute(person.name, record_of(person.name),
                                      std::move(person.spans)));
  }
  std::sort(rows.begin(), rows.end(),
            [](const PersonLoad& a, const PersonLoad& b) {
              if (a.over_budget != b.over_budget) {
                return a.over_budget > b.over_budget;
              }
              if (a.row.meeting_share() != b.row.meeting_share()) {
                return a.row.meeting_share() > b.row.meeting_share();
              }
              return a.row.participant() < b.row.participant();
            });

  absl::StatusOr<PageSlice> page =
      SlicePage(inputs.page_tokens, kReport, CanonicalQuery(query),
                query.page_token, query.page_size, rows.size(), inputs.now);
  if (!page.ok()) return page.status();

  av1::MeetingLoadReport report;
  *report.mutable_freshness() = inputs.freshness;
  for (size_t i = page->begin; i < page->end; ++i) {
    *report.add_participants() = std::move(rows[i].row);
  }
  report.set_next_page_token(page->next_page_token);
  report.set_total_size(static_cast<int>(rows.size()));
  return report;
}

}  // namespace salesmeet::analytics
