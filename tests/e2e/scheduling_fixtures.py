"""Shared pieces of the scheduling service's end-to-end tests
(scheduling_*_e2e_test.py): time helpers, meeting builders and
SchedulingTestCase, which runs the real participant and scheduling binaries.

Each class starts its own participant server and scheduling server, each on a
fresh temporary SQLite database, and hires the people it needs through the
participant service's public API. Tests that share a class keep out of each
other's way by hiring their own people (hire()), so conflicts, filters and
loads only ever involve their own meetings.
"""

import datetime
import itertools
import os
import signal
import tempfile
import zoneinfo

import grpc
from google.protobuf import duration_pb2
from google.protobuf import field_mask_pb2
from google.protobuf import timestamp_pb2
from google.type import money_pb2
from salesmeet.participant.v1 import participant_pb2
from salesmeet.participant.v1 import participant_service_pb2 as ps
from salesmeet.participant.v1 import participant_service_pb2_grpc
from salesmeet.scheduling.v1 import change_pb2
from salesmeet.scheduling.v1 import meeting_pb2
from salesmeet.scheduling.v1 import recurrence_pb2
from salesmeet.scheduling.v1 import scheduling_service_pb2 as ss
from salesmeet.scheduling.v1 import scheduling_service_pb2_grpc
from salesmeet.scheduling.v1 import verdict_pb2
from salesmeet.scheduling.v1 import vocabulary_pb2 as vocab
from salesmeet.type.v1 import people_pb2
from salesmeet.type.v1 import time_pb2

import harness
from harness import RPC_TIMEOUT

SERVICE = "salesmeet.scheduling.v1.SchedulingService"
MINUTE = 60
HOUR = 3600
DAY = 24 * HOUR
WEEK = 7 * DAY

_ids = itertools.count(1)


# -- time --------------------------------------------------------------------

def ts(seconds):
    return timestamp_pb2.Timestamp(seconds=int(seconds))


def interval(start, end):
    return time_pb2.Interval(start_time=ts(start), end_time=ts(end))


def monday_utc(weeks_ahead=2):
    """Unix seconds of Monday 00:00 UTC, weeks_ahead Mondays from today (1 is
    next Monday), so that the meetings the tests book lie in the future."""
    today = datetime.datetime.fromtimestamp(harness.now(),
                                            datetime.timezone.utc).date()
    monday = today + datetime.timedelta(days=7 - today.weekday() + 7 * (weeks_ahead - 1))
    return int(datetime.datetime.combine(
        monday, datetime.time(), datetime.timezone.utc).timestamp())


def local_time(seconds, zone):
    return datetime.datetime.fromtimestamp(seconds, zoneinfo.ZoneInfo(zone))


def next_offset_change(zone, after_seconds, direction=0):
    """The first local date after after_seconds on which zone's UTC offset
    changes: forward (direction 1, spring), back (-1, autumn) or either (0)."""
    tz = zoneinfo.ZoneInfo(zone)
    day = datetime.datetime.fromtimestamp(after_seconds, tz).date()
    for _ in range(400):
        noon_before = datetime.datetime.combine(day, datetime.time(12), tz)
        day += datetime.timedelta(days=1)
        noon_after = datetime.datetime.combine(day, datetime.time(12), tz)
        delta = (noon_after.utcoffset() - noon_before.utcoffset()).total_seconds()
        if delta and (direction == 0 or delta * direction > 0):
            return day
    raise AssertionError(f"{zone} changes no offset in 400 days")


def local_seconds(day, hour, minute, zone):
    """Unix seconds of a local wall time in zone. A time in a spring-forward
    gap is read with the offset from before the gap, and a time that
    happens twice is the first of the two (Python's fold=0)."""
    moment = datetime.datetime.combine(day, datetime.time(hour, minute),
                                       zoneinfo.ZoneInfo(zone))
    return int(moment.timestamp())


# -- building requests ---------------------------------------------------------

def money(units, currency="EUR", nanos=0):
    return money_pb2.Money(currency_code=currency, units=units, nanos=nanos)


def mask(*paths):
    return field_mask_pb2.FieldMask(paths=list(paths))


def meeting(organizer, *others, start, minutes=60, title="Pipeline review",
            purpose=vocab.SALES_DATA_REVIEW, format=vocab.CONFERENCE_CALL,
            optional=(), rrule="", exdates=(), **fields):
    """A Meeting organised by organizer with the others invited; those in
    optional are optional attendees."""
    attendees = [meeting_pb2.Attendee(participant=name, optional=name in optional)
                 for name in (organizer,) + others]
    message = meeting_pb2.Meeting(
        title=title, purpose=purpose, format=format, organizer=organizer,
        attendees=attendees, start_time=ts(start),
        end_time=ts(start + minutes * MINUTE), **fields)
    if rrule:
        message.recurrence.CopyFrom(recurrence_pb2.Recurrence(
            rrule=rrule, exdates=[ts(t) for t in exdates]))
    return message


