#include "services/scheduling/booking/meeting_lifecycle.h"

#include "absl/strings/str_cat.h"
#include "common/calendar/occurrences.h"
#include "common/calendar/recurrence.h"
#include "common/errors.h"
#include "common/field_checks.h"
#include "common/status_macros.h"
#include "services/scheduling/booking/meeting_writes.h"

namespace salesmeet::scheduling {
namespace {

constexpr size_t kMaxNotes = 10000;
constexpr size_t kMaxReason = 500;

absl::StatusOr<absl::Time> OriginalStartFrom(
    const google::protobuf::Timestamp& t) {
  if (!IsValidTimestamp(t) || (t.seconds() == 0 && t.nanos() == 0)) {
    return InvalidFieldError("original_start_time",
                             "is required: the occurrence's start as the "
                             "rule puts it, in UTC");
  }
  return ToAbslTime(t);
}

// When the meeting's last occurrence that still happens starts; nullopt
// for a series without end.
std::optional<absl::Time> LastStart(const v1::Meeting& meeting,
                                    const Recurrence& series) {
  if (!series.last_start().has_value()) return std::nullopt;
  std::vector<OccurrenceTime> all = ActiveOccurrences(
      meeting, series,
      {absl::InfinitePast(), *series.last_start() + absl::Hours(24 * 800)});
  if (all.empty()) return series.timing().start;
  absl::Time last = all.front().span.start;
  for (const OccurrenceTime& o : all) last = std::max(last, o.span.start);
  return last;
}

}  // namespace

absl::StatusOr<v1::Meeting> MeetingLifecycle::Apply(
    absl::string_view name, absl::string_view etag,
    const std::function<absl::StatusOr<Edit>(v1::Meeting&, absl::Time)>&
        change) {
  RETURN_IF_ERROR(MeetingIdFrom(name, "name").status());
  v1::Meeting result;
  SavedChange saved;
  RETURN_IF_ERROR(store_.Write([&](MeetingTransaction& tx) -> absl::Status {
    v1::Meeting meeting;
    ASSIGN_OR_RETURN(meeting, LoadForWrite(tx, name, etag));
    const absl::Time now = clock_();
    Edit edit;
    ASSIGN_OR_RETURN(edit, change(meeting, now));
    ASSIGN_OR_RETURN(Recurrence series, SeriesOf(meeting, now));
    ASSIGN_OR_RETURN(saved, SaveWithChange(tx, meeting, series, edit.type, now,
                                           edit.occurrence, edit.attendee));
    result = std::move(meeting);
    return absl::OkStatus();
  }));
  AnnounceCommitted(listeners_, saved);
  return result;
}

absl::StatusOr<v1::Meeting> MeetingLifecycle::Cancel(
    const v1::CancelMeetingRequest& request) {
  if (Utf8Length(request.reason()) > kMaxReason) {
    return InvalidFieldError("reason", "must be at most 500 characters");
  }
  return Apply(
      request.name(), request.etag(),
      [&](v1::Meeting& meeting, absl::Time now) -> absl::StatusOr<Edit> {
        RETURN_IF_ERROR(RequireScheduled(meeting, "cancel"));
        meeting.set_state(v1::CANCELLED);
        meeting.set_cancel_reason(request.reason());
        *meeting.mutable_cancel_time() = ToProtoTime(now);
        return Edit{v1::MEETING_CANCELLED, std::nullopt, ""};
      });
}

absl::StatusOr<v1::Meeting> MeetingLifecycle::Complete(
    const v1::CompleteMeetingRequest& request) {
  FieldErrors errors;
  const v1::MeetingOutcome outcome = request.outcome();
  if (outcome == v1::MEETING_OUTCOME_UNSPECIFIED ||
      !v1::MeetingOutcome_IsValid(outcome)) {
    errors.Add("outcome", "is required: HELD, NO_SHOW, ADVANCED, WON or LOST");
  }
  if (request.has_deal_value()) {
    if (outcome == v1::HELD || outcome == v1::NO_SHOW) {
      errors.Add("deal_value", "applies only to WON, LOST or ADVANCED");
    } else {
      CheckMoney(request.deal_value(), /*allow_negative=*/false, "deal_value",
                 errors);
    }
  }
  if (Utf8Length(request.notes()) > kMaxNotes) {
    errors.Add("notes", "must be at most 10000 characters");
  }
  RETURN_IF_ERROR(errors.ToStatus());
  return Apply(
      request.name(), request.etag(),
      [&](v1::Meeting& meeting, absl::Time now) -> absl::StatusOr<Edit> {
        if (meeting.state() == v1::CANCELLED) {
          return StateError("MEETING_STATE", meeting,
                            "a cancelled meeting cannot be completed");
        }
        ASSIGN_OR_RETURN(Recurrence series, SeriesOf(meeting, now));
        if (!series.recurring()) {
          if (ToAbslTime(meeting.start_time()) > now) {
            return StateError("NOT_STARTED", meeting,
                              "has not started yet; complete it once it has");
          }
        } else {
          std::optional<absl::Time> last = LastStart(meeting, series);
          if (!last.has_value() || *last > now) {
            return StateError(
                "SERIES_NOT_ENDED", meeting,
                "still has occurrences to come; complete it after its last "
                "occurrence has started, or truncate it first");
          }
        }
        meeting.set_state(v1::COMPLETED);
        meeting.set_outcome(outcome);
        if (request.has_deal_value()) {
          *meeting.mutable_deal_value() = request.deal_value();
        } else {
          meeting.clear_deal_value();
        }
        meeting.set_outcome_notes(request.notes());
        *meeting.mutable_complete_time() = ToProtoTime(now);
        return Edit{v1::MEETING_COMPLETED, std::nullopt, ""};
      });
}

absl::StatusOr<v1::Meeting> MeetingLifecycle::Respond(
    const v1::RespondToMeetingRequest& request) {
  FieldErrors errors;
  ParseResourceName(request.attendee(), "participants", "attendee", errors);
  if (request.response() == v1::RESPONSE_STATUS_UNSPECIFIED ||
      !v1::ResponseStatus_IsValid(request.response())) {
    errors.Add("response",
               "is required: ACCEPTED, DECLINED, TENTATIVE or NEEDS_ACTION");
  }
  if (request.has_original_start_time() &&
      !IsValidTimestamp(request.original_start_time())) {
    errors.Add("original_start_time", "is not a valid time");
  }
  RETURN_IF_ERROR(errors.ToStatus());
  return Apply(
      request.name(), "",
      [&](v1::Meeting& meeting, absl::Time now) -> absl::StatusOr<Edit> {
        RETURN_IF_ERROR(RequireScheduled(meeting, "answer"));
        v1::Attendee* attendee = nullptr;
        for (v1::Attendee& a : *meeting.mutable_attendees()) {
          if (a.participant() == request.attendee()) attendee = &a;
        }
        if (attendee == nullptr) {
          return StateError("NOT_ATTENDEE", meeting,
                            absl::StrCat(request.attendee(),
                                         " is not invited to this meeting"));
        }
        if (!request.has_original_start_time()) {
          attendee->set_response(request.response());
          return Edit{v1::MEETING_RESPONDED, std::nullopt, request.attendee()};
        }
        const absl::Time original = ToAbslTime(request.original_start_time());
        ASSIGN_OR_RETURN(Recurrence series, SeriesOf(meeting, now));
        RETURN_IF_ERROR(RequireLiveOccurrence(meeting, series, original,
                                              "that occurrence is cancelled"));
        v1::OccurrenceException& exception =
            ExceptionFor(meeting, original, now);
        bool replaced = false;
        for (v1::OccurrenceResponse& r : *exception.mutable_responses()) {
          if (r.attendee() == request.attendee()) {
            r.set_response(request.response());
            replaced = true;
          }
        }
        if (!replaced) {
          v1::OccurrenceResponse* r = exception.add_responses();
          r->set_attendee(request.attendee());
          r->set_response(request.response());
        }
        return Edit{v1::MEETING_RESPONDED, original, request.attendee()};
      });
}

absl::StatusOr<v1::Meeting> MeetingLifecycle::CancelOccurrence(
    const v1::CancelOccurrenceRequest& request) {
  absl::Time original;
  ASSIGN_OR_RETURN(original, OriginalStartFrom(request.original_start_time()));
  if (Utf8Length(request.reason()) > kMaxReason) {
    return InvalidFieldError("reason", "must be at most 500 characters");
  }
  return Apply(
      request.name(), request.etag(),
      [&](v1::Meeting& meeting, absl::Time now) -> absl::StatusOr<Edit> {
        RETURN_IF_ERROR(RequireScheduled(meeting, "cancel an occurrence of"));
        ASSIGN_OR_RETURN(Recurrence series, SeriesOf(meeting, now));
        RETURN_IF_ERROR(RequireLiveOccurrence(
            meeting, series, original, "that occurrence is already cancelled"));
        v1::OccurrenceException& exception =
            ExceptionFor(meeting, original, now);
        exception.set_cancelled(true);
        exception.set_cancel_reason(request.reason());
        return Edit{v1::OCCURRENCE_CANCELLED, original, ""};
      });
}

absl::StatusOr<v1::Meeting> MeetingLifecycle::TruncateSeries(
    const v1::TruncateSeriesRequest& request) {
  absl::Time cut;
  ASSIGN_OR_RETURN(cut, OriginalStartFrom(request.original_start_time()));
  return Apply(
      request.name(), request.etag(),
      [&](v1::Meeting& meeting, absl::Time now) -> absl::StatusOr<Edit> {
        RETURN_IF_ERROR(RequireScheduled(meeting, "truncate"));
        ASSIGN_OR_RETURN(Recurrence series, SeriesOf(meeting, now));
        RETURN_IF_ERROR(RequireOccurrence(meeting, series, cut,
                                          /*allow_excluded=*/true));
        if (cut == ToAbslTime(meeting.start_time())) {
          return StateError("FIRST_OCCURRENCE", meeting,
                            "cannot end a series before its first occurrence; "
                            "cancel the meeting instead");
        }
        v1::Recurrence* recurrence = meeting.mutable_recurrence();
        recurrence->set_rrule(TruncatedRule(recurrence->rrule(), cut));
        auto* exdates = recurrence->mutable_exdates();
        exdates->erase(
            std::remove_if(exdates->begin(), exdates->end(),
                           [&](const google::protobuf::Timestamp& t) {
                             return ToAbslTime(t) >= cut;
                           }),
            exdates->end());
        auto* exceptions = meeting.mutable_occurrence_exceptions();
        exceptions->erase(
            std::remove_if(exceptions->begin(), exceptions->end(),
                           [&](const v1::OccurrenceException& e) {
                             return ToAbslTime(e.original_start_time()) >= cut;
                           }),
            exceptions->end());
        return Edit{v1::SERIES_TRUNCATED, cut, ""};
      });
}

}  // namespace salesmeet::scheduling
