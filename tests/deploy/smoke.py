#!/usr/bin/python3
"""Smoke test of a deployed salesmeet (scripts/deploy_check.sh runs it
against both compose suites): each service answers SERVING, and one real
call reaches each: a participant is created, a meeting booked with them, and
the analytics cost report counts that meeting once it has followed the feed.
On the way, scheduling is asked to read the meeting back, to book it again
with the same request_id (the same meeting comes back, nothing is added),
and to book the same people at the same time again (refused: a double
booking), and a watcher of the change feed must see the new meeting live.

Given several scheduling replicas (--scheduling=A,B,C, as on PostgreSQL),
those calls go to different ones: the feed is watched on the first, the
meeting booked through the second, read back and retried through the third,
and the double booking tried through the first. So a booking must be seen,
live, by the other replicas, and the database must refuse the double
booking whichever replica it comes through.

    PYTHONPATH=build/py /usr/bin/python3 tests/deploy/smoke.py \\
        --participant=localhost:50051 --scheduling=localhost:50052 \\
        --analytics=localhost:50053

Against services under mutual TLS and an access policy (compose.tls.yaml),
name the CA, a client certificate and its key, and a token that may call
everything, as scripts/dev_pki.sh makes them (--ca, --cert, --key,
--token_file, as scripts/seed_demo.py takes them). Then it also checks that
the services are locked: a plaintext health check gets no answer, and the
certificate alone (operator.crt: reflection only) may not list participants.
"""

import argparse
import datetime
import sys
import threading
import time

import grpc
from google.protobuf import duration_pb2, timestamp_pb2
from google.type import money_pb2
from grpc_std import health_pb2, health_pb2_grpc
from salesmeet.analytics.v1 import analytics_service_pb2 as asv
from salesmeet.analytics.v1 import analytics_service_pb2_grpc as asv_grpc
from salesmeet.analytics.v1 import reports_pb2
from salesmeet.participant.v1 import participant_pb2 as pp
from salesmeet.participant.v1 import participant_service_pb2 as ps
from salesmeet.participant.v1 import participant_service_pb2_grpc as ps_grpc
from salesmeet.scheduling.v1 import change_pb2
from salesmeet.scheduling.v1 import meeting_pb2
from salesmeet.scheduling.v1 import scheduling_service_pb2 as ss
from salesmeet.scheduling.v1 import scheduling_service_pb2_grpc as ss_grpc
from salesmeet.scheduling.v1 import vocabulary_pb2 as vocab
from salesmeet.type.v1 import people_pb2, time_pb2

TIMEOUT_S = 10
HOUR = 3600


def ts(seconds):
    return timestamp_pb2.Timestamp(seconds=int(seconds))


def next_monday_utc():
    """Monday 00:00 UTC two weeks ahead: the meeting lies in the future."""
    today = datetime.datetime.now(datetime.timezone.utc).date()
    monday = today + datetime.timedelta(days=14 - today.weekday())
    return int(datetime.datetime.combine(
        monday, datetime.time(), datetime.timezone.utc).timestamp())


def check_health(name, channel):
    reply = health_pb2_grpc.HealthStub(channel).Check(
        health_pb2.HealthCheckRequest(), timeout=TIMEOUT_S)
    if reply.status != health_pb2.HealthCheckResponse.SERVING:
        sys.exit(f"{name} is {reply.status}, not SERVING")
    print(f"{name}: SERVING")


def read_file(path):
    with open(path, "rb") as f:
        return f.read()


def channel_credentials(args):
    """None (plaintext) without --ca; else mutual TLS with --cert/--key, and
    --token_file's token on every call when given."""
    if not args.ca:
        return None
    credentials = grpc.ssl_channel_credentials(
        root_certificates=read_file(args.ca),
        private_key=read_file(args.key) if args.key else None,
        certificate_chain=read_file(args.cert) if args.cert else None)
    if args.token_file:
        token = read_file(args.token_file).decode("ascii").strip()
        credentials = grpc.composite_channel_credentials(
            credentials, grpc.access_token_call_credentials(token))
    return credentials


def open_channel(address, credentials):
    if credentials is None:
        return grpc.insecure_channel(address)
    return grpc.secure_channel(address, credentials)


