"""End-to-end tests of the change feed (WatchMeetingChanges), on the real
participant and scheduling binaries: a watcher that is cut off and resumes
at random points while writers commit 1,000 changes ends with exactly the
committed sequence, each change carrying the meeting as the writer got it
back; a stalled watcher holds up neither writers nor other watchers; live
changes, heartbeats, OUT_OF_RANGE, and a shutdown that asks watchers to
reconnect. Builders and the base class are in scheduling_fixtures.

Run from tests/e2e:
  PYTHONPATH=<build>/py:. SALESMEET_BIN_DIR=<build>/services \\
      /usr/bin/python3 -m unittest -v scheduling_feed_e2e_test
"""

import random
import threading
import time
import unittest

import grpc
from google.protobuf import duration_pb2
from salesmeet.scheduling.v1 import change_pb2
from salesmeet.scheduling.v1 import meeting_pb2
from salesmeet.scheduling.v1 import scheduling_service_pb2 as ss
from salesmeet.scheduling.v1 import scheduling_service_pb2_grpc
from salesmeet.scheduling.v1 import vocabulary_pb2 as vocab

import harness
from harness import RPC_TIMEOUT
from scheduling_fixtures import (HOUR, MINUTE, SchedulingTestCase, mask,
                                 meeting, monday_utc)

WRITERS = 4
# Makes each change about 2 kB, so that a backlog outgrows transport buffers.
PADDING = "Background for the attendees. " * 60


def watch_request(after, heartbeat=1):
    return change_pb2.WatchMeetingChangesRequest(
        after_sequence=after,
        heartbeat_interval=duration_pb2.Duration(seconds=heartbeat))


class Writer(threading.Thread):
    """Commits a random mix of creates, updates, answers and cancellations
    for two people of its own (so it never conflicts with other writers)
    until `quota` says stop, and records the meeting each call returned."""

    def __init__(self, test, index, quota, rng, creates_only=False):
        super().__init__(name=f"writer-{index}", daemon=True)
        self.stub = scheduling_service_pb2_grpc.SchedulingServiceStub(
            test.server.channel())
        self.people = (test.hire(), test.hire())
        self.start_at = test.monday
        self.quota, self.rng, self.creates_only = quota, rng, creates_only
        self.scheduled = []  # Latest state of this writer's SCHEDULED meetings.
        self.commits = []    # (change type, meeting as returned).
        self.error = None

    def run(self):
        try:
            while self.quota.take():
                self.commits.append(self.write_one())
        except Exception as e:  # Reported by the test.
            self.error = e

    def write_one(self):
        roll = self.rng.random()
        if self.creates_only or len(self.scheduled) < 3 or roll < 0.35:
            slot = self.start_at + len(self.commits) * HOUR
            response = self.stub.CreateMeeting(ss.CreateMeetingRequest(
                meeting=meeting(*self.people, start=slot, minutes=30,
                                description=PADDING)), timeout=RPC_TIMEOUT)
            self.scheduled.append(response.meeting)
            return change_pb2.MEETING_CREATED, response.meeting
        i = self.rng.randrange(len(self.scheduled))
        current = self.scheduled[i]
        if roll < 0.6:
            patch = meeting_pb2.Meeting(name=current.name, etag=current.etag,
                                        title=f"Review {self.rng.randrange(10**6)}")
            after = self.stub.UpdateMeeting(ss.UpdateMeetingRequest(
                meeting=patch, update_mask=mask("title")), timeout=RPC_TIMEOUT).meeting
            kind = change_pb2.MEETING_UPDATED
        elif roll < 0.9:
            after = self.stub.RespondToMeeting(ss.RespondToMeetingRequest(
                name=current.name, attendee=self.people[1],
                response=self.rng.choice((vocab.ACCEPTED, vocab.DECLINED,
                                          vocab.TENTATIVE))), timeout=RPC_TIMEOUT)
            kind = change_pb2.MEETING_RESPONDED
        else:
            after = self.stub.CancelMeeting(ss.CancelMeetingRequest(
                name=current.name, etag=current.etag), timeout=RPC_TIMEOUT)
            del self.scheduled[i]
            return change_pb2.MEETING_CANCELLED, after
        self.scheduled[i] = after
        return kind, after


