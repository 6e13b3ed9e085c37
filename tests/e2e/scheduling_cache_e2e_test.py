"""End-to-end tests of the scheduling service's Redis calendar cache, on the
real participant and scheduling binaries and a real redis-server that each
class starts on a free port:

  * read-your-writes through a second scheduling process sharing the same
    Redis and the same SQLite database, with the reader's cache warmed
    before every change (create, update, move, cancel an occurrence, cancel);
  * Redis killed mid-test: reads and bookings keep succeeding from the
    database and health stays SERVING; Redis restarted: hits rise again
    after the circuit breaker's cool-down;
  * a slow Redis (DEBUG SLEEP): a read waits for the command timeout, not
    for Redis;
  * a poisoned cache (every bucket of a participant overwritten with an
    empty calendar) is served by reads but cannot make a booking
    double-book, as conflict checks read the database.

Builders and the base class are in scheduling_fixtures.

Run from tests/e2e:
  PYTHONPATH=<build>/py:. SALESMEET_BIN_DIR=<build>/services \\
      /usr/bin/python3 -m unittest -v scheduling_cache_e2e_test
"""

import os
import re
import shutil
import signal
import subprocess
import time
import unittest

import grpc
from google.protobuf import duration_pb2
from salesmeet.scheduling.v1 import calendar_pb2
from salesmeet.scheduling.v1 import meeting_pb2
from salesmeet.scheduling.v1 import scheduling_service_pb2 as ss
from salesmeet.scheduling.v1 import scheduling_service_pb2_grpc

import harness
from harness import RPC_TIMEOUT
from scheduling_fixtures import (DAY, HOUR, MINUTE, WEEK, SchedulingTestCase,
                                 interval, mask, meeting, monday_utc, ts)

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
REDIS_CLI = shutil.which("redis-cli") or "/usr/bin/redis-cli"
BUCKET_PATTERN = "salesmeet:cal:*"
COMMAND_TIMEOUT_MS = 100
BREAKER_COOLDOWN = 5.0  # RedisOptions.breaker_cooldown.


def redis_major_version():
    out = subprocess.run([REDIS_SERVER, "--version"], capture_output=True,
                         text=True, timeout=10).stdout
    match = re.search(r"v=(\d+)\.", out)
    return int(match.group(1)) if match else 0


