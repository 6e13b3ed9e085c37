"""Shared pieces of the participant service's end-to-end tests
(participant_*_e2e_test.py): builders for participants and requests, and
ParticipantServerTestCase.

The tests run the real binary on free ports and drive it over gRPC with
Debian's python3-grpcio, as another service or grpcurl would drive it. Each
class starts its own server on its own temporary SQLite database, so classes
are independent and can run in any order.
"""

import itertools
import os
import tempfile
import threading

import grpc
from google.protobuf import duration_pb2
from google.protobuf import field_mask_pb2
from google.protobuf import timestamp_pb2
from google.type import money_pb2
from google.type import timeofday_pb2
from salesmeet.participant.v1 import participant_pb2
from salesmeet.participant.v1 import participant_service_pb2 as ps
from salesmeet.participant.v1 import participant_service_pb2_grpc
from salesmeet.type.v1 import people_pb2
from salesmeet.type.v1 import time_pb2

import harness
from harness import RPC_TIMEOUT

SERVICE = "salesmeet.participant.v1.ParticipantService"
INVALID = grpc.StatusCode.INVALID_ARGUMENT

DAY = 24 * 3600
_email_numbers = itertools.count(1)


# -- building participants ---------------------------------------------------

def unique_email(stem="person"):
    return f"{stem}.{next(_email_numbers)}@example-sales.com"


def money(units, currency="EUR", nanos=0):
    return money_pb2.Money(currency_code=currency, units=units, nanos=nanos)


def block(day, start, end):
    """A working-hours block; start and end are (hour, minute)."""
    return time_pb2.WorkingPeriod(
        day=day,
        start_time=timeofday_pb2.TimeOfDay(hours=start[0], minutes=start[1]),
        end_time=timeofday_pb2.TimeOfDay(hours=end[0], minutes=end[1]))


def time_off(start_seconds, end_seconds, reason="Annual leave"):
    return time_pb2.TimeOff(
        interval=time_pb2.Interval(
            start_time=timestamp_pb2.Timestamp(seconds=start_seconds),
            end_time=timestamp_pb2.Timestamp(seconds=end_seconds)),
        reason=reason)


def employee(display_name="Ada Rossi", email=None, role=people_pb2.SALES_REP,
             team="", time_zone="Europe/Rome", cost=money(85), **fields):
    return participant_pb2.Participant(
        display_name=display_name, email=email or unique_email(),
        kind=people_pb2.EMPLOYEE, role=role, team=team, time_zone=time_zone,
        hourly_cost=cost, **fields)


def customer_contact(owner, display_name="Carla Client", email=None,
                     lifecycle=people_pb2.PROSPECT, account="Acme GmbH",
                     cadence_seconds=14 * DAY, time_zone="America/New_York"):
    return participant_pb2.Participant(
        display_name=display_name, email=email or unique_email("contact"),
        kind=people_pb2.CUSTOMER_CONTACT, time_zone=time_zone,
        customer=participant_pb2.CustomerProfile(
            account=account, lifecycle=lifecycle, account_owner=owner,
            contact_cadence=duration_pb2.Duration(seconds=cadence_seconds)))


def partner(display_name="Pia Partner", email=None, time_zone="Asia/Tokyo"):
    return participant_pb2.Participant(
        display_name=display_name, email=email or unique_email("partner"),
        kind=people_pb2.PARTNER, time_zone=time_zone)


def mask(*paths):
    return field_mask_pb2.FieldMask(paths=list(paths))


# -- base class ----------------------------------------------------------------

class ParticipantServerTestCase(harness.ServiceTestCase):
    """Starts one participant server on a fresh database for the class."""

    server_flags = {}

    @classmethod
    def setUpServices(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="salesmeet-participant-")
        cls.addClassCleanup(cls.tmp.cleanup)
        cls.db_path = os.path.join(cls.tmp.name, "participant.db")
        cls.start_participant()
        cls.seed()

    @classmethod
    def start_participant(cls, **flags):
        merged = {"db": harness.database_url(cls.db_path), **cls.server_flags,
                  **flags}
        cls.server = cls.start_service("participant", merged)
        cls.channel = cls.server.channel()
        cls.stub = participant_service_pb2_grpc.ParticipantServiceStub(cls.channel)
        return cls.server

    @classmethod
    def seed(cls):
        """Override to create the records the class's tests share."""

    @classmethod
    def create(cls, participant, participant_id="", request_id=""):
        return cls.stub.CreateParticipant(
            ps.CreateParticipantRequest(participant=participant,
                                        participant_id=participant_id,
                                        request_id=request_id),
            timeout=RPC_TIMEOUT)

    @classmethod
    def create_team(cls, team_id, display_name, manager="", request_id=""):
        return cls.stub.CreateTeam(
            ps.CreateTeamRequest(
                team=participant_pb2.Team(display_name=display_name,
                                          manager=manager),
                team_id=team_id, request_id=request_id),
            timeout=RPC_TIMEOUT)

    @classmethod
    def get(cls, name):
        return cls.stub.GetParticipant(ps.GetParticipantRequest(name=name),
                                       timeout=RPC_TIMEOUT)

    @classmethod
    def list_all(cls, filter="", page_size=7):
        """Every participant the filter matches, following next_page_token."""
        pages = harness.list_pages(
            cls.stub.ListParticipants,
            ps.ListParticipantsRequest(filter=filter, page_size=page_size))
        return [p for page in pages for p in page.participants]

    @classmethod
    def names(cls, filter=""):
        return [p.name for p in cls.list_all(filter)]

    def assert_invalid(self, rpc, request, *fields):
        """The call fails with INVALID_ARGUMENT, its BadRequest names each of
        fields, and ErrorInfo is in our domain. Returns the error."""
        error = self.expect_rpc_error(INVALID, rpc, request)
        self.assertIsNotNone(error.bad_request, f"no BadRequest in {error}")
        for field in fields:
            self.assertIn(field, error.fields, str(error))
        return error

    def assert_not_found(self, name):
        error = self.expect_rpc_error(
            grpc.StatusCode.NOT_FOUND, self.stub.GetParticipant,
            ps.GetParticipantRequest(name=name))
        self.assertEqual(error.resource_info.resource_name, name, str(error))
        return error

    def race(self, n, call):
        """Runs call(stub, i) from n threads released together, each on its
        own channel; returns each call's result or exception."""
        barrier = threading.Barrier(n)
        results = [None] * n
        channels = [self.server.channel() for _ in range(n)]

        def worker(i):
            stub = participant_service_pb2_grpc.ParticipantServiceStub(channels[i])
            barrier.wait()
            try:
                results[i] = call(stub, i)
            except Exception as e:  # Collected and asserted by the caller.
                results[i] = e

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(RPC_TIMEOUT * 2)
        for c in channels:
            c.close()
        return results
