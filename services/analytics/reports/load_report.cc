#include "services/analytics/reports/load_report.h"

#include <algorithm>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "common/errors.h"
#include "common/field_checks.h"
#include "services/analytics/reports/counted_occurrences.h"
#include "services/analytics/reports/person_load.h"
#include "services/analytics/reports/report_pages.h"

namespace salesmeet::analytics {
namespace {

constexpr char kReport[] = "GetMeetingLoadReport";
constexpr absl::Duration kDefaultFocusBlock = absl::Hours(2);
constexpr absl::Duration kShortestFocusBlock = absl::Minutes(30);
constexpr absl::Duration kLongestFocusBlock = absl::Hours(8);
// Below this many rows a second thread costs more than it saves.
constexpr size_t kRowsWorthAThread = 64;

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
  std::vector<SpanSeconds> spans;
  bool in_range = false;  // Attends a counted occurrence in the range.
};

// People by their NameTable index, each looked up once per meeting rather
// than per occurrence; people the model has never seen (a participant
// filter without meetings) by name.
struct AttendanceByName {
  explicit AttendanceByName(const NameTable& names)
      : names(names), slot_of_name(names.size(), -1) {}

  const NameTable& names;
  std::vector<int> slot_of_name;
  absl::flat_hash_map<std::string, int> unseen;
  std::vector<Attendance> people;

  int IndexOf(int name) {
    int& slot = slot_of_name[name];
    if (slot < 0) {
      slot = static_cast<int>(people.size());
      people.emplace_back().name = names[name];
    }
    return slot;
  }
  Attendance& operator[](absl::string_view name) {
    if (const int known = names.Find(name); known >= 0) {
      return people[IndexOf(known)];
    }
    auto [it, added] = unseen.try_emplace(name, people.size());
    if (added) people.emplace_back().name = std::string(name);
    return people[it->second];
  }
};

// Attendance of the attendees the scope selects.
AttendanceByName CollectAttendance(const ReadModel& model, const Scope& scope) {
  const TimeSpan window = LoadCollectionWindow(scope.interval);
  AttendanceByName by_name(model.names());
  const int organizer = NameFilter(scope.organizer, model.names());
  const int team = NameFilter(scope.team, model.names());
  const int participant = NameFilter(scope.participant, model.names());
  std::vector<std::pair<int, int>> selected;  // Attendee, person.
  model.ForEachMeeting([&](const MeetingFacts& meeting) {
    if (organizer != kAnyone && meeting.organizer() != organizer) return;
    if (meeting.OutsideOf(window)) return;
    selected.clear();
    const MeetingFacts::Attendees& attendees = meeting.attendees();
    for (int i = 0; i < static_cast<int>(attendees.size()); ++i) {
      const AttendeeFacts& a = attendees[i];
      if (!a.employee()) continue;
      if (team != kAnyone && a.team != team) continue;
      if (participant != kAnyone && a.participant != participant) continue;
      selected.emplace_back(i, by_name.IndexOf(a.participant));
    }
    if (selected.empty()) return;
    meeting.ForEachOccurrence(window, [&](const OccurrenceFacts& occurrence) {
      const bool in_range = occurrence.span.Overlaps(scope.interval);
      for (const auto& [index, person] : selected) {
        if (!meeting.Attends(occurrence, index)) continue;
        Attendance& attendance = by_name.people[person];
        attendance.spans.push_back({absl::ToUnixSeconds(occurrence.span.start),
                                    absl::ToUnixSeconds(occurrence.span.end)});
        attendance.in_range |= in_range;
      }
    });
  });
  return by_name;
}

}  // namespace

absl::StatusOr<LoadQuery> CheckLoadRequest(
    const av1::GetMeetingLoadReportRequest& request, absl::Time now) {
  FieldErrors errors;
  LoadQuery query;
  query.scope = CheckScope(request.scope(), "scope", now, errors);
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
  const ParticipantsByName no_people;
  const ParticipantsByName& people =
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

  std::vector<Attendance*> listed;
  for (Attendance& person : attendance.people) {
    if (person.in_range) listed.push_back(&person);
  }
  // Rows are independent: the second half is computed on another thread,
  // which halves the report's latency on a machine with a spare core.
  std::vector<PersonLoad> rows(listed.size());
  auto compute = [&](size_t begin, size_t end) {
    LoadCalculator calculator(scope.interval, query.focus_block_minimum);
    for (size_t i = begin; i < end; ++i) {
      rows[i] = calculator.Compute(listed[i]->name, record_of(listed[i]->name),
                                   std::move(listed[i]->spans));
    }
  };
  const size_t half = listed.size() / 2;
  if (listed.size() >= kRowsWorthAThread) {
    std::thread helper(compute, half, listed.size());
    compute(0, half);
    helper.join();
  } else {
    compute(0, listed.size());
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