class Quota:
    """Hands out exactly `total` permits to the writers."""

    def __init__(self, total):
        self.left, self.lock = total, threading.Lock()

    def take(self):
        with self.lock:
            self.left -= 1
            return self.left >= 0


class ResumingWatcher(threading.Thread):
    """Reads the feed from 0, applying changes one by one, and drops the
    stream at random points (a cancel after a random number of changes,
    sometimes mid-batch, or a deadline of a few milliseconds), each time
    resuming from the last sequence it applied. Stops once it has applied
    `until` (set when the writers are done)."""

    def __init__(self, channel, rng):
        super().__init__(name="resuming-watcher", daemon=True)
        self.stub = scheduling_service_pb2_grpc.SchedulingServiceStub(channel)
        self.rng = rng
        self.applied = []
        self.until = None
        self.reconnects = 0
        self.error = None

    def last(self):
        return self.applied[-1].sequence if self.applied else 0

    def done(self):
        return self.until is not None and self.last() >= self.until

    def run(self):
        try:
            while not self.done():
                self.read_once()
                self.reconnects += 1
        except Exception as e:  # Reported by the test.
            self.error = e

    def read_once(self):
        budget = self.rng.randint(1, 120)
        deadline = self.rng.choice((RPC_TIMEOUT, RPC_TIMEOUT, 0.005, 0.05))
        call = self.stub.WatchMeetingChanges(watch_request(self.last()),
                                             timeout=deadline)
        try:
            for message in call:
                newest = message.changes[-1].sequence if message.changes else 0
                if message.head_sequence < newest:
                    raise AssertionError(f"head_sequence {message.head_sequence} is "
                                         f"behind change {newest}")
                for change in message.changes:
                    self.applied.append(change)
                    budget -= 1
                    if budget == 0:
                        return
                if self.done():
                    return
        except grpc.RpcError as e:
            if e.code() not in (grpc.StatusCode.DEADLINE_EXCEEDED,
                                grpc.StatusCode.CANCELLED):
                raise
        finally:
            call.cancel()


class ResumedWatcherTest(SchedulingTestCase):

    CHANGES = 1000

    @classmethod
    def seed(cls):
        cls.monday = monday_utc(2)

    def test_watcher_resumed_at_random_points_sees_each_change_once(self):
        seed = random.randrange(1 << 30)
        note = f"(random seed {seed})"
        quota = Quota(self.CHANGES)
        writers = [Writer(self, i, quota, random.Random(seed + i))
                   for i in range(WRITERS)]
        watcher = ResumingWatcher(self.server.channel(), random.Random(seed))
        watcher.start()
        self.addCleanup(setattr, watcher, "until", 0)  # Stops it if a check fails.
        for w in writers:
            w.start()
        for w in writers:
            w.join(60)
            self.assertFalse(w.is_alive(), f"{w.name} is stuck {note}")
            self.assertIsNone(w.error, f"{w.name} failed {note}")
        head = self.head()
        watcher.until = head
        watcher.join(60)
        self.assertFalse(watcher.is_alive(), f"the watcher did not catch up {note}")
        self.assertIsNone(watcher.error, note)

        self.assertEqual(head, self.CHANGES, note)
        self.assertEqual([c.sequence for c in watcher.applied],
                         list(range(1, head + 1)), f"gap or repeat {note}")
        self.assertGreater(watcher.reconnects, 10, note)
        committed = {(m.name, m.etag): (kind, m)
                     for w in writers for kind, m in w.commits}
        self.assertEqual(len(committed), self.CHANGES, note)
        for change in watcher.applied:
            key = (change.meeting.name, change.meeting.etag)
            self.assertIn(key, committed, f"change {change.sequence} was never committed")
            kind, returned = committed[key]
            self.assertEqual(change.type, kind, f"change {change.sequence}")
            self.assertEqual(change.meeting, returned,
                             f"change {change.sequence} does not carry the full meeting")
            self.assertTrue(all(a.snapshot.HasField("capture_time")
                                for a in change.meeting.attendees))