def check_locked(args):
    """With --ca: participant answers no plaintext call, and refuses a
    client certificate without a token the policy's reads."""
    with grpc.insecure_channel(args.participant) as plain:
        try:
            health_pb2_grpc.HealthStub(plain).Check(
                health_pb2.HealthCheckRequest(), timeout=TIMEOUT_S)
            sys.exit(f"{args.participant} answered a plaintext health check")
        except grpc.RpcError as error:
            print(f"participant: plaintext refused ({error.code().name})")
    if not args.cert:
        return
    certificate_only = grpc.ssl_channel_credentials(
        root_certificates=read_file(args.ca), private_key=read_file(args.key),
        certificate_chain=read_file(args.cert))
    with grpc.secure_channel(args.participant, certificate_only) as channel:
        try:
            ps_grpc.ParticipantServiceStub(channel).ListParticipants(
                ps.ListParticipantsRequest(page_size=1), timeout=TIMEOUT_S)
            sys.exit(f"{args.participant} let {args.cert} without a token list "
                     "participants")
        except grpc.RpcError as error:
            if error.code() != grpc.StatusCode.PERMISSION_DENIED:
                raise
            print("participant: the certificate alone may not list participants "
                  "(PERMISSION_DENIED)")


def hire(people, run, stem):
    participant = pp.Participant(
        display_name=f"Smoke {stem.title()}", email=f"{stem}.{run}@smoke.example",
        kind=people_pb2.EMPLOYEE, role=people_pb2.SALES_REP, time_zone="UTC",
        hourly_cost=money_pb2.Money(currency_code="EUR", units=60))
    return people.CreateParticipant(ps.CreateParticipantRequest(
        participant=participant, participant_id=f"smoke-{stem}-{run}",
        request_id=f"smoke-{stem}-{run}"), timeout=TIMEOUT_S).name


