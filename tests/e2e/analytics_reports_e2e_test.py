"""End-to-end tests of the analytics reports on the real participant,
scheduling and analytics binaries: a known organisation's three weeks of
meetings (analytics_fixtures.KnownWeeks) are booked, answered, cancelled and
completed through scheduling's public API, and every report must show the
figures worked out by hand in the comments below.

Run from tests/e2e:
  PYTHONPATH=<build>/py:. SALESMEET_BIN_DIR=<build>/services \\
      /usr/bin/python3 -m unittest -v analytics_reports_e2e_test
"""

import unittest

import grpc
from google.protobuf import duration_pb2
from salesmeet.analytics.v1 import analytics_service_pb2 as asv
from salesmeet.analytics.v1 import reports_pb2 as rp
from salesmeet.scheduling.v1 import vocabulary_pb2 as vocab

from analytics_fixtures import AnalyticsTestCase, KnownWeeks, cents, scope
from harness import RPC_TIMEOUT
from scheduling_fixtures import DAY, HOUR, MINUTE, WEEK


class ReportsTest(AnalyticsTestCase):

    @classmethod
    def seed(cls):
        cls.known = KnownWeeks(cls)

    @classmethod
    def setUpServices(cls):
        super().setUpServices()
        cls.caught_up()

    def scope(self, **filters):
        return scope(self.known.start, self.known.end, **filters)

    def cost(self, group_by, **filters):
        return self.analytics.GetCostReport(asv.GetCostReportRequest(
            scope=self.scope(**filters), group_by=group_by),
            timeout=RPC_TIMEOUT)

    # Counted occurrences: pitch 1 h (ada, bo: 160), strategy 2 h (ada, cy:
    # 360), followup 0.5 h (bo: 30), weekly week 1 1 h (ada, bo, cy: 240),
    # weekly week 3 1 h (ada, cy; bo declined: 180). Week 2's weekly and
    # the dropped meeting are cancelled.

    def test_cost_totals_and_audience_split(self):
        report = self.cost(rp.AUDIENCE)
        totals = report.totals
        self.assertEqual(cents(totals.cost), 97000)
        self.assertEqual(totals.cost.currency_code, "EUR")
        self.assertEqual(totals.meeting_count, 4)
        self.assertEqual(totals.occurrence_count, 5)
        self.assertEqual(totals.meeting_time.seconds, int(5.5 * HOUR))
        self.assertEqual(totals.person_time.seconds, int(11.5 * HOUR))
        self.assertEqual(cents(report.internal_cost), 78000)
        self.assertEqual(cents(report.customer_facing_cost), 19000)
        self.assertAlmostEqual(report.internal_cost_share, 780 / 970)
        self.assertAlmostEqual(report.customer_facing_cost_share, 190 / 970)
        groups = {g.audience: g for g in report.groups}
        self.assertEqual(cents(groups[vocab.INTERNAL].cost), 78000)
        self.assertEqual(groups[vocab.INTERNAL].occurrence_count, 3)
        self.assertEqual(groups[vocab.CUSTOMER_FACING].occurrence_count, 2)

    def test_cost_by_team_puts_each_attendee_in_their_snapshot_team(self):
        report = self.cost(rp.TEAM)
        self.assertEqual([g.team for g in report.groups], [self.known.team, ""])
        team, no_team = report.groups
        # ada 500 + bo 150; cy 320.
        self.assertEqual(cents(team.cost), 65000)
        self.assertEqual(team.occurrence_count, 5)
        self.assertEqual(team.meeting_count, 4)
        self.assertEqual(team.person_time.seconds, int(7.5 * HOUR))
        self.assertEqual(cents(no_team.cost), 32000)
        self.assertEqual(no_team.occurrence_count, 3)
        self.assertEqual(no_team.meeting_count, 2)
        self.assertEqual(no_team.person_time.seconds, 4 * HOUR)
        self.assertAlmostEqual(team.cost_share, 650 / 970)

    def test_cost_by_iso_week_lists_every_week_in_order(self):
        report = self.cost(rp.ISO_WEEK)
        self.assertEqual(len(report.groups), 3)
        self.assertEqual([cents(g.cost) for g in report.groups],
                         [79000, 0, 18000])
        weeks = [(g.iso_week.year, g.iso_week.week) for g in report.groups]
        self.assertEqual(weeks, sorted(weeks))

    def test_cost_filtered_to_one_participant(self):
        report = self.cost(rp.PARTICIPANT, participant=self.known.bo)
        self.assertEqual([g.participant for g in report.groups], [self.known.bo])
        # pitch 60 + followup 30 + weekly week 1 60; week 3 declined.
        self.assertEqual(cents(report.totals.cost), 15000)
        self.assertEqual(report.totals.occurrence_count, 3)

    def test_mix_by_purpose_and_recurrence(self):
        report = self.analytics.GetMeetingMixReport(
            asv.GetMeetingMixReportRequest(scope=self.scope()),
            timeout=RPC_TIMEOUT)
        purposes = {e.purpose: e for e in report.by_purpose}
        self.assertEqual(len(report.by_purpose),
                         len(vocab.MeetingPurpose.values()) - 1)
        self.assertEqual(purposes[vocab.SALES_DATA_REVIEW].occurrence_count, 2)
        self.assertEqual(cents(purposes[vocab.SALES_DATA_REVIEW].cost), 42000)
        self.assertEqual(purposes[vocab.STRATEGY].meeting_time.seconds, 2 * HOUR)
        self.assertEqual(purposes[vocab.TRAINING].occurrence_count, 0)
        single, series = report.by_recurrence
        self.assertFalse(single.recurring)
        self.assertTrue(series.recurring)
        self.assertEqual((single.occurrence_count, cents(single.cost)),
                         (3, 55000))
        self.assertEqual((series.occurrence_count, cents(series.cost)),
                         (2, 42000))
        self.assertAlmostEqual(series.occurrence_share, 2 / 5)
        self.assertEqual(report.totals.occurrence_count, 5)

    def test_load_puts_the_person_over_budget_first(self):
        report = self.analytics.GetMeetingLoadReport(
            asv.GetMeetingLoadReportRequest(scope=self.scope()),
            timeout=RPC_TIMEOUT)
        k = self.known
        self.assertEqual([p.participant for p in report.participants],
                         [k.ada, k.cy, k.bo])
        self.assertEqual(report.total_size, 3)
        ada = report.participants[0]
        self.assertEqual(ada.team, k.team)
        self.assertEqual(ada.meeting_time.seconds, 5 * HOUR)
        # 15 weekdays of 8 hours.
        self.assertEqual(ada.working_time.seconds, 120 * HOUR)
        self.assertAlmostEqual(ada.meeting_share, 5 / 120)
        # Week 1: 7 + 6 + 8 + 6 + 8; week 2: 5 x 8; week 3: 4 x 8 + 6.
        self.assertEqual(ada.focus_time.seconds, 113 * HOUR)
        self.assertEqual(ada.focus_block_count, 15)
        self.assertEqual(ada.outside_working_hours_time.seconds, 0)
        self.assertEqual(ada.weekly_budget.seconds, 3 * HOUR)
        self.assertEqual(len(ada.weeks_over_budget), 1)
        self.assertEqual(ada.weeks_over_budget[0].meeting_time.seconds, 4 * HOUR)
        self.assertEqual(ada.weeks_over_budget[0].excess.seconds, HOUR)
        self.assertEqual(ada.over_budget_time.seconds, HOUR)
        self.assertEqual(report.participants[2].meeting_time.seconds,
                         int(2.5 * HOUR))

    def test_contact_cadence_over_one_week(self):
        k = self.known
        dora = self.contact(k.bo, 30, stem="dora")
        report = self.analytics.GetContactCadenceReport(
            asv.GetContactCadenceReportRequest(
                interval=scope(k.start, k.start + WEEK).interval),
            timeout=RPC_TIMEOUT)
        self.assertEqual([c.participant for c in report.contacts], [dora, k.carla])
        never, carla = report.contacts
        self.assertEqual(never.status, rp.NEVER_CONTACTED)
        # Two contacts in 7 days against a 14-day cadence: more than twice.
        self.assertEqual(carla.status, rp.OVER_CONTACTED)
        self.assertEqual(carla.contact_count, 2)
        self.assertEqual(carla.last_contact_meeting, k.followup.name)
        self.assertEqual(carla.last_contact_time.seconds,
                         k.start + 2 * DAY + 14 * HOUR)
        self.assertEqual(carla.next_contact_time.seconds,
                         k.start + 16 * DAY + 14 * HOUR)
        self.assertEqual(carla.days_overdue, 0)
        self.assertEqual(carla.account_owner, k.ada)
        self.assertEqual(report.evaluation_time.seconds, k.start + WEEK)
        self.assertEqual((report.summary.never_contacted,
                          report.summary.over_contacted), (1, 1))
        owned = self.analytics.GetContactCadenceReport(
            asv.GetContactCadenceReportRequest(
                interval=scope(k.start, k.start + WEEK).interval,
                account_owner=k.ada), timeout=RPC_TIMEOUT)
        self.assertEqual([c.participant for c in owned.contacts], [k.carla])

    def top(self, metric, min_meetings=1):
        return self.analytics.GetTopPerformers(asv.GetTopPerformersRequest(
            scope=self.scope(), metric=metric, min_meetings=min_meetings),
            timeout=RPC_TIMEOUT)

    def test_top_performers_by_each_metric(self):
        k = self.known
        # Both won the pitch's 50,000 in two meetings: the name decides.
        won = self.top(rp.WON_DEAL_VALUE)
        self.assertEqual([(e.rank, e.participant) for e in won.entries],
                         [(1, k.ada), (2, k.bo)])
        self.assertEqual(cents(won.entries[0].won_deal_value), 5000000)
        self.assertEqual((won.entries[1].won_count, won.entries[1].lost_count),
                         (1, 1))
        rate = self.top(rp.WIN_RATE)
        self.assertEqual([e.score for e in rate.entries], [1.0, 0.5])
        # ROI: ada 50,000 / (160 + 360); bo 50,000 / (160 + 30).
        roi = self.top(rp.RETURN_ON_MEETING_COST)
        self.assertEqual([e.participant for e in roi.entries], [k.bo, k.ada])
        self.assertAlmostEqual(roi.entries[0].score, 50000 / 190, places=6)
        self.assertAlmostEqual(roi.entries[1].score, 50000 / 520, places=6)
        self.assertEqual(cents(roi.entries[1].meeting_cost), 52000)
        # Per meeting hour: ada 3 h, bo 1.5 h.
        per_hour = self.top(rp.VALUE_PER_MEETING_HOUR)
        self.assertAlmostEqual(per_hour.entries[0].score, 50000 / 1.5, places=4)
        self.assertEqual(per_hour.entries[1].meeting_time.seconds, 3 * HOUR)

    def test_top_performers_need_the_minimum_of_meetings(self):
        report = self.top(rp.WON_DEAL_VALUE, min_meetings=3)
        self.assertEqual(report.ranked_count, 0)
        self.assertEqual(len(report.entries), 0)

    def test_reports_say_how_fresh_they_are(self):
        head = self.head()
        report = self.cost(rp.PURPOSE)
        self.assertEqual(report.freshness.as_of_sequence, head)
        self.assertTrue(report.freshness.feed_connected)
        self.assertEqual(report.freshness.pending_changes, 0)
        self.assertTrue(report.freshness.HasField("as_of_time"))

    def test_without_an_interval_a_report_covers_four_weeks_around_today(self):
        # The known weeks run from last week's Monday for three weeks, well
        # inside today +- 28 days.
        unset = self.analytics.GetCostReport(
            asv.GetCostReportRequest(group_by=rp.AUDIENCE), timeout=RPC_TIMEOUT)
        self.assertEqual(cents(unset.totals.cost), 97000)

    def test_bad_requests_name_the_field(self):
        self.assert_invalid(self.analytics.GetCostReport,
                            asv.GetCostReportRequest(scope=self.scope()),
                            "group_by")
        half = asv.ReportScope()
        half.interval.start_time.seconds = self.known.start
        self.assert_invalid(self.analytics.GetCostReport,
                            asv.GetCostReportRequest(scope=half, group_by=rp.TEAM),
                            "scope.interval")
        too_long = scope(self.known.start, self.known.start + 400 * DAY)
        self.assert_invalid(self.analytics.GetMeetingMixReport,
                            asv.GetMeetingMixReportRequest(scope=too_long),
                            "scope.interval")
        self.assert_invalid(
            self.analytics.GetMeetingLoadReport,
            asv.GetMeetingLoadReportRequest(
                scope=self.scope(),
                focus_block_minimum=duration_pb2.Duration(seconds=10 * MINUTE)),
            "focus_block_minimum")
        self.assert_invalid(
            self.analytics.GetTopPerformers,
            asv.GetTopPerformersRequest(scope=self.scope(), metric=rp.WIN_RATE,
                                        max_results=500), "max_results")
        self.assert_invalid(
            self.analytics.GetCostReport,
            asv.GetCostReportRequest(scope=self.scope(team="Team T"),
                                     group_by=rp.TEAM), "scope.team")


if __name__ == "__main__":
    unittest.main()
