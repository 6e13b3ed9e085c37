#include "services/scheduling/booking/meeting_booker.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/calendar/occurrences.h"
#include "common/errors.h"
#include "common/etag.h"
#include "common/field_checks.h"
#include "common/fingerprint.h"
#include "common/status_macros.h"
#include "common/update_mask.h"
#include "services/scheduling/booking/attendee_records.h"
#include "services/scheduling/booking/meeting_validation.h"
#include "services/scheduling/booking/meeting_writes.h"
#include "services/scheduling/booking/verdict_builder.h"
#include "services/scheduling/policy/scheduling_policy.h"

namespace salesmeet::scheduling {
namespace {

const UpdateMaskRules& MeetingMaskRules() {
  static const auto* rules = new UpdateMaskRules{
      {"title", "description", "agenda", "purpose", "format",
       "video_conference", "location", "organizer", "attendees", "start_time",
       "end_time", "time_zone", "recurrence"},
      {{"name", "identifies the meeting and cannot be changed"},
       {"state", "changes only through CancelMeeting and CompleteMeeting"},
       {"outcome", "is set by CompleteMeeting"},
       {"occurrence_exceptions", "changes only through the occurrence methods"},
       {"audience", "is derived from the attendees"},
       {"etag", "is output only; send it in meeting.etag instead"}}};
  return *rules;
}

// The stored meeting and policy a write starts from.
struct Snapshot {
  v1::Meeting meeting;
  v1::SchedulingPolicy policy;
};

absl::StatusOr<v1::SchedulingPolicy> ReadPolicy(MeetingStore& store) {
  v1::SchedulingPolicy policy;
  RETURN_IF_ERROR(store.Read([&](MeetingTransaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(policy, LoadPolicy(tx));
    return absl::OkStatus();
  }));
  return policy;
}

absl::StatusOr<Snapshot> ReadForWrite(MeetingStore& store,
                                      absl::string_view name,
                                      absl::string_view etag) {
  Snapshot snapshot;
  RETURN_IF_ERROR(store.Read([&](MeetingTransaction& tx) -> absl::Status {
    ASSIGN_OR_RETURN(snapshot.meeting, LoadForWrite(tx, name, etag));
    ASSIGN_OR_RETURN(snapshot.policy, LoadPolicy(tx));
    return absl::OkStatus();
  }));
  return snapshot;
}

// Inside the write transaction: the meeting must still be the one the
// proposal was built from, or the proposal is stale.
absl::StatusOr<v1::Meeting> Reload(MeetingTransaction& tx,
                                   const v1::Meeting& read) {
  ASSIGN_OR_RETURN(v1::Meeting current, LoadForWrite(tx, read.name(), ""));
  if (current.etag() != read.etag()) {
    return WithErrorInfo(absl::AbortedError(absl::StrCat(
                             read.name(),
                             " changed while this write was being prepared; "
                             "read it again and retry")),
                         reason::kEtagMismatch);
  }
  return current;
}

// The response a Create with this request_id already gave, or nullopt.
// INVALID_ARGUMENT when the key was used for a different request.
absl::StatusOr<std::optional<v1::CreateMeetingResponse>> Replay(
    MeetingTransaction& tx, const std::string& key,
    const std::string& fingerprint) {
  ASSIGN_OR_RETURN(std::optional<StoredCreateRequest> earlier,
                   tx.FindCreateRequest(key));
  if (!earlier.has_value()) return std::optional<v1::CreateMeetingResponse>();
  if (earlier->fingerprint != fingerprint) {
    return WithErrorInfo(InvalidFieldError("request_id",
                                           "was already used for a different "
                                           "request; use a new request_id"),
                         reason::kRequestIdReused);
  }
  v1::CreateMeetingResponse response;
  if (!response.ParseFromString(earlier->response)) {
    return absl::DataLossError("a stored response does not parse");
  }
  return std::optional<v1::CreateMeetingResponse>(std::move(response));
}

absl::Status CheckMeetingIdFree(MeetingTransaction& tx,
                                const std::string& name) {
  ASSIGN_OR_RETURN(std::optional<v1::Meeting> existing,
                   tx.FindMeeting(IdFromName(name)));
  if (!existing.has_value()) return absl::OkStatus();
  return ResourceExistsError(kMeetingType, name,
                             absl::StrCat(name, " already exists"));
}

absl::StatusOr<absl::Time> RequiredTime(const google::protobuf::Timestamp& t,
                                        absl::string_view field) {
  if (!IsValidTimestamp(t) || (t.seconds() == 0 && t.nanos() == 0)) {
    return InvalidFieldError(field, "is required");
  }
  return ToAbslTime(t);
}

bool SameTiming(const v1::Meeting& a, const v1::Meeting& b) {
  return a.start_time().SerializeAsString() ==
             b.start_time().SerializeAsString() &&
         a.end_time().SerializeAsString() == b.end_time().SerializeAsString() &&
         a.time_zone() == b.time_zone() &&
         a.recurrence().SerializeAsString() ==
             b.recurrence().SerializeAsString();
}

bool SameAttendees(const v1::Meeting& a, const v1::Meeting& b) {
  std::set<std::pair<std::string, bool>> left, right;
  for (const auto& x : a.attendees())
    left.insert({x.participant(), x.optional()});
  for (const auto& x : b.attendees())
    right.insert({x.participant(), x.optional()});
  return left == right;
}

// After a change of timing, exceptions of occurrences the new rule no longer
// produces mean nothing and are dropped; a single meeting keeps none.
void DropOrphanExceptions(v1::Meeting& meeting, const Recurrence& series) {
  auto* all = meeting.mutable_occurrence_exceptions();
  all->erase(std::remove_if(all->begin(), all->end(),
                            [&](const v1::OccurrenceException& e) {
                              return !series.recurring() ||
                                     !series.IsOccurrence(
                                         ToAbslTime(e.original_start_time()),
                                         false);
                            }),
             all->end());
}

// Whether occurrence `original` of the series, at `span`, would overlap
// another of its occurrences (other meetings are the conflict check's).
bool OverlapsOwnSeries(const v1::Meeting& meeting, const Recurrence& series,
                       absl::Time original, TimeSpan span) {
  for (const OccurrenceTime& other : ActiveOccurrences(
           meeting, series,
           {span.start - kMaxMeetingLength, span.end + kMaxMeetingLength})) {
    if (other.original_start != original && other.span.Overlaps(span)) {
      return true;
    }
  }
  return false;
}

// The proposal for moving or restoring one occurrence to `span`: judged on
// that occurrence alone, over a window that reaches it even in the past.
WriteProposal OccurrenceProposal(const v1::Meeting& before,
                                 const v1::Meeting& after,
                                 const Recurrence& series,
                                 const ParticipantsByName& people,
                                 absl::Time original, TimeSpan span,
                                 absl::Time now, absl::Duration horizon,
                                 bool allow_conflicts) {
  WriteProposal proposal;
  proposal.after = &after;
  proposal.after_series = &series;
  proposal.before = &before;
  proposal.before_series = &series;
  proposal.people = &people;
  proposal.window = {std::min(now, span.start),
                     std::max(now + horizon, span.end)};
  proposal.only_occurrence = original;
  proposal.allow_conflicts = allow_conflicts;
  return proposal;
}

// The moved or restored occurrence, as the API returns it.
v1::Occurrence OccurrenceAfter(const v1::Meeting& meeting,
                               const Recurrence& series, absl::Time original) {
  const v1::OccurrenceException* e = FindException(meeting, original);
  TimeSpan span{original, original + series.timing().duration};
  const bool moved = e != nullptr && e->has_start_time();
  if (moved) span = {ToAbslTime(e->start_time()), ToAbslTime(e->end_time())};
  return ToOccurrenceMessage(meeting, original, span, e != nullptr, moved,
                             e != nullptr && e->cancelled());
}

}  // namespace

absl::StatusOr<v1::Verdict> MeetingBooker::JudgeAndCommit(
    const WriteProposal& proposal, v1::Meeting& after, const Recurrence& series,
    v1::MeetingChangeType type, std::optional<absl::Time> occurrence,
    bool validate_only, absl::Time now) {
  v1::Verdict verdict;
  SavedChange saved;
  auto judge = [&](MeetingTransaction& tx) -> absl::Status {
    if (!validate_only) RETURN_IF_ERROR(Reload(tx, *proposal.before).status());
    ASSIGN_OR_RETURN(v1::SchedulingPolicy policy, LoadPolicy(tx));
    ASSIGN_OR_RETURN(Judgement judgement, JudgeProposal(tx, policy, proposal));
    if (!validate_only) {
      RETURN_IF_ERROR(RefusalOf(judgement));
      ASSIGN_OR_RETURN(
          saved, SaveWithChange(tx, after, series, type, now, occurrence));
    }
    verdict = std::move(judgement.verdict);
    return absl::OkStatus();
  };
  RETURN_IF_ERROR(validate_only ? store_.Read(judge) : store_.Write(judge));
  AnnounceCommitted(listeners_, saved);
  return verdict;
}

absl::StatusOr<v1::CreateMeetingResponse> MeetingBooker::Create(
    const v1::CreateMeetingRequest& request, const CallScope& rpc) {
  const absl::Time now = clock_();
  FieldErrors errors;
  CheckRequestId(request.request_id(), "request_id", errors);
  RETURN_IF_ERROR(errors.ToStatus());
  // A retry gets the first answer before anything else is checked or looked
  // up: neither the clock nor a participant service outage may change it.
  const std::string request_key =
      absl::StrCat("CreateMeeting:", request.request_id());
  const std::string fingerprint = Fingerprint(request);
  if (!request.request_id().empty() && !request.validate_only()) {
    std::optional<v1::CreateMeetingResponse> replayed;
    RETURN_IF_ERROR(store_.Read([&](MeetingTransaction& tx) -> absl::Status {
      ASSIGN_OR_RETURN(replayed, Replay(tx, request_key, fingerprint));
      return absl::OkStatus();
    }));
    if (replayed.has_value()) return *std::move(replayed);
  }
  ASSIGN_OR_RETURN(v1::SchedulingPolicy policy, ReadPolicy(store_));
  const absl::Duration horizon = PolicyHorizon(policy);
  if (!request.meeting_id().empty() &&
      !IsValidResourceId(request.meeting_id())) {
    errors.Add("meeting_id",
               "must be 1-63 lowercase letters, digits or hyphens, starting "
               "with a letter and not ending with a hyphen");
  }
  if (!request.has_meeting()) {
    errors.Add("meeting", "is required");
  } else {
    ValidateMeetingFields(request.meeting(), now, horizon, errors);
  }
  RETURN_IF_ERROR(errors.ToStatus());

  v1::Meeting meeting = request.meeting();
  // Output-only fields a client sent are ignored, not trusted.
  for (const char* field :
       {"name", "occurrence_exceptions", "audience", "state", "outcome",
        "deal_value", "outcome_notes", "complete_time", "cancel_reason",
        "cancel_time", "create_time", "update_time", "etag"}) {
    meeting.GetReflection()->ClearField(
        &meeting, meeting.GetDescriptor()->FindFieldByName(field));
  }
  ASSIGN_OR_RETURN(ParticipantsByName people,
                   LookUpAttendees(people_, meeting, nullptr, rpc));
  RETURN_IF_ERROR(BookAttendees(meeting, nullptr, people, now));
  ASSIGN_OR_RETURN(Recurrence series, SeriesOf(meeting, now + horizon));
  meeting.set_state(v1::SCHEDULED);
  if (!request.validate_only()) {
    meeting.set_name(absl::StrCat("meetings/", request.meeting_id().empty()
                                                   ? GenerateResourceId('m')
                                                   : request.meeting_id()));
    *meeting.mutable_create_time() = ToProtoTime(now);
  }

  WriteProposal proposal;
  proposal.after = &meeting;
  proposal.after_series = &series;
  proposal.people = &people;
  proposal.window = {series.timing().start, now + horizon};
  proposal.allow_conflicts = request.allow_conflicts();

  v1::CreateMeetingResponse response;
  if (request.validate_only()) {
    RETURN_IF_ERROR(store_.Read([&](MeetingTransaction& tx) -> absl::Status {
      if (!request.meeting_id().empty()) {
        RETURN_IF_ERROR(CheckMeetingIdFree(
            tx, absl::StrCat("meetings/", request.meeting_id())));
      }
      ASSIGN_OR_RETURN(Judgement judgement,
                       JudgeProposal(tx, policy, proposal));
      *response.mutable_meeting() = meeting;
      *response.mutable_verdict() = std::move(judgement.verdict);
      return absl::OkStatus();
    }));
    return response;
  }

  SavedChange saved;
  RETURN_IF_ERROR(store_.Write([&](MeetingTransaction& tx) -> absl::Status {
    saved = {};  // A replay below committed nothing new.
    if (!request.request_id().empty()) {
      ASSIGN_OR_RETURN(std::optional<v1::CreateMeetingResponse> replayed,
                       Replay(tx, request_key, fingerprint));
      if (replayed.has_value()) {
        response = *std::move(replayed);
        return absl::OkStatus();
      }
    }
    RETURN_IF_ERROR(CheckMeetingIdFree(tx, meeting.name()));
    // The policy may have changed since it was read for validation.
    ASSIGN_OR_RETURN(policy, LoadPolicy(tx));
    ASSIGN_OR_RETURN(Judgement judgement, JudgeProposal(tx, policy, proposal));
    RETURN_IF_ERROR(RefusalOf(judgement));
    ASSIGN_OR_RETURN(
        saved, SaveWithChange(tx, meeting, series, v1::MEETING_CREATED, now));
    *response.mutable_meeting() = meeting;
    *response.mutable_verdict() = std::move(judgement.verdict);
    if (request.request_id().empty()) return absl::OkStatus();
    return tx.PutCreateRequest(
        request_key, {fingerprint, response.SerializeAsString()}, now);
  }));
  AnnounceCommitted(listeners_, saved);
  return response;
}

absl::StatusOr<v1::UpdateMeetingResponse> MeetingBooker::Update(
    const v1::UpdateMeetingRequest& request, const CallScope& rpc) {
  const absl::Time now = clock_();
  const v1::Meeting& patch = request.meeting();
  RETURN_IF_ERROR(MeetingIdFrom(patch.name(), "meeting.name").status());
  ASSIGN_OR_RETURN(
      std::vector<std::string> paths,
      ResolveUpdateMask(request.update_mask(), patch, MeetingMaskRules()));
  ASSIGN_OR_RETURN(Snapshot read,
                   ReadForWrite(store_, patch.name(), patch.etag()));
  const v1::Meeting& before = read.meeting;
  RETURN_IF_ERROR(RequireScheduled(before, "update"));
  const absl::Duration horizon = PolicyHorizon(read.policy);

  v1::Meeting after = before;
  ApplyUpdateMask(paths, patch, &after);
  FieldErrors errors;
  // Only a new start must lie within the horizon: a series that began
  // longer ago than that can still be edited.
  const bool same_start =
      ToAbslTime(after.start_time()) == ToAbslTime(before.start_time());
  ValidateMeetingFields(
      after, now, same_start ? absl::InfiniteDuration() : horizon, errors);
  RETURN_IF_ERROR(errors.ToStatus());
  ASSIGN_OR_RETURN(ParticipantsByName people,
                   LookUpAttendees(people_, after, &before, rpc));
  RETURN_IF_ERROR(BookAttendees(after, &before, people, now));
  ASSIGN_OR_RETURN(Recurrence series, SeriesOf(after, now + horizon));
  const bool timing_changed = !SameTiming(before, after);
  if (timing_changed) DropOrphanExceptions(after, series);
  ASSIGN_OR_RETURN(Recurrence before_series, StoredSeriesOf(before));

  WriteProposal proposal;
  proposal.after = &after;
  proposal.after_series = &series;
  proposal.before = &before;
  proposal.before_series = &before_series;
  proposal.people = &people;
  // A reschedule is judged like a booking, from its start even when that is
  // past (within the horizon); other changes only from now on.
  const absl::Time from =
      timing_changed
          ? std::max(now - horizon, std::min(now, series.timing().start))
          : now;
  proposal.window = {from, now + horizon};
  proposal.check_conflicts = timing_changed || !SameAttendees(before, after);
  proposal.allow_conflicts = request.allow_conflicts();

  v1::UpdateMeetingResponse response;
  ASSIGN_OR_RETURN(*response.mutable_verdict(),
                   JudgeAndCommit(proposal, after, series, v1::MEETING_UPDATED,
                                  std::nullopt, request.validate_only(), now));
  *response.mutable_meeting() = after;
  return response;
}

absl::StatusOr<v1::MoveOccurrenceResponse> MeetingBooker::MoveOccurrence(
    const v1::MoveOccurrenceRequest& request, const CallScope& rpc) {
  const absl::Time now = clock_();
  RETURN_IF_ERROR(MeetingIdFrom(request.name(), "name").status());
  FieldErrors errors;
  absl::StatusOr<absl::Time> original =
      RequiredTime(request.original_start_time(), "original_start_time");
  absl::StatusOr<absl::Time> start =
      RequiredTime(request.start_time(), "start_time");
  absl::StatusOr<absl::Time> end = RequiredTime(request.end_time(), "end_time");
  for (const absl::Status& s :
       {original.status(), start.status(), end.status()}) {
    if (!s.ok()) return s;
  }
  if (*end - *start < kMinMeetingLength || *end - *start > kMaxMeetingLength) {
    return InvalidFieldError("end_time",
                             "must be 5 minutes to 24 hours after start_time");
  }
  ASSIGN_OR_RETURN(Snapshot read,
                   ReadForWrite(store_, request.name(), request.etag()));
  const v1::Meeting& before = read.meeting;
  RETURN_IF_ERROR(RequireScheduled(before, "move an occurrence of"));
  const absl::Duration horizon = PolicyHorizon(read.policy);
  if (*start > now + horizon || *start < now - horizon) {
    return InvalidFieldError("start_time",
                             "must lie within the policy horizon of now");
  }
  // Validated (not just parsed), so the saved index knows where it ends.
  ASSIGN_OR_RETURN(Recurrence series, SeriesOf(before, now + horizon));
  RETURN_IF_ERROR(
      RequireLiveOccurrence(before, series, *original,
                            "that occurrence is cancelled; restore it first"));

  v1::Meeting after = before;
  v1::OccurrenceException& exception = ExceptionFor(after, *original, now);
  if (*start == *original && *end - *start == series.timing().duration) {
    exception.clear_start_time();  // Back where the rule puts it.
    exception.clear_end_time();
  } else {
    *exception.mutable_start_time() = ToProtoTime(*start);
    *exception.mutable_end_time() = ToProtoTime(*end);
  }
  PruneEmptyExceptions(after);
  if (OverlapsOwnSeries(after, series, *original, {*start, *end})) {
    return InvalidFieldError(
        "start_time", "would overlap another occurrence of the same series");
  }
  ASSIGN_OR_RETURN(ParticipantsByName people,
                   LookUpAttendees(people_, after, nullptr, rpc));

  const WriteProposal proposal = OccurrenceProposal(
      before, after, series, people, *original, {*start, *end}, now, horizon,
      request.allow_conflicts());

  v1::MoveOccurrenceResponse response;
  ASSIGN_OR_RETURN(*response.mutable_verdict(),
                   JudgeAndCommit(proposal, after, series, v1::OCCURRENCE_MOVED,
                                  *original, request.validate_only(), now));
  *response.mutable_meeting() = after;
  *response.mutable_occurrence() = OccurrenceAfter(after, series, *original);
  return response;
}

absl::StatusOr<v1::RestoreOccurrenceResponse> MeetingBooker::RestoreOccurrence(
    const v1::RestoreOccurrenceRequest& request, const CallScope& rpc) {
  const absl::Time now = clock_();
  RETURN_IF_ERROR(MeetingIdFrom(request.name(), "name").status());
  ASSIGN_OR_RETURN(
      absl::Time original,
      RequiredTime(request.original_start_time(), "original_start_time"));
  ASSIGN_OR_RETURN(Snapshot read,
                   ReadForWrite(store_, request.name(), request.etag()));
  const v1::Meeting& before = read.meeting;
  RETURN_IF_ERROR(RequireScheduled(before, "restore an occurrence of"));
  const absl::Duration horizon = PolicyHorizon(read.policy);
  ASSIGN_OR_RETURN(Recurrence series, SeriesOf(before, now + horizon));
  RETURN_IF_ERROR(RequireOccurrence(before, series, original));
  const v1::OccurrenceException* existing = FindException(before, original);
  if (existing == nullptr ||
      (!existing->cancelled() && !existing->has_start_time())) {
    return StateError("OCCURRENCE_STATE", before,
                      "that occurrence was neither moved nor cancelled");
  }
  v1::Meeting after = before;
  auto* all = after.mutable_occurrence_exceptions();
  all->erase(std::remove_if(all->begin(), all->end(),
                            [&](const v1::OccurrenceException& e) {
                              return ToAbslTime(e.original_start_time()) ==
                                     original;
                            }),
             all->end());
  if (OverlapsOwnSeries(after, series, original,
                        {original, original + series.timing().duration})) {
    return StateError("OCCURRENCE_STATE", before,
                      "another occurrence of the series was moved to where "
                      "the rule puts this one; move that one first");
  }
  ASSIGN_OR_RETURN(ParticipantsByName people,
                   LookUpAttendees(people_, after, nullptr, rpc));

  const WriteProposal proposal =
      OccurrenceProposal(before, after, series, people, original,
                         {original, original + series.timing().duration}, now,
                         horizon, request.allow_conflicts());

  v1::RestoreOccurrenceResponse response;
  ASSIGN_OR_RETURN(
      *response.mutable_verdict(),
      JudgeAndCommit(proposal, after, series, v1::OCCURRENCE_RESTORED, original,
                     request.validate_only(), now));
  *response.mutable_meeting() = after;
  *response.mutable_occurrence() = OccurrenceAfter(after, series, original);
  return response;
}

}  // namespace salesmeet::scheduling
