#include "services/analytics/reports/cadence_report.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/errors.h"
#include "common/field_checks.h"
#include "services/analytics/reports/report_pages.h"

namespace salesmeet::analytics {
namespace {

namespace pv1 = ::salesmeet::participant::v1;

constexpr char kReport[] = "GetContactCadenceReport";
// How far after evaluation_time a booked contact is looked for.
constexpr absl::Duration kLookAhead = absl::Hours(24 * 366);

// What one pass over the model learns of a contact.
struct ContactHistory {
  const std::string* name = nullptr;
  const pv1::Participant* record = nullptr;
  std::optional<absl::Time> last;
  const std::string* last_meeting = nullptr;
  std::optional<absl::Time> next_scheduled;
  int in_range = 0;
};

std::string CanonicalQuery(const CadenceQuery& query) {
  std::vector<int> statuses(query.statuses.begin(), query.statuses.end());
  std::sort(statuses.begin(), statuses.end());
  statuses.erase(std::unique(statuses.begin(), statuses.end()), statuses.end());
  return absl::StrCat("interval=", absl::ToUnixNanos(query.interval.start), "/",
                      absl::ToUnixNanos(query.interval.end),
                      ";account_owner=", query.account_owner,
                      ";team=", query.team, ";participant=", query.participant,
                      ";statuses=", absl::StrJoin(statuses, ","));
}

// The contacts the filters select, in no particular order.
std::vector<ContactHistory> SelectContacts(const CadenceQuery& query,
                                           const ParticipantsByName& people) {
  std::vector<ContactHistory> contacts;
  for (const auto& [name, record] : people) {
    if (record.kind() != tv1::CUSTOMER_CONTACT || !record.has_customer()) {
      continue;
    }
    const std::string& owner = record.customer().account_owner();
    if (!query.participant.empty() && name != query.participant) continue;
    if (!query.account_owner.empty() && owner != query.account_owner) continue;
    if (!query.team.empty()) {
      auto it = people.find(owner);
      if (it == people.end() || it->second.team() != query.team) continue;
    }
    ContactHistory& contact = contacts.emplace_back();
    contact.name = &name;
    contact.record = &record;
  }
  return contacts;
}

// Fills in every contact's history from one pass over the model.
void ReadHistories(const ReadModel& model, TimeSpan interval,
                   absl::Time evaluation,
                   std::vector<ContactHistory>& contacts) {
  // Contact by NameTable index; contacts the model never saw have no
  // history to find.
  std::vector<int> contact_of_name(model.names().size(), -1);
  for (int i = 0; i < static_cast<int>(contacts.size()); ++i) {
    const int known = model.names().Find(*contacts[i].name);
    if (known >= 0) contact_of_name[known] = i;
  }
  const TimeSpan window{absl::InfinitePast(), evaluation + kLookAhead};
  std::vector<std::pair<int, int>> selected;  // Attendee, contact.
  model.ForEachMeeting([&](const MeetingFacts& meeting) {
    if (!meeting.customer_facing() || meeting.OutsideOf(window)) return;
    if (meeting.state() == sv1::COMPLETED &&
        meeting.outcome() == sv1::NO_SHOW) {
      return;
    }
    selected.clear();
    for (int a = 0; a < static_cast<int>(meeting.attendees().size()); ++a) {
      const int contact = contact_of_name[meeting.attendees()[a].participant];
      if (contact >= 0) selected.emplace_back(a, contact);
    }
    if (selected.empty()) return;
    meeting.ForEachOccurrence(window, [&](const OccurrenceFacts& occurrence) {
      const absl::Time start = occurrence.span.start;
      for (const auto& [attendee, contact] : selected) {
        if (!meeting.Attends(occurrence, attendee)) continue;
        ContactHistory& c = contacts[contact];
        if (start >= evaluation) {
          if (!c.next_scheduled || start < *c.next_scheduled) {
            c.next_scheduled = start;
          }
          continue;
        }
        if (start >= interval.start) ++c.in_range;
        // Ties between meetings starting together go to the first name, so
        // the report does not depend on the model's order.
        if (!c.last || start > *c.last ||
            (start == *c.last && meeting.name() < *c.last_meeting)) {
          c.last = start;
          c.last_meeting = &meeting.name();
        }
      }
    });
  });
}

// The row of one contact, judged at `evaluation`.
av1::ContactCadence Judge(const ContactHistory& c, TimeSpan interval,
                          absl::Time evaluation) {
  const pv1::CustomerProfile& profile = c.record->customer();
  av1::ContactCadence row;
  row.set_participant(*c.name);
  row.set_account(profile.account());
  row.set_lifecycle(profile.lifecycle());
  row.set_account_owner(profile.account_owner());
  const absl::Duration cadence = ToAbslDuration(profile.contact_cadence());
  if (cadence > absl::ZeroDuration()) {
    *row.mutable_cadence() = profile.contact_cadence();
  }
  if (c.next_scheduled) {
    *row.mutable_next_scheduled_time() = ToProtoTime(*c.next_scheduled);
  }
  row.set_contact_count(c.in_range);
  if (!c.last) {
    row.set_status(av1::NEVER_CONTACTED);
    return row;
  }
  *row.mutable_last_contact_time() = ToProtoTime(*c.last);
  row.set_last_contact_meeting(*c.last_meeting);
  if (cadence <= absl::ZeroDuration()) {
    row.set_status(av1::ON_TRACK);
    return row;
  }
  const absl::Time next = *c.last + cadence;
  *row.mutable_next_contact_time() = ToProtoTime(next);
  const absl::Duration judged =
      std::max(absl::ZeroDuration(), evaluation - interval.start);
  if (evaluation > next) {
    row.set_status(av1::OVERDUE);
    absl::Duration rest;
    row.set_days_overdue(static_cast<int32_t>(
        absl::IDivDuration(evaluation - next, absl::Hours(24), &rest)));
  } else if (cadence * c.in_range > 2 * judged) {
    // count > 2 x (judged / cadence), without rounding the division.
    row.set_status(av1::OVER_CONTACTED);
  } else if (next - evaluation <= cadence / 4) {
    row.set_status(av1::DUE_SOON);
  } else {
    row.set_status(av1::ON_TRACK);
  }
  return row;
}

int Rank(av1::CadenceStatus status) {
  switch (status) {
    case av1::OVERDUE:
      return 0;
    case av1::NEVER_CONTACTED:
      return 1;
    case av1::DUE_SOON:
      return 2;
    case av1::OVER_CONTACTED:
      return 3;
    default:
      return 4;
  }
}

bool Before(const av1::ContactCadence& a, const av1::ContactCadence& b) {
  if (a.status() != b.status()) return Rank(a.status()) < Rank(b.status());
  if (a.status() == av1::OVERDUE && a.days_overdue() != b.days_overdue()) {
    return a.days_overdue() > b.days_overdue();
  }
  if (a.status() == av1::DUE_SOON) {
    const absl::Time next_a = ToAbslTime(a.next_contact_time());
    const absl::Time next_b = ToAbslTime(b.next_contact_time());
    if (next_a != next_b) return next_a < next_b;
  }
  return a.participant() < b.participant();
}

void Count(av1::CadenceStatus status, av1::CadenceSummary& summary) {
  switch (status) {
    case av1::OVERDUE:
      summary.set_overdue(summary.overdue() + 1);
      break;
    case av1::DUE_SOON:
      summary.set_due_soon(summary.due_soon() + 1);
      break;
    case av1::OVER_CONTACTED:
      summary.set_over_contacted(summary.over_contacted() + 1);
      break;
    case av1::NEVER_CONTACTED:
      summary.set_never_contacted(summary.never_contacted() + 1);
      break;
    default:
      summary.set_on_track(summary.on_track() + 1);
      break;
  }
}

}  // namespace

absl::StatusOr<CadenceQuery> CheckCadenceRequest(
    const av1::GetContactCadenceReportRequest& request, absl::Time now) {
  FieldErrors errors;
  CadenceQuery query;
  query.interval =
      CheckReportInterval(request.interval(), request.has_interval(),
                          DefaultCadenceInterval(now), "interval", errors);
  CheckNameFilter(request.account_owner(), "participants", "account_owner",
                  errors);
  CheckNameFilter(request.team(), "teams", "team", errors);
  CheckNameFilter(request.participant(), "participants", "participant", errors);
  query.account_owner = request.account_owner();
  query.team = request.team();
  query.participant = request.participant();
  for (int i = 0; i < request.statuses_size(); ++i) {
    const av1::CadenceStatus status = request.statuses(i);
    if (status == av1::CADENCE_STATUS_UNSPECIFIED ||
        !av1::CadenceStatus_IsValid(status)) {
      errors.Add(absl::StrCat("statuses[", i, "]"),
                 "must be a cadence status such as OVERDUE");
    } else {
      query.statuses.push_back(status);
    }
  }
  query.page_size = CheckPageSize(request.page_size(), errors);
  query.page_token = request.page_token();
  if (!errors.empty()) return errors.ToStatus();
  return query;
}

absl::StatusOr<av1::ContactCadenceReport> BuildCadenceReport(
    const CadenceQuery& query, const ReportInputs& inputs) {
  const absl::Time evaluation = std::min(query.interval.end, inputs.now);
  const ParticipantsByName no_people;
  std::vector<ContactHistory> contacts = SelectContacts(
      query, inputs.people != nullptr ? *inputs.people : no_people);
  ReadHistories(inputs.model, query.interval, evaluation, contacts);

  av1::ContactCadenceReport report;
  *report.mutable_freshness() = inputs.freshness;
  *report.mutable_evaluation_time() = ToProtoTime(evaluation);
  std::vector<av1::ContactCadence> rows;
  for (const ContactHistory& contact : contacts) {
    av1::ContactCadence row = Judge(contact, query.interval, evaluation);
    Count(row.status(), *report.mutable_summary());
    if (!query.statuses.empty() &&
        std::find(query.statuses.begin(), query.statuses.end(), row.status()) ==
            query.statuses.end()) {
      continue;
    }
    rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end(), Before);

  absl::StatusOr<PageSlice> page =
      SlicePage(inputs.page_tokens, kReport, CanonicalQuery(query),
                query.page_token, query.page_size, rows.size(), inputs.now);
  if (!page.ok()) return page.status();
  for (size_t i = page->begin; i < page->end; ++i) {
    *report.add_contacts() = std::move(rows[i]);
  }
  report.set_next_page_token(page->next_page_token);
  return report;
}

}  // namespace salesmeet::analytics
