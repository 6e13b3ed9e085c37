#ifndef SALESMEET_SERVICES_ANALYTICS_REPORTS_COUNTED_OCCURRENCES_H_
#define SALESMEET_SERVICES_ANALYTICS_REPORTS_COUNTED_OCCURRENCES_H_

// The occurrences a report counts under AnalyticsService's rules, with who
// attends them, walked once per report so every report counts the same way.

#include <vector>

#include "absl/functional/function_ref.h"
#include "services/analytics/projection/meeting_facts.h"
#include "services/analytics/projection/read_model.h"
#include "services/analytics/reports/report_scope.h"

namespace salesmeet::analytics {

// One occurrence that counts in a report.
struct CountedOccurrence {
  const MeetingFacts& meeting;
  const OccurrenceFacts& occurrence;
  // The part of the occurrence inside the scope's interval; never empty.
  TimeSpan in_range;
  // The attendees (indexes into meeting.attendees()) who attend this
  // occurrence and pass the scope's team and participant filters, in
  // attendee order. Customers and partners are included: they cost nothing
  // (hourly_cost -1) and callers skip them where only employees count.
  const std::vector<int>& attendees;
};

// A scope's name filter (team, organizer, participant) as a NameTable
// index: kAnyone when not set, kNobody when the model has never seen the
// name (so nothing passes), otherwise the name's index.
inline constexpr int kAnyone = -1;
inline constexpr int kNobody = -2;
int NameFilter(const std::string& name, const NameTable& names);

// Walks the counted occurrences of a scope: every occurrence that happens
// (cancellations and moves applied) and overlaps the interval, of a meeting
// that passes the organizer filter. With a team or participant filter, only
// occurrences that a selected attendee attends count. Holds scratch space,
// so one walker serves one report at a time.
class CountedOccurrences {
 public:
  // `scope` must outlive the walker; `names` is the model's NameTable,
  // which the scope's filters are looked up in once.
  CountedOccurrences(const Scope& scope, const NameTable& names);
  CountedOccurrences(const CountedOccurrences&) = delete;
  CountedOccurrences& operator=(const CountedOccurrences&) = delete;

  // Calls `visit` with each counted occurrence of every meeting in `model`.
  // The occurrences of one meeting come one after another, in start order;
  // meetings come in no particular order.
  void ForEach(const ReadModel& model,
               absl::FunctionRef<void(const CountedOccurrence&)> visit);

  // The same for one meeting, for reports that choose meetings themselves.
  void ForEachOf(const MeetingFacts& meeting,
                 absl::FunctionRef<void(const CountedOccurrence&)> visit);

 private:
  void Visit(const OccurrenceFacts& occurrence);
  bool Selected(const AttendeeFacts& attendee) const;

  const Scope& scope_;
  const int organizer_;
  const int team_;
  const int participant_;
  // The meeting being walked and where its occurrences go.
  const MeetingFacts* meeting_ = nullptr;
  const absl::FunctionRef<void(const CountedOccurrence&)>* visit_ = nullptr;
  std::vector<int> attendees_;  // Reused for every occurrence.
};

}  // namespace salesmeet::analytics

#endif  // SALESMEET_SERVICES_ANALYTICS_REPORTS_COUNTED_OCCURRENCES_H_
