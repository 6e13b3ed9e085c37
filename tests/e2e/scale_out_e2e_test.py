"""End-to-end tests of scale-out on PostgreSQL: three scheduling replicas on
one database (a throwaway cluster per class, postgres.PostgresCluster),
booking for the same people at once, with a replica SIGKILLed and the
database restarted under load; watchers on different replicas; and two
analytics replicas sharing one projection.

What must hold whatever happens: no required attendee is double-booked,
every acknowledged booking is stored exactly as acknowledged, failures are
UNAVAILABLE (never INTERNAL or UNKNOWN) and the services recover on their
own.

Run from tests/e2e:
  PYTHONPATH=<build>/py:. SALESMEET_BIN_DIR=<build>/services \\
      /usr/bin/python3 -m unittest -v scale_out_e2e_test
"""

import itertools
import random
import threading
import time
import unittest

import grpc
from salesmeet.analytics.v1 import analytics_service_pb2 as an
from salesmeet.analytics.v1 import analytics_service_pb2_grpc
from salesmeet.analytics.v1 import reports_pb2
from salesmeet.scheduling.v1 import change_pb2
from salesmeet.scheduling.v1 import scheduling_service_pb2 as ss
from salesmeet.scheduling.v1 import scheduling_service_pb2_grpc
from google.protobuf import duration_pb2

import harness
import postgres
import scheduling_concurrency_e2e_test as concurrency
from analytics_fixtures import AnalyticsTestCase
from harness import RPC_TIMEOUT
from scheduling_fixtures import (DAY, HOUR, MINUTE, WEEK, SchedulingTestCase,
                                 meeting, monday_utc)

REPLICAS = 3
# What a client retries on another replica, with the same request_id.
RETRIED = (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.ABORTED,
           grpc.StatusCode.DEADLINE_EXCEEDED)


def on_postgresql(cls):
    """Starts a PostgreSQL cluster for the class and gives the participant
    and scheduling servers a database each there."""
    cls.cluster = postgres.PostgresCluster().start()
    cls.addClassCleanup(cls.cluster.close)
    cls.participant_db = cls.cluster.create_database()
    cls.scheduling_db = cls.cluster.create_database()


def start_replicated(cls):
    """PostgreSQL, the participant server and REPLICAS scheduling replicas
    for the class: cls.replicas, cls.server the first (cls.stub its stub)."""
    on_postgresql(cls)
    cls.start_participant()
    cls.start_scheduling()
    cls.replicas = [cls.server] + cls.start_scheduling_replicas(REPLICAS - 1)


class ReplicaBookingTest(concurrency.ConcurrentBookingTest):
    """The whole concurrent-booking suite (parallel overlapping singles and
    series, one request_id from every client, one meeting id claimed by
    all, parallel reschedules onto one slot) with 24 clients spread over
    three scheduling replicas of one PostgreSQL database."""

    clients = 24
    attempts = 10

    @classmethod
    def setUpServices(cls):
        start_replicated(cls)
        cls.seed()

    def client_channel(self, i):
        return self.replicas[i % REPLICAS].channel()


class Load:
    """Clients booking overlapping meetings for a few people through every
    replica until stopped, each retrying a failed call on the next replica
    with the same request_id, as a client behind a load balancer does."""

    def __init__(self, test, team, stubs, clients=12):
        self.test, self.team, self.stubs = test, team, stubs
        self.stop_event = threading.Event()
        self.lock = threading.Lock()
        self.acknowledged = {}  # meeting name -> CreateMeetingResponse
        self.refused = []       # rich errors the booking ended with
        self.failures = []      # rich errors of single attempts
        self.threads = [threading.Thread(target=self.client, args=(i,))
                        for i in range(clients)]
        self.seed = random.randrange(1 << 30)

    def __enter__(self):
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc):
        self.stop_event.set()
        for t in self.threads:
            t.join(120)
        assert not any(t.is_alive() for t in self.threads), "a client hung"

    def request(self, rng, client, n):
        people = rng.sample(self.team, 2)
        start = (self.test.monday + rng.randrange(3) * DAY + 9 * HOUR +
                 rng.choice((0, 30, 60, 90, 120)) * MINUTE)
        return ss.CreateMeetingRequest(
            meeting=meeting(*people, start=start, title=f"load {client}.{n}"),
            request_id=f"load-{self.seed}-{client}-{n}")

    def client(self, i):
        rng = random.Random(self.seed * 100 + i)
        for n in itertools.count():
            if self.stop_event.is_set():
                return
            request = self.request(rng, i, n)
            replica = i
            for attempt in range(40):
                stub = self.stubs()[replica % len(self.stubs())]
                try:
                    response = stub.CreateMeeting(request, timeout=5)
                    with self.lock:
                        self.acknowledged[response.meeting.name] = response
                    break
                except grpc.RpcError as e:
                    error = harness.rich_error(e)
                    if error.code not in RETRIED:
                        with self.lock:
                            self.refused.append(error)
                        break
                    with self.lock:
                        self.failures.append(error)
                    replica += 1
                    time.sleep(min(0.02 * (attempt + 1), 0.5))


