#include "services/scheduling/booking/meeting_writes.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/calendar/occurrences.h"
#include "common/errors.h"
#include "common/etag.h"
#include "common/field_checks.h"
#include "common/status_macros.h"
#include "services/scheduling/policy/scheduling_policy.h"

namespace salesmeet::scheduling {

absl::StatusOr<std::string> MeetingIdFrom(absl::string_view name,
                                          absl::string_view field) {
  FieldErrors errors;
  std::string id = ParseResourceName(name, "meetings", field, errors);
  RETURN_IF_ERROR(errors.ToStatus());
  return id;
}

absl::StatusOr<v1::Meeting> LoadForWrite(MeetingTransaction& tx,
                                         absl::string_view name,
                                         absl::string_view etag) {
  std::optional<v1::Meeting> meeting;
  ASSIGN_OR_RETURN(meeting, tx.FindMeeting(IdFromName(name)));
  if (!meeting.has_value()) return ResourceNotFoundError(kMeetingType, name);
  RETURN_IF_ERROR(CheckEtag(etag, meeting->etag(), name));
  return *std::move(meeting);
}

absl::Status StateError(absl::string_view reason, const v1::Meeting& meeting,
                        absl::string_view description) {
  return FailedPreconditionError(
      reason, absl::StrCat(meeting.name(), ": ", description),
      {{std::string(reason), meeting.name(), std::string(description)}});
}

absl::Status RequireScheduled(const v1::Meeting& meeting,
                              absl::string_view action) {
  if (meeting.state() == v1::SCHEDULED) return absl::OkStatus();
  return StateError("MEETING_STATE", meeting,
                    absl::StrCat("cannot ", action, " a meeting that is ",
                                 v1::MeetingState_Name(meeting.state())));
}

absl::Status RequireOccurrence(const v1::Meeting& meeting,
                               const Recurrence& series,
                               absl::Time original_start, bool allow_excluded) {
  if (!series.recurring()) {
    return StateError("NOT_RECURRING", meeting,
                      "is a single meeting; change it with UpdateMeeting");
  }
  if (!series.IsOccurrence(original_start, allow_excluded)) {
    return ResourceNotFoundError(
        "salesmeet.scheduling.v1.Occurrence",
        absl::StrCat(meeting.name(), " at ",
                     absl::FormatTime(original_start, absl::UTCTimeZone())));
  }
  return absl::OkStatus();
}

absl::Status RequireLiveOccurrence(const v1::Meeting& meeting,
                                   const Recurrence& series,
                                   absl::Time original_start,
                                   absl::string_view why) {
  RETURN_IF_ERROR(RequireOccurrence(meeting, series, original_start));
  const v1::OccurrenceException* existing =
      FindException(meeting, original_start);
  if (existing != nullptr && existing->cancelled()) {
    return StateError("OCCURRENCE_STATE", meeting, why);
  }
  return absl::OkStatus();
}

v1::OccurrenceException& ExceptionFor(v1::Meeting& meeting,
                                      absl::Time original_start,
                                      absl::Time now) {
  for (v1::OccurrenceException& e : *meeting.mutable_occurrence_exceptions()) {
    if (ToAbslTime(e.original_start_time()) == original_start) {
      *e.mutable_update_time() = ToProtoTime(now);
      return e;
    }
  }
  v1::OccurrenceException* e = meeting.add_occurrence_exceptions();
  *e->mutable_original_start_time() = ToProtoTime(original_start);
  *e->mutable_update_time() = ToProtoTime(now);
  // Kept ordered by original_start_time, as the API promises.
  auto* all = meeting.mutable_occurrence_exceptions();
  std::sort(
      all->begin(), all->end(),
      [](const v1::OccurrenceException& a, const v1::OccurrenceException& b) {
        return ToAbslTime(a.original_start_time()) <
               ToAbslTime(b.original_start_time());
      });
  for (v1::OccurrenceException& found : *all) {
    if (ToAbslTime(found.original_start_time()) == original_start) return found;
  }
  return *e;  // Unreachable: it was just added.
}

void PruneEmptyExceptions(v1::Meeting& meeting) {
  auto* all = meeting.mutable_occurrence_exceptions();
  all->erase(std::remove_if(all->begin(), all->end(),
                            [](const v1::OccurrenceException& e) {
                              return !e.cancelled() && !e.has_start_time() &&
                                     e.responses().empty();
                            }),
             all->end());
}

absl::StatusOr<SavedChange> SaveWithChange(
    MeetingTransaction& tx, v1::Meeting& meeting, const Recurrence& series,
    v1::MeetingChangeType type, absl::Time now,
    std::optional<absl::Time> occurrence, absl::string_view attendee) {
  if (meeting.occurrence_exceptions_size() > kMaxOccurrenceExceptions) {
    return StateError("TOO_MANY_EXCEPTIONS", meeting,
                      "already has 1000 moved, cancelled or separately "
                      "answered occurrences; truncate the series and start a "
                      "new one");
  }
  SavedChange saved;
  // The stored attendees too: one removed by this write loses the meeting
  // from their calendar, so their cached calendar is stale as well.
  std::optional<v1::Meeting> before;
  ASSIGN_OR_RETURN(before, tx.FindMeeting(IdFromName(meeting.name())));
  absl::flat_hash_set<std::string> touched;
  for (const v1::Meeting* m : {before ? &*before : nullptr, &meeting}) {
    if (m == nullptr) continue;
    for (const v1::Attendee& a : m->attendees()) {
      if (touched.insert(a.participant()).second) {
        saved.touched.push_back(a.participant());
      }
    }
  }
  StampWrite(meeting, now);
  RETURN_IF_ERROR(tx.PutMeeting(meeting, IndexOf(meeting, series)));
  v1::MeetingChange change;
  change.set_type(type);
  *change.mutable_meeting() = meeting;
  if (occurrence.has_value()) {
    *change.mutable_original_start_time() = ToProtoTime(*occurrence);
  }
  change.set_attendee(std::string(attendee));
  ASSIGN_OR_RETURN(saved.change, tx.AppendChange(std::move(change), now));
  return saved;
}

void AnnounceCommitted(const CommitListeners& listeners,
                       const SavedChange& saved) {
  if (saved.change.sequence() <= 0) return;
  listeners.feed.Published(saved.change.sequence());
  if (listeners.calendars_changed != nullptr) {
    listeners.calendars_changed->CalendarsChanged(saved.touched);
  }
}

v1::Occurrence ToOccurrenceMessage(const v1::Meeting& meeting,
                                   absl::Time original_start, TimeSpan span,
                                   bool exception, bool moved, bool cancelled) {
  v1::Occurrence out;
  out.set_meeting(meeting.name());
  *out.mutable_original_start_time() = ToProtoTime(original_start);
  *out.mutable_start_time() = ToProtoTime(span.start);
  *out.mutable_end_time() = ToProtoTime(span.end);
  out.set_exception(exception);
  out.set_moved(moved);
  out.set_cancelled(cancelled);
  return out;
}

}  // namespace salesmeet::scheduling
