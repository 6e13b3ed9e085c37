"""Valid requests for the hostile-input battery (hostile_inputs_e2e_test.py)
to make hostile one field at a time, built on a small seeded organisation.

A hostile value only tests the check for it when everything else in the
request is right: against an empty request a server may refuse the first
missing field and never look at the hostile one. So each method has a
baseline here, a request that succeeds, and BaselineBook keeps it usable:
requests with ids that must be unique are built anew for every call, a
resource a successful call uses up (a deleted team, a cancelled meeting) is
replaced, and a successful change of the scheduling policy is undone.

A method without a baseline here is still attacked, from the empty request;
its findings are tagged "[no baseline]", a hint to add one.

"world" (w for short) is the test class: its stubs, its fixture helpers
(hire, create_team, create) and what seed() stored on it.
"""

import dataclasses
import itertools

from google.protobuf import duration_pb2
from google.protobuf import field_mask_pb2
from google.type import timeofday_pb2
from salesmeet.analytics.v1 import analytics_service_pb2 as asv
from salesmeet.analytics.v1 import reports_pb2
from salesmeet.participant.v1 import participant_pb2
from salesmeet.participant.v1 import participant_service_pb2 as ps
from salesmeet.scheduling.v1 import calendar_pb2
from salesmeet.scheduling.v1 import change_pb2
from salesmeet.scheduling.v1 import meeting_pb2
from salesmeet.scheduling.v1 import policy_pb2
from salesmeet.scheduling.v1 import scheduling_service_pb2 as ss
from salesmeet.scheduling.v1 import vocabulary_pb2 as vocab
from salesmeet.type.v1 import people_pb2
from salesmeet.type.v1 import time_pb2

from analytics_fixtures import nine_to_five
from harness import RPC_TIMEOUT
from scheduling_fixtures import (DAY, HOUR, MINUTE, WEEK, interval, meeting,
                                 money, monday_utc, ts, video)


# -- keeping a valid request per method ---------------------------------------

@dataclasses.dataclass
class Baseline:
    """How to build a valid request of one method on the seeded world.

    fresh: build anew for every call (it carries ids that must be unique).
    consumed: a successful call uses its resource up (deletes, cancels), so
    build anew after one. after_success: undo what a successful call changed
    for everyone (the scheduling policy). valid: the request must succeed
    unchanged; false for the empty request of a method without a baseline."""
    build: object
    label: str = ""
    fresh: bool = False
    consumed: bool = False
    after_success: object = None
    valid: bool = True


class BaselineBook:
    """The current valid request of each method, rebuilt when used up."""

    def __init__(self, world, table):
        self.world = world
        self.table = table
        self._current = {}

    def for_method(self, method):
        """The method's Baselines; the empty request for a method nobody has
        written one for yet, so new RPCs are still attacked."""
        if method.path not in self.table:
            self.table[method.path] = [Baseline(
                lambda world, cls=method.request_class: cls(), "no baseline",
                valid=False)]
        return self.table[method.path]

    def request(self, baseline):
        key = id(baseline)
        if baseline.fresh or key not in self._current:
            self._current[key] = baseline.build(self.world)
        return self._current[key]

    def succeeded(self, baseline):
        if baseline.consumed:
            self._current.pop(id(baseline), None)
        if baseline.after_success:
            baseline.after_success(self.world)


_unique = itertools.count(1)


def unique(stem):
    return f"{stem}-{next(_unique)}"


def duration(seconds):
    return duration_pb2.Duration(seconds=seconds)


def time_of_day(hours):
    return timeofday_pb2.TimeOfDay(hours=hours)


# -- the world ----------------------------------------------------------------

def seed(world):
    """Stores on world the organisation every baseline is built on: a team
    with a sales rep, a developer and a customer contact of the rep's, a
    victim for updates in a team of its own, and the rep's single meeting,
    series, series with a cancelled occurrence and a meeting last week (to
    complete), all with the developer. Meetings lie from Monday in two
    weeks (world.monday), on the pinned clock."""
    world.monday = monday_utc(2)
    world.team = world.create_team("Hostile Sales")
    world.victim_team = world.create_team("Victims")
    world.rep = world.hire(team=world.team, stem="rep")
    world.colleague = world.hire(role=people_pb2.DEVELOPER, stem="dev")
    world.contact = world.hire_contact(world.rep)
    world.victim = world.hire(team=world.victim_team, stem="victim")
    world.single = book(world, world.monday + 10 * HOUR)
    world.series_start = world.monday + DAY + 10 * HOUR
    world.series = book(world, world.series_start, rrule="FREQ=WEEKLY;COUNT=10")
    world.restorable_start = world.monday + 2 * DAY + 9 * HOUR
    world.restorable = book(world, world.restorable_start,
                            rrule="FREQ=WEEKLY;COUNT=5")
    world.stub.CancelOccurrence(ss.CancelOccurrenceRequest(
        name=world.restorable,
        original_start_time=ts(world.restorable_start + WEEK)),
        timeout=RPC_TIMEOUT)
    world.past = book(world, monday_utc(-1) + 10 * HOUR)


