"""Shared pieces of the analytics service's end-to-end tests
(analytics_*_e2e_test.py): AnalyticsTestCase runs the real participant,
scheduling and analytics binaries, and KnownWeek books a small, known
organisation's meetings whose report figures were worked out by hand.

Analytics follows scheduling's change feed; a test that has written
through scheduling waits for analytics to apply everything (caught_up())
before it asks for a report.
"""

import os

from google.protobuf import duration_pb2
from google.type import dayofweek_pb2
from google.type import timeofday_pb2
from salesmeet.analytics.v1 import analytics_service_pb2 as asv
from salesmeet.analytics.v1 import analytics_service_pb2_grpc
from salesmeet.participant.v1 import participant_pb2
from salesmeet.participant.v1 import participant_service_pb2 as ps
from salesmeet.scheduling.v1 import scheduling_service_pb2 as ss
from salesmeet.scheduling.v1 import vocabulary_pb2 as vocab
from salesmeet.type.v1 import people_pb2
from salesmeet.type.v1 import time_pb2

import harness
from harness import RPC_TIMEOUT
from scheduling_fixtures import (DAY, HOUR, WEEK, SchedulingTestCase,
                                 interval, meeting, money, monday_utc, ts,
                                 video)

WEEKDAYS = [dayofweek_pb2.MONDAY, dayofweek_pb2.TUESDAY,
            dayofweek_pb2.WEDNESDAY, dayofweek_pb2.THURSDAY,
            dayofweek_pb2.FRIDAY]


def nine_to_five():
    """Monday to Friday, 09:00 to 17:00 local time."""
    return [time_pb2.WorkingPeriod(
        day=day, start_time=timeofday_pb2.TimeOfDay(hours=9),
        end_time=timeofday_pb2.TimeOfDay(hours=17)) for day in WEEKDAYS]


def scope(start, end, **filters):
    return asv.ReportScope(interval=interval(start, end), **filters)


def cents(m):
    """Money as whole cents, for exact comparisons."""
    return m.units * 100 + m.nanos // 10_000_000


class AnalyticsTestCase(SchedulingTestCase):
    """Participant, scheduling and analytics servers on fresh databases, for
    the class. Analytics asks for a heartbeat every second and retries the
    feed quickly, so tests that cut it off do not wait long."""

    analytics_flags = {}

    @classmethod
    def setUpServices(cls):
        super().setUpServices()
        cls.analytics_db = harness.database_url(
            os.path.join(cls.tmp.name, "analytics.db"))
        cls.start_analytics()

    @classmethod
    def analytics_flags_for(cls, db, **flags):
        return {"db": db, "scheduling": cls.server.address,
                "participant": cls.participant_server.address,
                "feed_heartbeat": "1s", "feed_max_backoff": "1s",
                "people_cache_ttl": "0s", "drain_grace": "0s",
                **cls.analytics_flags, **flags}

    @classmethod
    def start_analytics(cls, **flags):
        cls.analytics_server = cls.start_service(
            "analytics", cls.analytics_flags_for(cls.analytics_db, **flags))
        cls.analytics = analytics_service_pb2_grpc.AnalyticsServiceStub(
            cls.analytics_server.channel())
        return cls.analytics_server

    @classmethod
    def caught_up(cls, stub=None, timeout=20.0):
        """Waits until analytics has applied the whole feed; returns its
        FeedStatus."""
        head = cls.head()
        stub = stub or cls.analytics

        def status():
            s = stub.GetFeedStatus(asv.GetFeedStatusRequest(),
                                   timeout=RPC_TIMEOUT)
            return s if s.applied_sequence >= head and s.connected else None
        return harness.wait_for(status, timeout,
                                what=f"analytics to apply sequence {head}")

    @classmethod
    def hire_known(cls, stem, cost, role=people_pb2.SALES_REP, team="",
                   budget_hours=None, time_zone="UTC"):
        """An employee working 09:00-17:00 on weekdays in time_zone."""
        fields = {"working_hours": nine_to_five()}
        if budget_hours is not None:
            fields["weekly_meeting_budget"] = duration_pb2.Duration(
                seconds=budget_hours * HOUR)
        return cls.hire(role=role, cost=cost, team=team, time_zone=time_zone,
                        stem=stem, **fields)

    @classmethod
    def contact(cls, owner, cadence_days, stem="contact"):
        n = os.urandom(3).hex()
        participant = participant_pb2.Participant(
            display_name=f"Contact {n}", email=f"{stem}.{n}@customer.example",
            kind=people_pb2.CUSTOMER_CONTACT, time_zone="America/New_York",
            customer=participant_pb2.CustomerProfile(
                account="Acme GmbH", lifecycle=people_pb2.EXISTING_CUSTOMER,
                account_owner=owner,
                contact_cadence=duration_pb2.Duration(
                    seconds=cadence_days * DAY)))
        return cls.people.CreateParticipant(
            ps.CreateParticipantRequest(participant=participant,
                                        participant_id=f"{stem}-{n}"),
            timeout=RPC_TIMEOUT).name

    @classmethod
    def complete(cls, name, outcome, deal_eur=None):
        request = ss.CompleteMeetingRequest(name=name, outcome=outcome)
        if deal_eur is not None:
            request.deal_value.CopyFrom(money(deal_eur))
        return cls.stub.CompleteMeeting(request, timeout=RPC_TIMEOUT)


