#!/usr/bin/python3
"""Smoke test of a deployed salesmeet (scripts/deploy_check.sh runs it
against the compose suite): each service answers SERVING, and one real call
reaches each: a participant is created, a meeting booked with them, and the
analytics cost report counts that meeting once it has followed the feed.

    PYTHONPATH=build/py /usr/bin/python3 tests/deploy/smoke.py \\
        --participant=localhost:50051 --scheduling=localhost:50052 \\
        --analytics=localhost:50053
"""

import argparse
import datetime
import sys
import time

import grpc
from google.protobuf import timestamp_pb2
from google.type import money_pb2
from grpc_std import health_pb2, health_pb2_grpc
from salesmeet.analytics.v1 import analytics_service_pb2 as asv
from salesmeet.analytics.v1 import analytics_service_pb2_grpc as asv_grpc
from salesmeet.analytics.v1 import reports_pb2
from salesmeet.participant.v1 import participant_pb2 as pp
from salesmeet.participant.v1 import participant_service_pb2 as ps
from salesmeet.participant.v1 import participant_service_pb2_grpc as ps_grpc
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


def hire(people, run, stem):
    participant = pp.Participant(
        display_name=f"Smoke {stem.title()}", email=f"{stem}.{run}@smoke.example",
        kind=people_pb2.EMPLOYEE, role=people_pb2.SALES_REP, time_zone="UTC",
        hourly_cost=money_pb2.Money(currency_code="EUR", units=60))
    return people.CreateParticipant(ps.CreateParticipantRequest(
        participant=participant, participant_id=f"smoke-{stem}-{run}",
        request_id=f"smoke-{stem}-{run}"), timeout=TIMEOUT_S).name


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participant", default="localhost:50051")
    parser.add_argument("--scheduling", default="localhost:50052")
    parser.add_argument("--analytics", default="localhost:50053")
    parser.add_argument("--feed_timeout", type=float, default=60,
                        help="seconds analytics may take to see the meeting")
    args = parser.parse_args()
    channels = {name: grpc.insecure_channel(getattr(args, name))
                for name in ("participant", "scheduling", "analytics")}
    for name, channel in channels.items():
        check_health(name, channel)

    run = str(int(time.time()))
    people = ps_grpc.ParticipantServiceStub(channels["participant"])
    organizer, guest = hire(people, run, "organizer"), hire(people, run, "guest")
    print(f"participant: created {organizer} and {guest}")

    start = next_monday_utc() + 10 * HOUR
    meeting = meeting_pb2.Meeting(
        title="Smoke test", purpose=vocab.SALES_DATA_REVIEW,
        format=vocab.CONFERENCE_CALL, organizer=organizer,
        attendees=[meeting_pb2.Attendee(participant=p)
                   for p in (organizer, guest)],
        start_time=ts(start), end_time=ts(start + HOUR))
    booked = ss_grpc.SchedulingServiceStub(channels["scheduling"]).CreateMeeting(
        ss.CreateMeetingRequest(meeting=meeting, meeting_id=f"smoke-{run}",
                                request_id=f"smoke-{run}"),
        timeout=TIMEOUT_S).meeting
    print(f"scheduling: booked {booked.name}")

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