# -- participant service ------------------------------------------------------

def employee_request(w):
    n = unique("hostile")
    return ps.CreateParticipantRequest(
        participant=participant_pb2.Participant(
            display_name="Hostile Hire", email=f"{n}@sales.example",
            kind=people_pb2.EMPLOYEE, role=people_pb2.SALES_REP, team=w.team,
            time_zone="Europe/Rome", hourly_cost=money(85),
            weekly_meeting_budget=duration(10 * HOUR),
            working_hours=nine_to_five(),
            time_off=[time_pb2.TimeOff(
                interval=interval(w.monday + 3 * WEEK, w.monday + 4 * WEEK),
                reason="Annual leave")]),
        participant_id=n, request_id=f"req-{n}")


def contact_request(w):
    n = unique("hostile-contact")
    return ps.CreateParticipantRequest(
        participant=participant_pb2.Participant(
            display_name="Hostile Contact", email=f"{n}@customer.example",
            kind=people_pb2.CUSTOMER_CONTACT, time_zone="America/New_York",
            customer=participant_pb2.CustomerProfile(
                account="Acme GmbH", lifecycle=people_pb2.PROSPECT,
                account_owner=w.rep, contact_cadence=duration(14 * DAY))),
        participant_id=n, request_id=f"req-{n}")


def update_participant_request(w):
    # An empty update_mask changes every field that is set, so each hostile
    # value reaches the validation.
    return ps.UpdateParticipantRequest(participant=participant_pb2.Participant(
        name=w.victim, display_name="Victim Renamed", role=people_pb2.SALES_REP,
        team=w.victim_team, time_zone="Europe/Rome", hourly_cost=money(90),
        weekly_meeting_budget=duration(12 * HOUR), working_hours=nine_to_five(),
        time_off=[time_pb2.TimeOff(
            interval=interval(w.monday + 5 * WEEK, w.monday + 6 * WEEK),
            reason="Parental leave")]))


def team_request(w):
    n = unique("hostile-team")
    return ps.CreateTeamRequest(
        team=participant_pb2.Team(display_name="Hostile Team",
                                  description="Sells hard", manager=w.rep),
        team_id=n, request_id=f"req-{n}")


def participant_baselines(prefix="/salesmeet.participant.v1.ParticipantService/"):
    return {prefix + name: entries for name, entries in {
        "CreateParticipant": [
            Baseline(employee_request, "employee", fresh=True),
            Baseline(contact_request, "customer contact", fresh=True)],
        "GetParticipant": [Baseline(
            lambda w: ps.GetParticipantRequest(name=w.rep))],
        "BatchGetParticipants": [Baseline(
            lambda w: ps.BatchGetParticipantsRequest(names=[w.rep, w.colleague]))],
        "ListParticipants": [Baseline(lambda w: ps.ListParticipantsRequest(
            page_size=10, filter=f'kind = EMPLOYEE AND team = "{w.team}"'))],
        "UpdateParticipant": [Baseline(update_participant_request)],
        "DeleteParticipant": [Baseline(
            lambda w: ps.DeleteParticipantRequest(name=w.hire(stem="doomed")),
            consumed=True)],
        "CreateTeam": [Baseline(team_request, fresh=True)],
        "GetTeam": [Baseline(lambda w: ps.GetTeamRequest(name=w.team))],
        "ListTeams": [Baseline(lambda w: ps.ListTeamsRequest(
            page_size=10, filter=f'manager = "{w.rep}"'))],
        "UpdateTeam": [Baseline(lambda w: ps.UpdateTeamRequest(
            team=participant_pb2.Team(name=w.victim_team,
                                      display_name="Victims United",
                                      description="Renamed", manager=w.rep)))],
        "DeleteTeam": [Baseline(
            lambda w: ps.DeleteTeamRequest(name=w.create_team("Doomed Team")),
            consumed=True)],
    }.items()}


# -- scheduling service -------------------------------------------------------