def video(join_uri="https://meet.example.com/abc-defg-hij", provider=vocab.MEET):
    return meeting_pb2.VideoConference(provider=provider, join_uri=join_uri)


def verdict_of(error):
    """The salesmeet.scheduling.v1.Verdict a refusal carries, or None."""
    for detail in error.other_details:
        if detail.Is(verdict_pb2.Verdict.DESCRIPTOR):
            verdict = verdict_pb2.Verdict()
            detail.Unpack(verdict)
            return verdict
    return None


def spans(occurrences):
    return [(o.start_time.seconds, o.end_time.seconds) for o in occurrences]


# -- base class ----------------------------------------------------------------

class SchedulingTestCase(harness.ServiceTestCase):
    """Starts a participant server and a scheduling server that uses it, each
    on a fresh database, for the class.

    participant_port: 0 lets the participant server pick its port; a class
    that restarts it sets a fixed one (harness.free_port()) so the scheduling
    server's --participant address stays valid.
    """

    scheduling_flags = {}
    participant_port = 0

    @classmethod
    def setUpServices(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="salesmeet-scheduling-")
        cls.addClassCleanup(cls.tmp.cleanup)
        cls.participant_db = harness.database_url(
            os.path.join(cls.tmp.name, "participant.db"))
        cls.scheduling_db = harness.database_url(
            os.path.join(cls.tmp.name, "scheduling.db"))
        cls.start_participant()
        cls.start_scheduling()
        cls.seed()

    @classmethod
    def seed(cls):
        """Override to hire the people and book the meetings the class shares."""

    @classmethod
    def start_participant(cls, **flags):
        cls.participant_server = cls.start_service(
            "participant", {"db": cls.participant_db, "port": cls.participant_port,
                            "drain_grace": "0s", **flags})
        cls.people = participant_service_pb2_grpc.ParticipantServiceStub(
            cls.participant_server.channel())
        return cls.participant_server

    @classmethod
    def scheduling_flags_for(cls, **flags):
        return {"db": cls.scheduling_db,
                "participant": cls.participant_server.address,
                "participant_timeout": "2s", "drain_grace": "0s",
                **cls.scheduling_flags, **flags}

    @classmethod
    def start_scheduling(cls, **flags):
        cls.server = cls.start_service("scheduling",
                                       cls.scheduling_flags_for(**flags))
        cls.channel = cls.server.channel()
        cls.stub = scheduling_service_pb2_grpc.SchedulingServiceStub(cls.channel)
        return cls.server

    @classmethod
    def start_scheduling_replicas(cls, count, **flags):
        """count more scheduling servers on the class's database (give it a
        PostgreSQL one: db=...), started at once, each on gRPC and metrics
        ports of its own (harness.ServiceTestCase.start_replicas). Returns
        them; cls.server stays as it is."""
        return cls.start_replicas("scheduling", count,
                                  cls.scheduling_flags_for(**flags))

    @classmethod
    def restart_scheduling(cls):
        """SIGTERM (which must exit 0), then a new server on the same database."""
        old = cls.server
        rc = old.stop(signal.SIGTERM, timeout=20)
        if rc != 0:
            raise AssertionError(f"scheduling exited with {rc}\n{old.log_tail()}")
        return cls.start_scheduling()

    # -- people ----------------------------------------------------------------

    @classmethod
    def hire(cls, role=people_pb2.SALES_REP, cost=90, currency="EUR", team="",
             time_zone="Europe/Rome", stem="emp", **fields):
        """Creates a new employee and returns their resource name."""
        n = next(_ids)
        participant = participant_pb2.Participant(
            display_name=f"{stem.title()} {n}", email=f"{stem}.{n}@sales.example",
            kind=people_pb2.EMPLOYEE, role=role, team=team, time_zone=time_zone,
            hourly_cost=money(cost, currency), **fields)
        return cls.people.CreateParticipant(
            ps.CreateParticipantRequest(participant=participant,
                                        participant_id=f"{stem}-{n}"),
            timeout=RPC_TIMEOUT).name

    @classmethod
    def hire_contact(cls, owner, time_zone="America/New_York"):
        """Creates a customer contact (a prospect) owned by owner."""
        n = next(_ids)
        participant = participant_pb2.Participant(
            display_name=f"Contact {n}", email=f"contact.{n}@customer.example",
            kind=people_pb2.CUSTOMER_CONTACT, time_zone=time_zone,
            customer=participant_pb2.CustomerProfile(
                account="Acme GmbH", lifecycle=people_pb2.PROSPECT,
                account_owner=owner,
                contact_cadence=duration_pb2.Duration(seconds=14 * DAY)))
        return cls.people.CreateParticipant(
            ps.CreateParticipantRequest(participant=participant,
                                        participant_id=f"contact-{n}"),
            timeout=RPC_TIMEOUT).name

    @classmethod
    def create_team(cls, display_name):
        n = next(_ids)
        return cls.people.CreateTeam(
            ps.CreateTeamRequest(team=participant_pb2.Team(display_name=display_name),
                                 team_id=f"team-{n}"),
            timeout=RPC_TIMEOUT).name

    # -- scheduling calls ------------------------------------------------------

    @classmethod
    def create(cls, meeting_message, stub=None, **request_fields):
        return (stub or cls.stub).CreateMeeting(
            ss.CreateMeetingRequest(meeting=meeting_message, **request_fields),
            timeout=RPC_TIMEOUT)

    @classmethod
    def get(cls, name):
        return cls.stub.GetMeeting(ss.GetMeetingRequest(name=name),
                                   timeout=RPC_TIMEOUT)

    @classmethod
    def list_all(cls, filter="", span=None, page_size=50, stub=None):
        """Every meeting the filter and span match, following next_page_token."""
        request = ss.ListMeetingsRequest(filter=filter, page_size=page_size)
        if span is not None:
            request.interval.CopyFrom(interval(*span))
        pages = harness.list_pages((stub or cls.stub).ListMeetings, request,
                                   max_pages=1000)
        return [m for page in pages for m in page.meetings]

    @classmethod
    def occurrences(cls, name, span=None, show_cancelled=False, page_size=100,
                    stub=None):
        """Every occurrence of the meeting in span (default: the server's)."""
        request = ss.ListOccurrencesRequest(name=name, page_size=page_size,
                                            show_cancelled=show_cancelled)
        if span is not None:
            request.interval.CopyFrom(interval(*span))
        pages = harness.list_pages((stub or cls.stub).ListOccurrences, request)
        return [o for page in pages for o in page.occurrences]

    @classmethod
    def read_feed(cls, after=0, until=None, timeout=RPC_TIMEOUT, stub=None):
        """The changes after `after`, read from WatchMeetingChanges until the
        stream reports it is caught up (or has passed `until`). Returns
        (changes, head_sequence of the last message)."""
        call = (stub or cls.stub).WatchMeetingChanges(
            change_pb2.WatchMeetingChangesRequest(
                after_sequence=after,
                heartbeat_interval=duration_pb2.Duration(seconds=1)),
            timeout=timeout)
        changes, head = [], after
        try:
            for message in call:
                changes.extend(message.changes)
                head = message.head_sequence
                last = changes[-1].sequence if changes else after
                if until is not None and last >= until:
                    break
                if until is None and last >= head:
                    break
        finally:
            call.cancel()
        return changes, head

    @classmethod
    def head(cls):
        """The feed's latest sequence. A watch from 0 answers at once when
        the feed is not empty, and with a heartbeat after a second when it is."""
        call = cls.stub.WatchMeetingChanges(
            change_pb2.WatchMeetingChangesRequest(
                after_sequence=0,
                heartbeat_interval=duration_pb2.Duration(seconds=1)),
            timeout=RPC_TIMEOUT)
        try:
            for message in call:
                return message.head_sequence
        finally:
            call.cancel()
        raise AssertionError("the change feed ended without a message")

    # -- assertions ------------------------------------------------------------

    def assert_invalid(self, rpc, request, *fields):
        """INVALID_ARGUMENT whose BadRequest names every one of fields."""
        error = self.expect_rpc_error(grpc.StatusCode.INVALID_ARGUMENT, rpc, request)
        self.assertIsNotNone(error.bad_request, f"no BadRequest in {error}")
        for field in fields:
            self.assertIn(field, error.fields, str(error))
        return error

    def assert_state_error(self, reason, rpc, request, subject):
        """FAILED_PRECONDITION with this reason in ErrorInfo and as the type
        of a PreconditionFailure violation about subject (the meeting)."""
        error = self.expect_rpc_error(grpc.StatusCode.FAILED_PRECONDITION, rpc,
                                      request)
        self.assertEqual(error.error_info.reason, reason, str(error))
        self.assertIn((reason, subject), error.violations, str(error))
        return error