class FeedWatcher(threading.Thread):
    """Follows the change feed from sequence 0 on one scheduling replica,
    checking that sequences come without a gap or a repeat, and notes when
    each change arrived."""

    def __init__(self, stub):
        super().__init__(name="feed-watcher", daemon=True)
        self.call = stub.WatchMeetingChanges(change_pb2.WatchMeetingChangesRequest(
            after_sequence=0, heartbeat_interval=duration_pb2.Duration(seconds=1)))
        self.caught_up = threading.Event()
        self.lock = threading.Condition()
        self.arrived = {}  # meeting name -> (monotonic time, change), creations
        self.last = 0
        self.error = None

    def run(self):
        try:
            for message in self.call:
                with self.lock:
                    for change in message.changes:
                        if change.sequence != self.last + 1:
                            raise AssertionError(f"feed went from sequence {self.last} "
                                                 f"to {change.sequence}")
                        self.last = change.sequence
                        if change.type == change_pb2.MEETING_CREATED:
                            self.arrived[change.meeting.name] = (time.monotonic(), change)
                    self.lock.notify_all()
                if message.head_sequence == self.last:
                    self.caught_up.set()
        except grpc.RpcError as e:
            if e.code() != grpc.StatusCode.CANCELLED:
                self.error = e
        except Exception as e:  # Reported by wait_for.
            self.error = e
        finally:
            with self.lock:
                self.lock.notify_all()

    def wait_for(self, name, timeout):
        """When the creation of meeting `name` arrived (monotonic time)."""
        deadline = time.monotonic() + timeout
        with self.lock:
            while name not in self.arrived:
                left = deadline - time.monotonic()
                if self.error is not None or left <= 0 or not self.is_alive():
                    sys.exit(f"the feed did not deliver {name} within {timeout:.1f} s "
                             f"(last sequence {self.last}): {self.error}")
                self.lock.wait(left)
            return self.arrived[name][0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participant", default="localhost:50051")
    parser.add_argument("--scheduling", default="localhost:50052",
                        help="scheduling's address, or its replicas' separated "
                             "by commas")
    parser.add_argument("--analytics", default="localhost:50053")
    parser.add_argument("--feed_timeout", type=float, default=60,
                        help="seconds analytics may take to see the meeting")
    parser.add_argument("--live_timeout", type=float, default=2,
                        help="seconds a feed watcher may take to see a "
                             "booking after it was acknowledged")
    parser.add_argument("--ca", default="",
                        help="speak TLS, trusting this CA certificate (PEM)")
    parser.add_argument("--cert", default="",
                        help="with --ca: the client certificate (PEM)")
    parser.add_argument("--key", default="", help="with --cert: its key (PEM)")
    parser.add_argument("--token_file", default="",
                        help="with --ca: a bearer token (JWT) sent on every call")
    args = parser.parse_args()
    if (args.cert or args.key or args.token_file) and not args.ca:
        parser.error("--cert, --key and --token_file need --ca")
    if bool(args.cert) != bool(args.key):
        parser.error("--cert and --key go together")
    credentials = channel_credentials(args)
    replicas = args.scheduling.split(",")
    channels = {"participant": open_channel(args.participant, credentials)}
    for i, address in enumerate(replicas):
        name = "scheduling" if len(replicas) == 1 else f"scheduling {i + 1} ({address})"
        channels[name] = open_channel(address, credentials)
    channels["analytics"] = open_channel(args.analytics, credentials)
    for name, channel in channels.items():
        check_health(name, channel)
    if credentials is not None:
        check_locked(args)
    scheduling = [ss_grpc.SchedulingServiceStub(channels[name])
                  for name in channels if name.startswith("scheduling")]
    # Who watches, books, reads back and retries, and tries the double
    # booking: different replicas when there are three.
    watching, booking, reading = (scheduling[i % len(scheduling)] for i in range(3))

    run = str(int(time.time()))
    people = ps_grpc.ParticipantServiceStub(channels["participant"])
    organizer, guest = hire(people, run, "organizer"), hire(people, run, "guest")
    print(f"participant: created {organizer} and {guest}")

    watcher = FeedWatcher(watching)
    watcher.start()
    if not watcher.caught_up.wait(args.feed_timeout):
        sys.exit(f"the feed watcher did not catch up within {args.feed_timeout:.0f} s "
                 f"(at sequence {watcher.last}): {watcher.error}")
    print(f"scheduling: watching the feed from sequence {watcher.last} on "
          f"{replicas[0]}")

    start = next_monday_utc() + 10 * HOUR
    meeting = meeting_pb2.Meeting(
        title="Smoke test", purpose=vocab.SALES_DATA_REVIEW,
        format=vocab.CONFERENCE_CALL, organizer=organizer,
        attendees=[meeting_pb2.Attendee(participant=p)
                   for p in (organizer, guest)],
        start_time=ts(start), end_time=ts(start + HOUR))
    create = ss.CreateMeetingRequest(meeting=meeting, meeting_id=f"smoke-{run}",
                                     request_id=f"smoke-{run}")
    booked = booking.CreateMeeting(create, timeout=TIMEOUT_S).meeting
    acknowledged = time.monotonic()
    print(f"scheduling: booked {booked.name} through {replicas[1 % len(replicas)]}")
    arrived = watcher.wait_for(booked.name, args.live_timeout)
    print(f"scheduling: the watcher on {replicas[0]} saw it "
          f"{max(0.0, arrived - acknowledged) * 1000:.0f} ms after it was "
          f"acknowledged")

    read = reading.GetMeeting(ss.GetMeetingRequest(name=booked.name), timeout=TIMEOUT_S)
    if (read.name, read.etag) != (booked.name, booked.etag):
        sys.exit(f"{replicas[2 % len(replicas)]} read {read.name} at etag {read.etag}, "
                 f"not {booked.name} at {booked.etag}")
    again = reading.CreateMeeting(create, timeout=TIMEOUT_S).meeting
    if again.name != booked.name:
        sys.exit(f"a retry with the same request_id booked {again.name} "
                 f"besides {booked.name}")
    print(f"scheduling: read it back, and a retry returned it, through "
          f"{replicas[2 % len(replicas)]}")

    double = ss.CreateMeetingRequest(meeting=meeting, meeting_id=f"smoke-{run}-double",
                                     request_id=f"smoke-{run}-double")
    try:
        twice = watching.CreateMeeting(double, timeout=TIMEOUT_S).meeting
        sys.exit(f"the same people at the same time were booked twice: "
                 f"{booked.name} and {twice.name}")
    except grpc.RpcError as e:
        if e.code() != grpc.StatusCode.FAILED_PRECONDITION:
            raise
    print(f"scheduling: the double booking was refused through {replicas[0]}")
    if watcher.error is not None:
        sys.exit(f"the feed watcher failed: {watcher.error}")
    watcher.call.cancel()

    reports = asv_grpc.AnalyticsServiceStub(channels["analytics"])
    request = asv.GetCostReportRequest(
        scope=asv.ReportScope(
            interval=time_pb2.Interval(start_time=ts(start - 24 * HOUR),
                                       end_time=ts(start + 24 * HOUR)),
            organizer=organizer),
        group_by=reports_pb2.ORGANIZER)
    deadline = time.monotonic() + args.feed_timeout
    while True:
        report = reports.GetCostReport(request, timeout=TIMEOUT_S)
        if report.totals.meeting_count == 1:
            print(f"analytics: cost report counts the meeting "
                  f"({report.totals.person_time.seconds // 60} person-minutes)")
            return
        if time.monotonic() > deadline:
            sys.exit(f"analytics did not count {booked.name} within "
                     f"{args.feed_timeout:.0f} s: {report}")
        time.sleep(0.5)


if __name__ == "__main__":
    main()