def pitch(w, start, rrule="FREQ=WEEKLY;COUNT=4"):
    """A customer pitch over video: most of Meeting's fields set."""
    return meeting(
        w.rep, w.colleague, w.contact, start=start, minutes=60,
        title="Hostile pitch", description="Context for the attendees",
        agenda="1. Demo\n2. Pricing", purpose=vocab.PROSPECT_PITCH,
        format=vocab.VIDEO_CONFERENCE, video_conference=video(),
        location="Room 1", time_zone="Europe/Rome", optional=(w.colleague,),
        rrule=rrule, exdates=[start + WEEK] if rrule else ())


def create_meeting_request(w):
    # Not validate_only: there request_id is ignored, so a hostile one would
    # pass for good reason. Conflicts are allowed, so booking one after
    # another never fails for a reason that hides the hostile value.
    n = unique("hostile-meeting")
    return ss.CreateMeetingRequest(
        meeting=pitch(w, w.monday + 2 * DAY + 14 * HOUR), meeting_id=n,
        request_id=f"req-{n}", allow_conflicts=True)


def book(w, start, rrule="", organizer=None):
    """A new internal meeting (or series) of the organizer (default: rep)
    and colleague; its name."""
    return w.create(meeting(organizer or w.rep, w.colleague, start=start,
                            rrule=rrule),
                    allow_conflicts=True).meeting.name


def update_meeting_request(w):
    # An empty update_mask changes every updatable field that is set.
    start = w.monday + 10 * HOUR
    return ss.UpdateMeetingRequest(
        meeting=meeting_pb2.Meeting(
            name=w.single, title="Renamed review", description="New context",
            agenda="1. Numbers", purpose=vocab.SALES_DATA_REVIEW,
            format=vocab.IN_PERSON, location="Room 2", organizer=w.rep,
            attendees=[meeting_pb2.Attendee(participant=w.rep),
                       meeting_pb2.Attendee(participant=w.colleague,
                                            optional=True)],
            start_time=ts(start), end_time=ts(start + HOUR),
            time_zone="Europe/Rome"),
        validate_only=True, allow_conflicts=True)


def fresh_series_request(request_class, **fields):
    """A request about the second occurrence of a newly booked series."""
    def build(w):
        start = w.monday + 3 * DAY + 8 * HOUR
        name = book(w, start, rrule="FREQ=WEEKLY;COUNT=5")
        return request_class(name=name, original_start_time=ts(start + WEEK),
                             **fields)
    return build


def find_slots_request(w):
    return calendar_pb2.FindMeetingSlotsRequest(
        required_attendees=[w.rep], optional_attendees=[w.colleague],
        organizer=w.rep, duration=duration(HOUR),
        window=interval(w.monday, w.monday + 5 * DAY),
        granularity=duration(30 * MINUTE), buffer_before=duration(15 * MINUTE),
        buffer_after=duration(15 * MINUTE), minimum_notice=duration(HOUR),
        earliest_local_time=time_of_day(9), latest_local_time=time_of_day(17),
        max_results=5, check_weekly_budget=True)


def policy_request(w):
    """A whole policy, every field set, replacing the current one ("*"):
    sent again after any call that changed it, to undo that."""
    rules = policy_pb2.PolicyRules(
        over_weekly_budget=policy_pb2.WARN, cost_without_agenda=policy_pb2.WARN,
        agenda_cost_threshold=money(500), too_many_attendees=policy_pb2.WARN,
        max_attendees=10, outside_working_hours=policy_pb2.WARN,
        video_without_link=policy_pb2.REJECT,
        customer_meeting_without_sales=policy_pb2.REJECT)
    return policy_pb2.UpdateSchedulingPolicyRequest(
        policy=policy_pb2.SchedulingPolicy(
            rules=rules,
            team_overrides=[policy_pb2.TeamPolicy(
                team=w.team, rules=policy_pb2.PolicyRules(max_attendees=20))],
            horizon=duration(365 * DAY), reporting_currency="EUR",
            currency_rates=[policy_pb2.CurrencyRate(currency_code="USD",
                                                    rate=0.92)]),
        update_mask=field_mask_pb2.FieldMask(paths=["*"]))


def restore_policy(w):
    w.stub.UpdateSchedulingPolicy(policy_request(w), timeout=RPC_TIMEOUT)