class KnownWeeks:
    """A known organisation and three weeks of its meetings, booked through
    scheduling's public API, starting last week's Monday (UTC) so the first
    week's meetings can be completed.

    People (all in UTC, working 09:00-17:00 on weekdays):
      ada  SALES_REP, 100 EUR/h, team T, weekly budget 3 h
      bo   SALES_REP,  60 EUR/h, team T
      cy   DEVELOPER,  80 EUR/h, no team
      carla, a customer contact owned by ada, cadence 14 days
    Meetings (week 1 unless said otherwise):
      pitch    Mon 09:00-10:00 ada bo carla  PROSPECT_PITCH   WON 50,000
      strategy Tue 09:00-11:00 ada cy        STRATEGY         HELD
      followup Wed 14:00-14:30 bo carla      CUSTOMER_PRES.   LOST 20,000
      weekly   Thu 10:00-11:00 ada bo cy, weekly x3: week 2's occurrence
               cancelled, bo declines week 3's
      dropped  Fri 09:00-10:00 ada bo, cancelled as a whole
    """

    def __init__(self, case):
        self.case = case
        self.start = monday_utc(weeks_ahead=-1)
        self.end = self.start + 3 * WEEK
        self.team = case.create_team("Team T")
        self.ada = case.hire_known("ada", 100, team=self.team, budget_hours=3)
        self.bo = case.hire_known("bo", 60, team=self.team)
        self.cy = case.hire_known("cy", 80, role=people_pb2.DEVELOPER)
        self.carla = case.contact(self.ada, 14)
        s = self.start
        self.pitch = case.create(meeting(
            self.ada, self.bo, self.carla, start=s + 9 * HOUR, minutes=60,
            purpose=vocab.PROSPECT_PITCH, format=vocab.VIDEO_CONFERENCE,
            video_conference=video())).meeting
        self.strategy = case.create(meeting(
            self.ada, self.cy, start=s + DAY + 9 * HOUR, minutes=120,
            purpose=vocab.STRATEGY, format=vocab.IN_PERSON)).meeting
        self.followup = case.create(meeting(
            self.bo, self.carla, start=s + 2 * DAY + 14 * HOUR, minutes=30,
            purpose=vocab.CUSTOMER_PRESENTATION,
            format=vocab.PRESENTATION)).meeting
        weekly_start = s + 3 * DAY + 10 * HOUR
        self.weekly = case.create(meeting(
            self.ada, self.bo, self.cy, start=weekly_start, minutes=60,
            purpose=vocab.SALES_DATA_REVIEW, format=vocab.CONFERENCE_CALL,
            rrule="FREQ=WEEKLY;COUNT=3")).meeting
        dropped = case.create(meeting(
            self.ada, self.bo, start=s + 4 * DAY + 9 * HOUR, minutes=60)).meeting
        case.stub.CancelMeeting(ss.CancelMeetingRequest(name=dropped.name),
                                timeout=RPC_TIMEOUT)
        case.stub.CancelOccurrence(ss.CancelOccurrenceRequest(
            name=self.weekly.name,
            original_start_time=ts(weekly_start + WEEK)), timeout=RPC_TIMEOUT)
        case.stub.RespondToMeeting(ss.RespondToMeetingRequest(
            name=self.weekly.name, attendee=self.bo, response=vocab.DECLINED,
            original_start_time=ts(weekly_start + 2 * WEEK)),
            timeout=RPC_TIMEOUT)
        case.complete(self.pitch.name, vocab.WON, 50000)
        case.complete(self.strategy.name, vocab.HELD)
        case.complete(self.followup.name, vocab.LOST, 20000)