class StalledWatcher(threading.Thread):
    """Watches from 0, reads the first message and then stops reading until
    resume(); then reads on until it has `until`. Its channel does no BDP
    probing, so the transport window stays small and an unread backlog
    fills it: the server's writes to this stream block."""

    def __init__(self, address):
        super().__init__(name="stalled-watcher", daemon=True)
        self.channel = grpc.insecure_channel(address,
                                             options=[("grpc.http2.bdp_probe", 0)])
        self.call = scheduling_service_pb2_grpc.SchedulingServiceStub(
            self.channel).WatchMeetingChanges(watch_request(0), timeout=120)
        self.resumed = threading.Event()
        self.until = None
        self.sequences = []
        self.error = None

    def last(self):
        return self.sequences[-1] if self.sequences else 0

    def run(self):
        try:
            for message in self.call:
                self.sequences.extend(c.sequence for c in message.changes)
                self.resumed.wait(60)
                if self.until is not None and self.last() >= self.until:
                    return
        except grpc.RpcError as e:
            if e.code() != grpc.StatusCode.CANCELLED:
                self.error = e
        finally:
            self.call.cancel()
            self.channel.close()

    def resume(self, until):
        self.until = until
        self.resumed.set()

    def stop(self):
        self.call.cancel()
        self.resumed.set()


class SlowWatcherTest(SchedulingTestCase):
    """A watcher that stops reading must not hold up writers or the others."""

    BURST = 300

    @classmethod
    def seed(cls):
        cls.monday = monday_utc(2)

    def write_burst(self):
        """BURST creates from two writer threads, each for people of its
        own; returns the seconds taken."""
        quota = Quota(self.BURST)
        writers = [Writer(self, i, quota, random.Random(i), creates_only=True)
                   for i in range(2)]
        began = time.monotonic()
        for w in writers:
            w.start()
        for w in writers:
            w.join(60)
            self.assertFalse(w.is_alive(), f"{w.name} is stuck")
            self.assertIsNone(w.error)
        return time.monotonic() - began

    def test_stalled_watcher_holds_up_neither_writers_nor_other_watchers(self):
        unhindered = self.write_burst()
        stalled = StalledWatcher(self.server.address)
        self.addCleanup(stalled.stop)
        stalled.start()
        harness.wait_for(lambda: stalled.last() > 0, 10, what="the first batch")
        hindered = self.write_burst()
        head = self.head()
        self.assertLess(stalled.last(), head - self.BURST // 2,
                        "the stalled watcher kept up; the test proves nothing")
        # Another watcher still gets everything at once.
        fresh, _ = self.read_feed(after=stalled.last())
        self.assertEqual(fresh[-1].sequence, head)
        # Writers were not held up: generous, since CI machines are noisy.
        self.assertLess(hindered, max(5 * unhindered, unhindered + 5.0),
                        f"{self.BURST} writes took {hindered:.2f}s with a stalled "
                        f"watcher, {unhindered:.2f}s without")
        # Once it reads again, the stalled watcher gets the rest, in order.
        stalled.resume(until=head)
        stalled.join(30)
        self.assertFalse(stalled.is_alive(), "the stalled watcher never caught up")
        self.assertIsNone(stalled.error)
        self.assertEqual(stalled.sequences, list(range(1, head + 1)))


