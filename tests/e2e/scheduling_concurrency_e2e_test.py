"""End-to-end tests of conflict-free booking under concurrency, on the real
participant and scheduling binaries: many clients at once try to book
overlapping meetings and weekly series for the same few people, retrying as
a careful client does (same request_id, on UNAVAILABLE and ABORTED).
Afterwards nobody required is double-booked, every acknowledged booking is
stored, nothing else is, and every refusal was a genuine SCHEDULING_CONFLICT.
Builders and the base class are in scheduling_fixtures.

Run from tests/e2e:
  PYTHONPATH=<build>/py:. SALESMEET_BIN_DIR=<build>/services \\
      /usr/bin/python3 -m unittest -v scheduling_concurrency_e2e_test
"""

import collections
import random
import threading
import unittest

import grpc
from salesmeet.scheduling.v1 import change_pb2
from salesmeet.scheduling.v1 import meeting_pb2
from salesmeet.scheduling.v1 import scheduling_service_pb2 as ss
from salesmeet.scheduling.v1 import scheduling_service_pb2_grpc
from salesmeet.scheduling.v1 import vocabulary_pb2 as vocab

import harness
from harness import RPC_TIMEOUT
from scheduling_fixtures import (DAY, HOUR, MINUTE, WEEK, SchedulingTestCase,
                                 mask, meeting, monday_utc, ts, verdict_of)

CLIENTS = 10
ATTEMPTS_PER_CLIENT = 20
RETRIED = (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.ABORTED)

Outcome = collections.namedtuple("Outcome", "request response error")


def overlaps(a, b):
    """Half-open intervals (start, end, ...) share time."""
    return a[0] < b[1] and b[0] < a[1]