def scheduling_baselines(prefix="/salesmeet.scheduling.v1.SchedulingService/"):
    two_weeks = lambda w: interval(w.monday, w.monday + 2 * WEEK)
    return {prefix + name: entries for name, entries in {
        "CreateMeeting": [Baseline(create_meeting_request, fresh=True)],
        "GetMeeting": [Baseline(lambda w: ss.GetMeetingRequest(name=w.single))],
        "ListMeetings": [Baseline(lambda w: ss.ListMeetingsRequest(
            page_size=10, interval=two_weeks(w),
            filter=f'participant = "{w.rep}" AND state = SCHEDULED'))],
        "UpdateMeeting": [Baseline(update_meeting_request)],
        "CancelMeeting": [Baseline(lambda w: ss.CancelMeetingRequest(
            name=book(w, w.monday + 4 * DAY + 9 * HOUR), reason="Hostile"),
            consumed=True)],
        # Completing again corrects the outcome, so one past meeting serves.
        "CompleteMeeting": [Baseline(lambda w: ss.CompleteMeetingRequest(
            name=w.past, outcome=vocab.WON, deal_value=money(1000),
            notes="Signed"))],
        "RespondToMeeting": [Baseline(lambda w: ss.RespondToMeetingRequest(
            name=w.series, attendee=w.colleague, response=vocab.ACCEPTED,
            original_start_time=ts(w.series_start + WEEK)))],
        "ListOccurrences": [Baseline(lambda w: ss.ListOccurrencesRequest(
            name=w.series, page_size=5, show_cancelled=True,
            interval=interval(w.series_start, w.series_start + 4 * WEEK)))],
        "MoveOccurrence": [Baseline(lambda w: ss.MoveOccurrenceRequest(
            name=w.series, original_start_time=ts(w.series_start + 2 * WEEK),
            start_time=ts(w.series_start + 2 * WEEK + 2 * HOUR),
            end_time=ts(w.series_start + 2 * WEEK + 3 * HOUR),
            validate_only=True, allow_conflicts=True))],
        "CancelOccurrence": [Baseline(fresh_series_request(
            ss.CancelOccurrenceRequest, reason="Hostile"), consumed=True)],
        "RestoreOccurrence": [Baseline(lambda w: ss.RestoreOccurrenceRequest(
            name=w.restorable, original_start_time=ts(w.restorable_start + WEEK),
            validate_only=True, allow_conflicts=True))],
        "TruncateSeries": [Baseline(fresh_series_request(
            ss.TruncateSeriesRequest), consumed=True)],
        "GetCalendar": [Baseline(lambda w: calendar_pb2.GetCalendarRequest(
            participant=w.rep, interval=two_weeks(w)))],
        "QueryFreeBusy": [Baseline(lambda w: calendar_pb2.QueryFreeBusyRequest(
            participants=[w.rep, w.colleague], interval=two_weeks(w),
            include_unavailable=True))],
        "FindMeetingSlots": [Baseline(find_slots_request)],
        "GetSchedulingPolicy": [Baseline(
            lambda w: policy_pb2.GetSchedulingPolicyRequest(
                name="schedulingPolicy"))],
        "UpdateSchedulingPolicy": [Baseline(policy_request,
                                            after_success=restore_policy)],
        "WatchMeetingChanges": [Baseline(
            lambda w: change_pb2.WatchMeetingChangesRequest(
                after_sequence=0, heartbeat_interval=duration(1)))],
    }.items()}


# -- analytics service --------------------------------------------------------

def report_scope(w):
    return asv.ReportScope(
        interval=interval(w.monday - 3 * WEEK, w.monday + 2 * WEEK),
        team=w.team, organizer=w.rep, participant=w.colleague,
        time_zone="Europe/Rome")


def analytics_baselines(prefix="/salesmeet.analytics.v1.AnalyticsService/"):
    return {prefix + name: entries for name, entries in {
        "GetCostReport": [Baseline(lambda w: asv.GetCostReportRequest(
            scope=report_scope(w), group_by=reports_pb2.TEAM))],
        "GetMeetingLoadReport": [Baseline(
            lambda w: asv.GetMeetingLoadReportRequest(
                scope=report_scope(w), focus_block_minimum=duration(2 * HOUR),
                page_size=10))],
        "GetMeetingMixReport": [Baseline(
            lambda w: asv.GetMeetingMixReportRequest(scope=report_scope(w)))],
        "GetContactCadenceReport": [Baseline(
            lambda w: asv.GetContactCadenceReportRequest(
                interval=interval(w.monday - 3 * WEEK, w.monday + 2 * WEEK),
                account_owner=w.rep, team=w.team, participant=w.contact,
                statuses=[reports_pb2.OVERDUE, reports_pb2.NEVER_CONTACTED],
                page_size=10))],
        "GetTopPerformers": [Baseline(lambda w: asv.GetTopPerformersRequest(
            scope=report_scope(w), metric=reports_pb2.WON_DEAL_VALUE,
            min_meetings=1, max_results=5))],
        "GetFeedStatus": [Baseline(lambda w: asv.GetFeedStatusRequest())],
    }.items()}


def all_baselines():
    """{"/package.Service/Method": [Baseline, ...]} for every method here."""
    return {**participant_baselines(), **scheduling_baselines(),
            **analytics_baselines()}