class RedisServer:
    """A throwaway redis-server on 127.0.0.1:port, without persistence."""

    def __init__(self, port):
        self.port = port
        self.process = None
        self.log_path = os.path.join(harness._LOG_ROOT,
                                     f"redis-{port}-{time.monotonic_ns()}.log")

    def start(self, timeout=10.0):
        args = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no"]
        if redis_major_version() >= 7:
            # Redis 7 refuses DEBUG unless this is set; older ones lack it.
            args += ["--enable-debug-command", "yes"]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                harness._PDEATHSIG_PREFIX + args, stdin=subprocess.DEVNULL,
                stdout=log, stderr=subprocess.STDOUT, close_fds=True)
        harness.wait_for(lambda: self.ping() or self._exited(), timeout,
                         interval=0.05, what=f"redis-server on port {self.port}")
        if self.process.poll() is not None:
            raise AssertionError(f"redis-server exited: {self.log_tail()}")
        return self

    def _exited(self):
        return self.process.poll() is not None

    def ping(self):
        try:
            return self.cli("PING", timeout=2) == "PONG"
        except (subprocess.SubprocessError, AssertionError):
            return False

    def cli(self, *args, timeout=10):
        """Runs redis-cli against this server; returns its stdout, stripped."""
        done = subprocess.run([REDIS_CLI, "-p", str(self.port)] + list(args),
                              capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise AssertionError(f"redis-cli {args} failed: {done.stderr}")
        return done.stdout.strip()

    def cli_background(self, *args):
        """Starts redis-cli without waiting for it."""
        return subprocess.Popen([REDIS_CLI, "-p", str(self.port)] + list(args),
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)

    def keys(self, pattern=BUCKET_PATTERN):
        out = self.cli("--scan", "--pattern", pattern)
        return [k for k in out.splitlines() if k]

    def kill(self):
        """SIGKILL, as a crash: no goodbye to the clients."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def log_tail(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", errors="replace")[-2000:]


def metric(server, name):
    """The value of an unlabelled Prometheus sample, or None if absent."""
    pattern = re.compile(rf"^{re.escape(name)}(?:\{{[^}}]*\}})? (\S+)$", re.M)
    match = pattern.search(server.fetch_metrics())
    return float(match.group(1)) if match else None


class CacheTestCase(SchedulingTestCase):
    """A redis-server, a participant server and a scheduling server using
    both, for the class. Subclasses may start more scheduling servers."""

    @classmethod
    def setUpServices(cls):
        cls.redis_port = harness.free_port()
        cls.redis = RedisServer(cls.redis_port).start()
        cls.addClassCleanup(cls.redis.kill)
        cls.scheduling_flags = {
            "redis": f"127.0.0.1:{cls.redis_port}",
            "redis_command_timeout": f"{COMMAND_TIMEOUT_MS}ms",
            "redis_connect_timeout": "200ms",
            "redis_ttl": "1h"}
        super().setUpServices()
        cls.monday = monday_utc(2)
        cls.window = (cls.monday, cls.monday + 2 * WEEK)

    @classmethod
    def restart_redis(cls):
        cls.redis = RedisServer(cls.redis_port).start()
        cls.addClassCleanup(cls.redis.kill)

    # -- reads -------------------------------------------------------------

    def calendar(self, who, stub=None, span=None, timeout=RPC_TIMEOUT):
        """(meeting, start, end) of every entry on who's calendar."""
        response = (stub or self.stub).GetCalendar(
            calendar_pb2.GetCalendarRequest(participant=who,
                                            interval=interval(*(span or self.window))),
            timeout=timeout)
        return [(e.meeting, e.start_time.seconds, e.end_time.seconds)
                for e in response.entries]

    def busy(self, people, stub=None, span=None):
        """{participant: [(start, end)]} from QueryFreeBusy."""
        response = (stub or self.stub).QueryFreeBusy(
            calendar_pb2.QueryFreeBusyRequest(
                participants=list(people), interval=interval(*(span or self.window))),
            timeout=RPC_TIMEOUT)
        out = {}
        for fb in response.free_busy:
            self.assertFalse(fb.HasField("error"), str(fb))
            out[fb.participant] = [(i.start_time.seconds, i.end_time.seconds)
                                   for i in fb.busy]
        return out

    def slots(self, required, day_start, stub=None):
        """FindMeetingSlots for an hour on one day; the slots as (start, end)."""
        response = (stub or self.stub).FindMeetingSlots(
            calendar_pb2.FindMeetingSlotsRequest(
                required_attendees=list(required),
                duration=duration_pb2.Duration(seconds=HOUR),
                window=interval(day_start, day_start + DAY),
                granularity=duration_pb2.Duration(seconds=30 * MINUTE),
                max_results=100),
            timeout=RPC_TIMEOUT)
        return [(s.interval.start_time.seconds, s.interval.end_time.seconds)
                for s in response.slots]

    def counts(self, server=None):
        server = server or self.server
        return {name: metric(server, f"calendar_cache_{name}")
                for name in ("hits_total", "misses_total", "errors_total",
                             "breaker_open")}


class ReadYourWritesTest(CacheTestCase):
    """Two scheduling processes, A and B, on one database and one Redis."""

    @classmethod
    def setUpServices(cls):
        super().setUpServices()
        cls.server_a, cls.stub_a = cls.server, cls.stub
        cls.server_b = cls.start_service(
            "scheduling", {"db": cls.scheduling_db,
                           "participant": cls.participant_server.address,
                           "participant_timeout": "2s", "drain_grace": "0s",
                           **cls.scheduling_flags})
        cls.stub_b = scheduling_service_pb2_grpc.SchedulingServiceStub(
            cls.server_b.channel())

    def warm(self, reader_stub, reader_server, people):
        """Reads every calendar and the free/busy of people twice through
        the reader; the second read must be served from Redis."""
        for who in people:
            self.calendar(who, stub=reader_stub)
        self.busy(people, stub=reader_stub)
        hits = metric(reader_server, "calendar_cache_hits_total")
        for who in people:
            self.calendar(who, stub=reader_stub)
        self.busy(people, stub=reader_stub)
        self.assertGreater(metric(reader_server, "calendar_cache_hits_total"), hits,
                           "the warmed reads were not served from Redis")

    def check_round_trip(self, write_stub, read_stub, read_server):
        ada, bob = self.hire(), self.hire()
        people = (ada, bob)
        start = self.monday + DAY + 10 * HOUR

        # Create.
        self.warm(read_stub, read_server, people)
        self.assertEqual(self.calendar(ada, stub=read_stub), [])
        booked = self.create(meeting(ada, bob, start=start), stub=write_stub).meeting
        self.assertEqual(self.calendar(ada, stub=read_stub),
                         [(booked.name, start, start + HOUR)])
        self.assertEqual(self.busy(people, stub=read_stub),
                         {ada: [(start, start + HOUR)], bob: [(start, start + HOUR)]})

        # Update: a new time in the other week bucket.
        self.warm(read_stub, read_server, people)
        moved_to = self.monday + WEEK + 2 * DAY + 14 * HOUR
        updated = write_stub.UpdateMeeting(ss.UpdateMeetingRequest(
            meeting=meeting_pb2.Meeting(name=booked.name, etag=booked.etag,
                                        start_time=ts(moved_to),
                                        end_time=ts(moved_to + 30 * MINUTE)),
            update_mask=mask("start_time", "end_time")), timeout=RPC_TIMEOUT).meeting
        self.assertEqual(self.calendar(bob, stub=read_stub),
                         [(booked.name, moved_to, moved_to + 30 * MINUTE)])
        self.assertEqual(self.busy(people, stub=read_stub)[ada],
                         [(moved_to, moved_to + 30 * MINUTE)])

        # A weekly series, then an exception: one occurrence moved.
        series_start = self.monday + 2 * DAY + 9 * HOUR
        self.warm(read_stub, read_server, people)
        series = self.create(meeting(ada, bob, start=series_start,
                                     rrule="FREQ=WEEKLY;COUNT=2"),
                             stub=write_stub).meeting
        second = series_start + WEEK
        self.assertEqual(
            self.busy(people, stub=read_stub)[bob],
            sorted([(series_start, series_start + HOUR), (second, second + HOUR),
                    (moved_to, moved_to + 30 * MINUTE)]))
        self.warm(read_stub, read_server, people)
        new_second = second + DAY + 6 * HOUR  # Thursday 15:00 UTC.
        moved = write_stub.MoveOccurrence(ss.MoveOccurrenceRequest(
            name=series.name, original_start_time=ts(second),
            start_time=ts(new_second), end_time=ts(new_second + HOUR)),
            timeout=RPC_TIMEOUT)
        self.assertIn((series.name, new_second, new_second + HOUR),
                      self.calendar(ada, stub=read_stub))
        self.assertNotIn((series.name, second, second + HOUR),
                         self.calendar(ada, stub=read_stub))
        self.assertEqual(
            self.busy(people, stub=read_stub)[bob],
            sorted([(series_start, series_start + HOUR),
                    (new_second, new_second + HOUR),
                    (moved_to, moved_to + 30 * MINUTE)]))

        # Another exception: the first occurrence cancelled.
        self.warm(read_stub, read_server, people)
        write_stub.CancelOccurrence(ss.CancelOccurrenceRequest(
            name=series.name, original_start_time=ts(series_start),
            etag=moved.meeting.etag), timeout=RPC_TIMEOUT)
        self.assertEqual(sorted(self.calendar(bob, stub=read_stub)),
                         sorted([(series.name, new_second, new_second + HOUR),
                                 (booked.name, moved_to, moved_to + 30 * MINUTE)]))

        # Cancel the single meeting, then the series.
        self.warm(read_stub, read_server, people)
        write_stub.CancelMeeting(ss.CancelMeetingRequest(name=booked.name),
                                 timeout=RPC_TIMEOUT)
        self.assertEqual(self.busy(people, stub=read_stub)[ada],
                         [(new_second, new_second + HOUR)])
        self.warm(read_stub, read_server, people)
        write_stub.CancelMeeting(ss.CancelMeetingRequest(name=series.name),
                                 timeout=RPC_TIMEOUT)
        self.assertEqual(self.calendar(ada, stub=read_stub), [])
        self.assertEqual(self.busy(people, stub=read_stub), {ada: [], bob: []})

    def test_writes_through_a_are_read_at_once_through_b(self):
        self.check_round_trip(self.stub_a, self.stub_b, self.server_b)

    def test_writes_through_b_are_read_at_once_through_a(self):
        self.check_round_trip(self.stub_b, self.stub_a, self.server_a)

    def test_write_while_the_writer_cannot_reach_redis_is_read_by_the_other(self):
        # "A cache entry written before a change is never served after it",
        # also when the writer cannot bump the version: here A's breaker is
        # open (Redis was slow for A only) while B's is closed.
        ada, bob = self.hire(), self.hire()
        start = self.monday + 4 * DAY + 10 * HOUR
        booked = self.create(meeting(ada, bob, start=start), stub=self.stub_a).meeting
        self.warm(self.stub_b, self.server_b, (ada, bob))
        sleeper = self.redis.cli_background("DEBUG", "SLEEP", "1")
        try:
            time.sleep(0.15)
            for _ in range(8):  # Each times out for A: its breaker opens.
                self.calendar(bob, stub=self.stub_a)
        finally:
            sleeper.wait(10)
        try:
            self.assertEqual(metric(self.server_a, "calendar_cache_breaker_open"), 1)
            self.assertEqual(metric(self.server_b, "calendar_cache_breaker_open"), 0)
            self.stub_a.CancelMeeting(ss.CancelMeetingRequest(name=booked.name),
                                      timeout=RPC_TIMEOUT)
            self.assertEqual(self.calendar(ada, stub=self.stub_a), [])
            self.assertEqual(self.calendar(ada, stub=self.stub_b), [],
                             "B served a bucket cached before A's cancel")
        finally:
            # Leave A using Redis again for the other tests.
            def a_hits():
                hits = metric(self.server_a, "calendar_cache_hits_total")
                self.calendar(bob, stub=self.stub_a)
                self.calendar(bob, stub=self.stub_a)
                return metric(self.server_a, "calendar_cache_hits_total") > hits
            harness.wait_for(a_hits, BREAKER_COOLDOWN + 10, interval=0.2,
                             what="A's cache hits after its breaker closes")

    def test_poisoned_cache_is_served_but_cannot_double_book(self):
        ada, bob, carla = self.hire(), self.hire(), self.hire()
        start = self.monday + 3 * DAY + 11 * HOUR
        booked = self.create(meeting(ada, bob, start=start)).meeting
        self.assertEqual(self.calendar(ada), [(booked.name, start, start + HOUR)])
        self.calendar(ada)  # Warm: the buckets are now in Redis.
        participant_id = ada.split("/", 1)[1]
        poisoned = [k for k in self.redis.keys()
                    if f":{ada}:" in k or f":{participant_id}:" in k]
        self.assertTrue(poisoned, f"no bucket of {ada} in {self.redis.keys()}")
        for key in poisoned:
            # An empty GetCalendarResponse serializes to b"": an empty bucket.
            self.redis.cli("SET", key, "", "KEEPTTL")
        # The poison is served, by both processes: proof it is in use.
        self.assertEqual(self.calendar(ada), [])
        self.assertEqual(self.calendar(ada, stub=self.stub_b), [])
        # The conflict check reads the database, not the cache.
        for stub in (self.stub_a, self.stub_b):
            error = self.expect_rpc_error(
                grpc.StatusCode.FAILED_PRECONDITION, stub.CreateMeeting,
                ss.CreateMeetingRequest(meeting=meeting(
                    carla, ada, start=start + 30 * MINUTE)))
            self.assertEqual(error.error_info.reason, "SCHEDULING_CONFLICT",
                             str(error))
        self.assertEqual(self.calendar(carla), [])


class RedisFaultsTest(CacheTestCase):
    """One scheduling process, whose Redis is killed, restarted and slowed."""

    def healthy(self):
        self.assertEqual(harness.health_status(self.channel), "SERVING")
        self.assertEqual(harness.health_status(
            self.channel, "salesmeet.scheduling.v1.SchedulingService"), "SERVING")

    def test_killed_redis_degrades_to_the_database_and_restart_resumes_hits(self):
        ada, bob = self.hire(), self.hire()
        day = self.monday + 4 * DAY
        first = self.create(meeting(ada, bob, start=day + 9 * HOUR)).meeting
        self.calendar(ada)
        self.calendar(ada)
        before = self.counts()
        self.assertGreater(before["hits_total"], 0, before)

        self.redis.kill()
        booked = [(first.name, day + 9 * HOUR, day + 10 * HOUR)]
        for i in range(8):  # More failures than it takes to open the breaker.
            hour = 11 + i
            self.assertEqual(self.calendar(ada), booked)
            self.assertEqual(self.busy([ada, bob])[bob],
                             [(s, e) for _, s, e in booked])
            free = self.slots([ada, bob], day)
            for s, e in free:
                for _, bs, be in booked:
                    self.assertFalse(s < be and bs < e, (s, e, booked))
            made = self.create(meeting(ada, bob, start=day + hour * HOUR,
                                       minutes=30)).meeting
            booked.append((made.name, day + hour * HOUR, day + hour * HOUR + 30 * MINUTE))
            self.healthy()
        # Written while Redis was down, read from the database.
        self.assertEqual(self.calendar(bob), booked)
        down = self.counts()
        self.assertGreater(down["errors_total"], before["errors_total"], down)
        self.assertEqual(down["breaker_open"], 1, down)
        # A conflict is still refused.
        error = self.expect_rpc_error(
            grpc.StatusCode.FAILED_PRECONDITION, self.stub.CreateMeeting,
            ss.CreateMeetingRequest(meeting=meeting(ada, start=day + 9 * HOUR)))
        self.assertEqual(error.error_info.reason, "SCHEDULING_CONFLICT", str(error))

        self.restart_redis()
        restarted = time.monotonic()
        hits_at_restart = self.counts()["hits_total"]

        def hits_again():
            self.assertEqual(self.calendar(ada), booked)
            return self.counts()["hits_total"] > hits_at_restart
        harness.wait_for(hits_again, BREAKER_COOLDOWN + 10, interval=0.2,
                         what="calendar cache hits after Redis restarted")
        waited = time.monotonic() - restarted
        after = self.counts()
        self.assertEqual(after["breaker_open"], 0, after)
        self.healthy()
        # And the cache is correct again: a new booking is read at once.
        late = day + 20 * HOUR
        made = self.create(meeting(ada, bob, start=late)).meeting
        self.assertIn((made.name, late, late + HOUR), self.calendar(ada))
        self.assertLess(waited, BREAKER_COOLDOWN + 10)

    def test_slow_redis_costs_at_most_the_command_timeout(self):
        # Redis may have been killed and restarted by the test above: wait
        # until this process uses it again.
        ada, bob = self.hire(), self.hire()
        day = self.monday + 5 * DAY
        made = self.create(meeting(ada, bob, start=day + 9 * HOUR)).meeting
        expected = [(made.name, day + 9 * HOUR, day + 10 * HOUR)]

        def warm_hit():
            hits = self.counts()["hits_total"]
            self.assertEqual(self.calendar(ada), expected)
            return self.counts()["hits_total"] > hits
        harness.wait_for(warm_hit, BREAKER_COOLDOWN + 10, interval=0.2,
                         what="a cache hit before slowing Redis")
        # Calm latency, for scale.
        started = time.monotonic()
        self.calendar(ada)
        calm = time.monotonic() - started

        sleeper = self.redis.cli_background("DEBUG", "SLEEP", "1")
        self.addCleanup(sleeper.wait, 10)
        try:
            # Until Redis is asleep, PING answers at once.
            time.sleep(0.15)
            errors = self.counts()["errors_total"]
            started = time.monotonic()
            found = self.calendar(ada, timeout=5)
            took = time.monotonic() - started
        finally:
            sleeper.wait(10)
        self.assertEqual(found, expected)
        self.assertLess(took, 0.6,
                        f"GetCalendar took {took:.3f}s with Redis asleep "
                        f"(calm: {calm:.3f}s; command timeout "
                        f"{COMMAND_TIMEOUT_MS}ms)")
        self.assertGreater(self.counts()["errors_total"], errors,
                           "the slow Redis call was not counted as an error")
        self.healthy()


if __name__ == "__main__":
    unittest.main()