class FeedBasicsTest(SchedulingTestCase):

    @classmethod
    def seed(cls):
        cls.monday = monday_utc(2)
        cls.ada, cls.bob = cls.hire(), cls.hire()
        cls.slots = iter(range(0, 1000 * HOUR, HOUR))
        cls.create(meeting(cls.ada, start=cls.monday + next(cls.slots)))

    def book(self, **request_fields):
        return self.create(meeting(self.ada, self.bob,
                                   start=self.monday + next(self.slots)),
                           **request_fields)

    def test_after_sequence_beyond_the_head_or_negative_is_out_of_range(self):
        head = self.head()
        for after in (head + 1, head + 1000, -1):
            with self.subTest(after=after):
                call = self.stub.WatchMeetingChanges(watch_request(after),
                                                     timeout=RPC_TIMEOUT)
                with self.assertRaises(grpc.RpcError) as caught:
                    next(iter(call))
                self.assertEqual(caught.exception.code(), grpc.StatusCode.OUT_OF_RANGE)
                self.assertIn(str(head), caught.exception.details())

    def test_watcher_at_the_head_gets_new_changes_as_they_commit(self):
        head = self.head()
        received = []
        call = self.stub.WatchMeetingChanges(watch_request(head, heartbeat=60),
                                             timeout=RPC_TIMEOUT)

        def read():
            for message in call:
                received.extend(message.changes)
                if received:
                    return

        reader = threading.Thread(target=read)
        reader.start()
        time.sleep(0.3)  # Let the stream reach its wait for news.
        booked = self.book().meeting
        reader.join(RPC_TIMEOUT)
        call.cancel()
        self.assertEqual([(c.sequence, c.type) for c in received],
                         [(head + 1, change_pb2.MEETING_CREATED)])
        self.assertEqual(received[0].meeting, booked)

    def test_idle_stream_sends_heartbeats_with_the_head(self):
        head = self.head()
        call = self.stub.WatchMeetingChanges(watch_request(head, heartbeat=1),
                                             timeout=RPC_TIMEOUT)
        began = time.monotonic()
        try:
            message = next(iter(call))
        finally:
            call.cancel()
        self.assertEqual(list(message.changes), [])
        self.assertEqual(message.head_sequence, head)
        self.assertLess(time.monotonic() - began, 5.0)

    def test_previews_and_refused_writes_add_no_change(self):
        first = self.book()
        head = self.head()
        self.create(meeting(self.ada, start=first.meeting.start_time.seconds),
                    validate_only=True)
        with self.assertRaises(grpc.RpcError) as refused:
            self.create(meeting(self.bob, start=first.meeting.start_time.seconds
                                + 15 * MINUTE))
        self.assertEqual(refused.exception.code(), grpc.StatusCode.FAILED_PRECONDITION)
        self.assertEqual(self.head(), head)

    def test_shutdown_asks_watchers_to_reconnect_and_resuming_misses_nothing(self):
        head = self.head()
        # A channel of its own: stopping the server closes the harness's.
        channel = grpc.insecure_channel(self.server.address)
        self.addCleanup(channel.close)
        stub = scheduling_service_pb2_grpc.SchedulingServiceStub(channel)
        call = stub.WatchMeetingChanges(watch_request(head, heartbeat=60),
                                        timeout=RPC_TIMEOUT)
        outcome = {}

        def read():
            try:
                for _ in call:
                    pass
            except grpc.RpcError as e:
                outcome["code"] = e.code()

        reader = threading.Thread(target=read)
        reader.start()
        time.sleep(0.3)
        self.restart_scheduling()
        reader.join(RPC_TIMEOUT)
        self.assertEqual(outcome.get("code"), grpc.StatusCode.UNAVAILABLE)
        booked = self.book().meeting
        changes, _ = self.read_feed(after=head)
        self.assertEqual([(c.sequence, c.meeting.name) for c in changes],
                         [(head + 1, booked.name)])


if __name__ == "__main__":
    unittest.main()