class ReplicaFailureTest(SchedulingTestCase):
    """Three scheduling replicas under load while one is SIGKILLed or the
    database restarts."""

    @classmethod
    def setUpServices(cls):
        start_replicated(cls)
        cls.monday = monday_utc(2)

    def setUp(self):
        self.team = [self.hire() for _ in range(4)]

    def stubs(self):
        """One stub per replica, made once: a client keeps calling a dead
        replica's address (and failing over) as it would behind a balancer."""
        if not hasattr(self, "_stubs"):
            self._stubs = [
                scheduling_service_pb2_grpc.SchedulingServiceStub(r.channel())
                for r in self.replicas]
        return self._stubs

    def assert_load_kept_its_promises(self, load):
        stored = {m.name: m for person in self.team
                  for m in self.list_all(f'participant = "{person}"', page_size=97)}
        self.assertTrue(load.acknowledged, "no booking was acknowledged")
        for name, response in load.acknowledged.items():
            self.assertIn(name, stored, f"acknowledged {name} was lost")
            self.assertEqual(stored[name], response.meeting, name)
        for error in load.refused:
            self.assertEqual((error.code, error.error_info.reason),
                             (grpc.StatusCode.FAILED_PRECONDITION,
                              "SCHEDULING_CONFLICT"), str(error))
        for error in load.failures:
            self.assertNotIn(error.code, (grpc.StatusCode.INTERNAL,
                                          grpc.StatusCode.UNKNOWN), str(error))
        busy = {}
        for m in stored.values():
            for a in m.attendees:
                busy.setdefault(a.participant, []).append(
                    (m.start_time.seconds, m.end_time.seconds, m.name))
        for person, spans in busy.items():
            spans.sort()
            for earlier, later in zip(spans, spans[1:]):
                self.assertFalse(concurrency.overlaps(earlier, later),
                                 f"{person} is double-booked: {earlier}, {later}")

    def test_a_replica_killed_mid_load_loses_nothing_acknowledged(self):
        victim = self.replicas[1]
        with Load(self, self.team, self.stubs) as load:
            time.sleep(1.5)
            victim.process.kill()
            victim.process.wait()
            time.sleep(2.0)
        self.assert_load_kept_its_promises(load)
        # Back at its address, as a restarted pod would be.
        self.replicas[1] = self.start_service(victim.service, victim.flags)

    def test_a_database_restart_mid_load_is_unavailable_then_recovers(self):
        with Load(self, self.team, self.stubs) as load:
            time.sleep(1.0)
            self.cluster.stop()
            not_serving = self.wait_for_health(
                harness_status="NOT_SERVING", timeout=15)
            time.sleep(1.0)
            self.cluster.start()
            serving = self.wait_for_health(harness_status="SERVING", timeout=30)
            time.sleep(1.5)
        self.assertTrue(not_serving, "health never said NOT_SERVING")
        self.assertTrue(serving, "the replicas did not recover on their own")
        outage = [e for e in load.failures
                  if e.code == grpc.StatusCode.UNAVAILABLE]
        self.assertTrue(outage, "no client saw the outage")
        self.assertTrue(any(e.error_info.reason == "STORE_UNAVAILABLE"
                            for e in outage), [str(e) for e in outage[:3]])
        self.assert_load_kept_its_promises(load)
        # And it books again afterwards, through every replica.
        for i, stub in enumerate(self.replica_stubs()):
            start = self.monday + 2 * WEEK + i * DAY + 9 * HOUR
            self.create(meeting(*self.team[:2], start=start), stub=stub)

    def health_channel(self, replica):
        channels = self.__dict__.setdefault("_health_channels", {})
        if replica.address not in channels:
            channels[replica.address] = replica.channel()
        return channels[replica.address]

    def replica_stubs(self):
        return [scheduling_service_pb2_grpc.SchedulingServiceStub(r.channel())
                for r in self.replicas]

    def wait_for_health(self, harness_status, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            states = set()
            for r in self.replicas:
                try:
                    states.add(harness.health_status(self.health_channel(r),
                                                     timeout=1))
                except grpc.RpcError:
                    states.add(None)
            if states == {harness_status}:
                return True
            time.sleep(0.2)
        return False


class ReplicaFeedTest(SchedulingTestCase):
    """Watchers on different replicas see one feed."""

    @classmethod
    def setUpServices(cls):
        start_replicated(cls)
        cls.monday = monday_utc(2)
        cls.replica_stubs = [
            scheduling_service_pb2_grpc.SchedulingServiceStub(r.channel())
            for r in cls.replicas]

    def test_watchers_on_two_replicas_see_the_same_gap_free_feed(self):
        team = [self.hire() for _ in range(6)]
        for i in range(30):
            stub = self.replica_stubs[i % REPLICAS]
            start = self.monday + (i // 6) * DAY + 8 * HOUR + (i % 6) * HOUR
            self.create(meeting(team[i % 6], team[(i + 1) % 6], start=start),
                        stub=stub)
        head = self.head()
        first, _ = self.read_feed(until=head, stub=self.replica_stubs[0])
        third, _ = self.read_feed(until=head, stub=self.replica_stubs[2])
        self.assertEqual([c.sequence for c in first], list(range(1, head + 1)))
        self.assertEqual([c.SerializeToString() for c in first],
                         [c.SerializeToString() for c in third])
        times = [c.commit_time.ToNanoseconds() for c in first]
        self.assertEqual(times, sorted(times), "commit times go backwards")

    def test_a_watcher_hears_of_a_booking_made_through_another_replica(self):
        head = self.head()
        call = self.replica_stubs[2].WatchMeetingChanges(
            change_pb2.WatchMeetingChangesRequest(
                after_sequence=head,
                heartbeat_interval=duration_pb2.Duration(seconds=30)),
            timeout=RPC_TIMEOUT)
        received = {}

        def watch():
            try:
                for message in call:
                    if message.changes:
                        received["at"] = time.monotonic()
                        received["change"] = message.changes[0]
                        return
            except grpc.RpcError:
                pass

        watcher = threading.Thread(target=watch)
        watcher.start()
        time.sleep(0.5)  # The stream is open and waiting.
        sent = time.monotonic()
        created = self.create(meeting(self.hire(), start=self.monday + 4 * DAY +
                                      10 * HOUR), stub=self.replica_stubs[0])
        acknowledged = time.monotonic()
        watcher.join(10)
        call.cancel()
        self.assertIn("change", received, "the other replica's watcher heard nothing")
        self.assertEqual(received["change"].meeting.name, created.meeting.name)
        # A figure, not an assertion: timing never fails a test.
        print(f"\nfeed latency across replicas: "
              f"{(received['at'] - sent) * 1000:.1f} ms from sending the "
              f"booking, {(received['at'] - acknowledged) * 1000:.1f} ms "
              f"after it was acknowledged")


class AnalyticsReplicasTest(AnalyticsTestCase):
    """Two analytics replicas sharing one projection in PostgreSQL."""

    @classmethod
    def setUpServices(cls):
        on_postgresql(cls)
        cls.start_participant()
        cls.start_scheduling()
        cls.analytics_db = cls.cluster.create_database()
        cls.start_analytics()
        cls.second = cls.start_replicas(
            "analytics", 1, cls.analytics_flags_for(cls.analytics_db))[0]
        cls.second_stub = analytics_service_pb2_grpc.AnalyticsServiceStub(
            cls.second.channel())
        cls.seed()

    def test_two_replicas_answer_the_same_reports_at_the_same_sequence(self):
        monday = monday_utc(-1)
        team = [self.hire() for _ in range(5)]
        for i in range(25):
            self.create(meeting(team[i % 5], team[(i + 2) % 5],
                                start=monday + (i % 5) * DAY + (9 + i // 5) * HOUR))
        first = self.caught_up()
        second = self.caught_up(stub=self.second_stub)
        self.assertEqual(first.applied_sequence, second.applied_sequence)
        for rpc, request in (
                ("GetCostReport", an.GetCostReportRequest(
                    group_by=reports_pb2.ORGANIZER)),
                ("GetMeetingMixReport", an.GetMeetingMixReportRequest()),
                ("GetMeetingLoadReport", an.GetMeetingLoadReportRequest(
                    page_size=100))):
            one = getattr(self.analytics, rpc)(request, timeout=RPC_TIMEOUT)
            two = getattr(self.second_stub, rpc)(request, timeout=RPC_TIMEOUT)
            self.assertEqual(one.freshness.as_of_sequence,
                             two.freshness.as_of_sequence, rpc)
            # Freshness tells when each last heard a heartbeat; the rest is
            # the report.
            one.ClearField("freshness")
            two.ClearField("freshness")
            self.assertEqual(one, two, rpc)

    def test_a_replica_restarted_resumes_from_the_shared_projection(self):
        before = self.caught_up(stub=self.second_stub).applied_sequence
        rc = self.second.stop(timeout=20)
        self.assertEqual(rc, 0, self.second.log_tail())
        self.create(meeting(self.hire(), start=monday_utc(-1) + 3 * DAY + 15 * HOUR))
        restarted = self.start_service("analytics", self.second.flags)
        stub = analytics_service_pb2_grpc.AnalyticsServiceStub(restarted.channel())
        type(self).second, type(self).second_stub = restarted, stub
        status = self.caught_up(stub=stub)
        self.assertEqual(status.applied_sequence, before + 1)
        stored = self.cluster.sql(
            "SELECT applied_sequence FROM analytics.feed_position",
            database=self.analytics_db.rsplit("/", 1)[1].split("?")[0])
        self.assertEqual(int(stored[0][0]), before + 1)


if __name__ == "__main__":
    unittest.main()
