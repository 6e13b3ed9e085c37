"""End-to-end tests of the analytics projection's life on the change feed,
on the real participant, scheduling and analytics binaries: killed in the
middle of catching up, it resumes and counts every change exactly once;
with scheduling down it keeps answering, marked stale, and catches up when
scheduling returns; a projection rebuilt from sequence 0 gives the same
reports as the one built live; the lag is exported as a metric.

Run from tests/e2e:
  PYTHONPATH=<build>/py:. SALESMEET_BIN_DIR=<build>/services \\
      /usr/bin/python3 -m unittest -v analytics_feed_e2e_test
"""

import os
import signal
import time
import unittest

from salesmeet.analytics.v1 import analytics_service_pb2 as asv
from salesmeet.analytics.v1 import analytics_service_pb2_grpc
from salesmeet.analytics.v1 import reports_pb2 as rp

import harness
from analytics_fixtures import AnalyticsTestCase, KnownWeeks, cents, scope
from harness import RPC_TIMEOUT
from scheduling_fixtures import HOUR, MINUTE, WEEK, meeting, monday_utc

# Changes booked while analytics is away: three feed messages' worth, so a
# kill lands between two of them.
BACKLOG = 1200


class FeedLifeTest(AnalyticsTestCase):
    # Scheduling is restarted on the same address analytics follows.
    scheduling_flags = {"port": harness.free_port()}

    @classmethod
    def seed(cls):
        cls.known = KnownWeeks(cls)
        # A pair who meet for 30 minutes: 50 EUR of the rep's time a meeting.
        cls.rep = cls.hire_known("rep", 100)
        cls.manager = cls.hire_known("mgr", 60)
        cls.next_slot = monday_utc(weeks_ahead=2)
        cls.booked = 0

    @classmethod
    def setUpServices(cls):
        super().setUpServices()
        cls.caught_up()

    @classmethod
    def book(cls, count):
        for _ in range(count):
            cls.create(meeting(cls.rep, cls.manager, start=cls.next_slot,
                               minutes=30))
            cls.next_slot += HOUR
            cls.booked += 1

    def pair_cost(self, stub=None):
        """The pair's cost report over every slot booked so far."""
        start = monday_utc(weeks_ahead=2)
        report = (stub or self.analytics).GetCostReport(
            asv.GetCostReportRequest(
                scope=scope(start, start + 52 * WEEK, participant=self.rep),
                group_by=rp.PARTICIPANT), timeout=RPC_TIMEOUT)
        return report

    def all_reports(self, stub):
        """Every report over the known weeks, freshness cleared, as bytes."""
        k = self.known
        whole = scope(k.start, k.end)
        requests = [
            (stub.GetCostReport, asv.GetCostReportRequest(scope=whole,
                                                          group_by=dim))
            for dim in (rp.TEAM, rp.ORGANIZER, rp.PURPOSE, rp.FORMAT,
                        rp.AUDIENCE, rp.ISO_WEEK, rp.PARTICIPANT)]
        requests += [
            (stub.GetMeetingMixReport, asv.GetMeetingMixReportRequest(scope=whole)),
            (stub.GetMeetingLoadReport,
             asv.GetMeetingLoadReportRequest(scope=whole, page_size=1000)),
            # A range that has ended, so its evaluation time is not "now".
            (stub.GetContactCadenceReport,
             asv.GetContactCadenceReportRequest(
                 interval=scope(k.start, k.start + WEEK).interval,
                 page_size=1000)),
        ]
        requests += [
            (stub.GetTopPerformers,
             asv.GetTopPerformersRequest(scope=whole, metric=metric,
                                         min_meetings=1))
            for metric in (rp.WON_DEAL_VALUE, rp.WIN_RATE,
                           rp.VALUE_PER_MEETING_HOUR,
                           rp.RETURN_ON_MEETING_COST)]
        out = []
        for rpc, request in requests:
            report = rpc(request, timeout=RPC_TIMEOUT)
            report.ClearField("freshness")
            out.append(report.SerializeToString(deterministic=True))
        return out

    def test_killed_mid_catch_up_it_resumes_without_counting_twice(self):
        rc = self.analytics_server.stop(signal.SIGTERM, timeout=20)
        self.assertEqual(rc, 0, self.analytics_server.log_tail())
        self.book(BACKLOG)
        head = self.head()
        server = self.start_analytics()

        def partly_applied():
            status = self.analytics.GetFeedStatus(asv.GetFeedStatusRequest(),
                                                  timeout=RPC_TIMEOUT)
            return status if status.applied_sequence > 0 else None
        seen = harness.wait_for(partly_applied, 20, interval=0.001,
                                what="analytics to apply a first batch")
        server.stop(signal.SIGKILL)
        print(f"killed at sequence {seen.applied_sequence} of {head}")

        self.start_analytics()
        status = self.caught_up()
        self.assertEqual(status.applied_sequence, head)
        report = self.pair_cost()
        self.assertEqual(report.totals.occurrence_count, self.booked)
        self.assertEqual(cents(report.totals.cost), self.booked * 5000)

    def test_reports_answer_while_scheduling_is_down_then_catch_up(self):
        before = self.pair_cost()
        rc = self.server.stop(signal.SIGTERM, timeout=20)
        self.assertEqual(rc, 0)
        try:
            def disconnected():
                s = self.analytics.GetFeedStatus(asv.GetFeedStatusRequest(),
                                                 timeout=RPC_TIMEOUT)
                return s if not s.connected else None
            status = harness.wait_for(disconnected, 10,
                                      what="analytics to notice")
            self.assertNotEqual(status.last_error.code, 0)
            self.assertTrue(status.HasField("next_retry_time"))
            stale = self.pair_cost()
            self.assertFalse(stale.freshness.feed_connected)
            self.assertEqual(stale.freshness.as_of_sequence,
                             before.freshness.as_of_sequence)
            self.assertEqual(cents(stale.totals.cost), cents(before.totals.cost))
            metrics = self.analytics_server.fetch_metrics()
            self.assertIn("analytics_feed_connected 0", metrics)
        finally:
            self.start_scheduling()
        self.book(3)
        self.caught_up()
        after = self.pair_cost()
        self.assertTrue(after.freshness.feed_connected)
        self.assertEqual(cents(after.totals.cost),
                         cents(before.totals.cost) + 3 * 5000)

    def test_projection_rebuilt_from_zero_gives_the_same_reports(self):
        self.book(20)
        self.caught_up()
        db = harness.database_url(os.path.join(self.tmp.name,
                                               f"replay-{time.time_ns()}.db"))
        replay = self.start_test_service(
            "analytics", self.analytics_flags_for(db))
        replay_stub = analytics_service_pb2_grpc.AnalyticsServiceStub(
            replay.channel())
        self.caught_up(stub=replay_stub)
        self.assertEqual(self.all_reports(replay_stub),
                         self.all_reports(self.analytics))

    def test_lag_and_progress_are_exported_as_metrics(self):
        self.caught_up()
        metrics = self.analytics_server.fetch_metrics()
        for name in ("analytics_feed_lag_seconds", "analytics_feed_pending_changes",
                     "analytics_feed_applied_sequence",
                     "analytics_feed_changes_applied_total"):
            self.assertIn(name, metrics)
        self.assertIn("analytics_feed_pending_changes 0", metrics)


if __name__ == "__main__":
    unittest.main()