class ConcurrentBookingTest(SchedulingTestCase):

    # How many clients, and how many bookings each tries; a subclass running
    # several replicas raises them.
    clients = CLIENTS
    attempts = ATTEMPTS_PER_CLIENT

    def client_channel(self, i):
        """Client i's own channel (to the one server; replicas spread them)."""
        return self.server.channel()

    @classmethod
    def seed(cls):
        cls.monday = monday_utc(2)

    def setUp(self):
        # Each test books for its own people, so it sees only its meetings.
        self.team = [self.hire() for _ in range(5)]

    def run_clients(self, work):
        """Runs work(stub, client) on CLIENTS threads released together, each
        with its own channel; returns their results in client order."""
        barrier = threading.Barrier(self.clients)
        results = [None] * self.clients
        channels = [self.client_channel(i) for i in range(self.clients)]

        def client(i):
            stub = scheduling_service_pb2_grpc.SchedulingServiceStub(channels[i])
            barrier.wait()
            try:
                results[i] = work(stub, i)
            except Exception as e:  # Collected and asserted by the caller.
                results[i] = e

        threads = [threading.Thread(target=client, args=(i,))
                   for i in range(self.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        self.assertFalse(any(t.is_alive() for t in threads), "a client hung")
        for c in channels:
            c.close()
        for r in results:
            if isinstance(r, Exception):
                raise r
        return results

    def booking_request(self, rng, client, attempt):
        """A meeting for 2 or 3 of the team around 09:00-11:30 on a Monday,
        Tuesday or Wednesday of four weeks: a single one, or a weekly series
        that meets some of the others in some weeks only."""
        people = rng.sample(self.team, rng.choice((2, 3)))
        week, day = rng.randrange(4), rng.choice((0, 1, 2))
        start = (self.monday + week * WEEK + day * DAY + 9 * HOUR +
                 rng.choice((0, 30, 60, 90)) * MINUTE)
        rule = rng.choice(("", "", "", "FREQ=WEEKLY;COUNT=3",
                           "FREQ=WEEKLY;INTERVAL=2;COUNT=2"))
        return ss.CreateMeetingRequest(
            meeting=meeting(*people, start=start, rrule=rule,
                            title=f"client {client} attempt {attempt}"),
            request_id=f"book-{client}-{attempt}")

    def book(self, stub, request):
        try:
            response, _ = harness.call_with_retry(stub.CreateMeeting, request,
                                                  retry_codes=RETRIED)
            return Outcome(request, response, None)
        except grpc.RpcError as e:
            return Outcome(request, None, harness.rich_error(e))

    def required_occurrences(self):
        """(start, end, meeting) per required attendee, over every meeting
        that still makes people busy."""
        busy = collections.defaultdict(list)
        for m in self.list_all(page_size=37):
            if m.state == vocab.CANCELLED:
                continue
            for o in self.occurrences(m.name):
                for a in m.attendees:
                    if not a.optional:
                        busy[a.participant].append(
                            (o.start_time.seconds, o.end_time.seconds, m.name))
        return busy

    def assert_nobody_double_booked(self):
        for person, spans in self.required_occurrences().items():
            spans.sort()
            for earlier, later in zip(spans, spans[1:]):
                self.assertFalse(overlaps(earlier, later),
                                 f"{person} is double-booked: {earlier} and {later}")

    def assert_genuine_conflict(self, outcome, stored):
        error = outcome.error
        self.assertEqual(error.code, grpc.StatusCode.FAILED_PRECONDITION, str(error))
        self.assertEqual(error.error_info.reason, "SCHEDULING_CONFLICT", str(error))
        invited = {a.participant for a in outcome.request.meeting.attendees}
        self.assertTrue(error.violations, str(error))
        for kind, subject in error.violations:
            self.assertEqual(kind, "CONFLICT", str(error))
            self.assertIn(subject, invited, str(error))
        for conflict in verdict_of(error).conflicts:
            self.assertIn(conflict.other_meeting, stored,
                          f"refused because of a meeting that was never "
                          f"acknowledged: {conflict.other_meeting}")

    def test_parallel_bookings_never_double_book_and_every_ack_is_stored(self):
        seed = random.randrange(1 << 30)

        def client(stub, i):
            rng = random.Random(seed * 100 + i)
            return [self.book(stub, self.booking_request(rng, i, n))
                    for n in range(self.attempts)]

        outcomes = [o for batch in self.run_clients(client) for o in batch]
        note = f"(random seed {seed})"
        accepted = {o.response.meeting.name: o for o in outcomes if o.response}
        refused = [o for o in outcomes if o.error]
        self.assertEqual(len(accepted) + len(refused), self.clients * self.attempts)
        self.assertGreater(len(refused), 5, f"too little contention {note}")
        self.assertTrue(any(o.request.meeting.recurrence.rrule
                            for o in accepted.values()), note)

        stored = {m.name: m for person in self.team
                  for m in self.list_all(f'participant = "{person}"', page_size=41)}
        self.assertEqual(set(stored), set(accepted),
                         f"stored and acknowledged meetings differ {note}")
        for name, outcome in accepted.items():
            self.assertEqual(stored[name], outcome.response.meeting, name)
        for outcome in refused:
            self.assert_genuine_conflict(outcome, stored)
        self.assert_nobody_double_booked()

    def test_one_request_id_sent_by_every_client_at_once_books_once(self):
        request = ss.CreateMeetingRequest(
            meeting=meeting(*self.team[:2], start=self.monday + 5 * WEEK + 9 * HOUR),
            request_id="all-clients-same-key")
        responses = self.run_clients(lambda stub, i: self.book(stub, request).response)
        self.assertNotIn(None, responses)
        self.assertEqual(len({r.SerializeToString() for r in responses}), 1)
        name = responses[0].meeting.name
        created = [c for c in self.read_feed()[0] if c.meeting.name == name]
        self.assertEqual([c.type for c in created], [change_pb2.MEETING_CREATED])

    def test_one_meeting_id_claimed_by_every_client_at_once_goes_to_one(self):
        def claim(stub, i):
            request = ss.CreateMeetingRequest(
                meeting=meeting(self.team[i % 5],
                                start=self.monday + 7 * WEEK + i * HOUR,
                                title=f"claim {i}"),
                meeting_id="contested-id")
            try:
                return stub.CreateMeeting(request, timeout=RPC_TIMEOUT)
            except grpc.RpcError as e:
                return harness.rich_error(e)

        results = self.run_clients(claim)
        won = [r for r in results if isinstance(r, ss.CreateMeetingResponse)]
        self.assertEqual(len(won), 1, [str(r) for r in results])
        self.assertEqual({r.code for r in results if r not in won},
                         {grpc.StatusCode.ALREADY_EXISTS})
        self.assertEqual(self.get("meetings/contested-id"), won[0].meeting)

    def test_parallel_reschedules_onto_one_slot_let_only_one_through(self):
        ada = self.hire()
        base = self.monday + 6 * WEEK
        mine = [self.create(meeting(ada, self.hire(),
                                    start=base + i * DAY + 9 * HOUR)).meeting
                for i in range(self.clients)]
        target = base + self.clients * DAY + 14 * HOUR

        def reschedule(stub, i):
            # Each client moves its own meeting onto ada's same afternoon,
            # at slightly different times that all overlap.
            start = target + (i % 3) * 15 * MINUTE
            patch = meeting_pb2.Meeting(name=mine[i].name, etag=mine[i].etag,
                                        start_time=ts(start), end_time=ts(start + HOUR))
            request = ss.UpdateMeetingRequest(meeting=patch,
                                              update_mask=mask("start_time", "end_time"))
            try:
                return harness.call_with_retry(stub.UpdateMeeting, request)[0]
            except grpc.RpcError as e:
                return harness.rich_error(e)

        results = self.run_clients(reschedule)
        moved = [r for r in results if isinstance(r, ss.UpdateMeetingResponse)]
        self.assertEqual(len(moved), 1, [str(r) for r in results])
        for r in results:
            if not isinstance(r, ss.UpdateMeetingResponse):
                self.assertEqual((r.code, r.error_info.reason),
                                 (grpc.StatusCode.FAILED_PRECONDITION,
                                  "SCHEDULING_CONFLICT"), str(r))
        afternoon = [m for m in self.list_all(f'participant = "{ada}"',
                                              span=(target, target + 3 * HOUR))]
        self.assertEqual([m.name for m in afternoon], [moved[0].meeting.name])
        self.assert_nobody_double_booked()


if __name__ == "__main__":
    unittest.main()
