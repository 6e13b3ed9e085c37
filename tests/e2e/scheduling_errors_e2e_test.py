"""End-to-end tests of the scheduling service's errors, on the real
participant and scheduling binaries: each error class with its status code
and the google.rpc details a client acts on (BadRequest field names,
ResourceInfo, PreconditionFailure, ErrorInfo and the Verdict of a refused
booking), and the participant service dying or hanging mid-test: UNAVAILABLE
at once, then recovery when it is back. Builders and the base class are in
scheduling_fixtures.

Run from tests/e2e:
  PYTHONPATH=<build>/py:. SALESMEET_BIN_DIR=<build>/services \\
      /usr/bin/python3 -m unittest -v scheduling_errors_e2e_test
"""

import signal
import time
import unittest

import grpc
from salesmeet.scheduling.v1 import meeting_pb2
from salesmeet.scheduling.v1 import policy_pb2
from salesmeet.scheduling.v1 import scheduling_service_pb2 as ss
from salesmeet.scheduling.v1 import vocabulary_pb2 as vocab
from salesmeet.type.v1 import people_pb2

import harness
from harness import RPC_TIMEOUT
from scheduling_fixtures import (DAY, HOUR, MINUTE, WEEK, SchedulingTestCase,
                                 mask, meeting, monday_utc, ts, verdict_of, video)

INVALID = grpc.StatusCode.INVALID_ARGUMENT
REFUSED = grpc.StatusCode.FAILED_PRECONDITION


class InvalidArgumentTest(SchedulingTestCase):

    @classmethod
    def seed(cls):
        cls.ada, cls.bob = cls.hire(), cls.hire()
        cls.start = monday_utc(2) + 10 * HOUR

    def create_request(self, *others, **fields):
        fields.setdefault("start", self.start)
        return ss.CreateMeetingRequest(meeting=meeting(self.ada, *others, **fields))

    def test_blank_title_names_meeting_title(self):
        self.assert_invalid(self.stub.CreateMeeting, self.create_request(title="  "),
                            "meeting.title")

    def test_two_minute_meeting_names_meeting_end_time(self):
        error = self.assert_invalid(self.stub.CreateMeeting,
                                    self.create_request(minutes=2), "meeting.end_time")
        self.assertIn("5 minutes", error.description("meeting.end_time"))

    def test_end_before_start_names_meeting_end_time(self):
        self.assert_invalid(self.stub.CreateMeeting, self.create_request(minutes=-30),
                            "meeting.end_time")

    def test_every_invalid_field_is_named_at_once(self):
        request = self.create_request(title="", minutes=2,
                                      purpose=vocab.MEETING_PURPOSE_UNSPECIFIED)
        self.assert_invalid(self.stub.CreateMeeting, request, "meeting.title",
                            "meeting.end_time", "meeting.purpose")

    def test_bad_recurrence_rules_name_meeting_recurrence_rrule(self):
        # self.start is a Monday.
        for rule in ("FREQ=SOMETIMES", "FREQ=WEEKLY;BYHOUR=9",
                     "FREQ=WEEKLY;COUNT=3;UNTIL=20300101T000000Z",
                     "FREQ=WEEKLY;BYDAY=TU", "FREQ=WEEKLY;COUNT=0"):
            with self.subTest(rule=rule):
                self.assert_invalid(self.stub.CreateMeeting,
                                    self.create_request(self.bob, rrule=rule),
                                    "meeting.recurrence.rrule")

    def test_unknown_participant_is_named_by_its_attendee_index(self):
        error = self.assert_invalid(
            self.stub.CreateMeeting,
            self.create_request("participants/nobody-here", self.bob),
            "meeting.attendees[1].participant")
        self.assertIn("participants/nobody-here",
                      error.description("meeting.attendees[1].participant"))

    def test_plain_http_join_link_names_the_join_uri(self):
        request = self.create_request(
            format=vocab.VIDEO_CONFERENCE,
            video_conference=video(join_uri="http://meet.example.com/abc"))
        self.assert_invalid(self.stub.CreateMeeting, request,
                            "meeting.video_conference.join_uri")

    def test_video_conference_without_a_provider_names_the_provider(self):
        request = self.create_request(
            format=vocab.VIDEO_CONFERENCE,
            video_conference=video(provider=vocab.VIDEO_PROVIDER_UNSPECIFIED))
        self.assert_invalid(self.stub.CreateMeeting, request,
                            "meeting.video_conference.provider")

    def test_organizer_must_be_an_invited_employee(self):
        uninvited = ss.CreateMeetingRequest(meeting=meeting(self.ada, start=self.start))
        uninvited.meeting.organizer = self.bob
        self.assert_invalid(self.stub.CreateMeeting, uninvited, "meeting.organizer")
        contact = self.hire_contact(self.ada)
        by_contact = ss.CreateMeetingRequest(
            meeting=meeting(contact, self.ada, start=self.start))
        self.assert_invalid(self.stub.CreateMeeting, by_contact, "meeting.organizer")

    def test_unknown_time_zone_and_bad_meeting_id_are_named(self):
        self.assert_invalid(self.stub.CreateMeeting,
                            self.create_request(time_zone="Mars/Olympus_Mons"),
                            "meeting.time_zone")
        request = self.create_request()
        request.meeting_id = "Not_A-Valid-Id-"
        self.assert_invalid(self.stub.CreateMeeting, request, "meeting_id")

    def test_attendees_paid_in_different_currencies_are_refused(self):
        dollars = self.hire(cost=100, currency="USD")
        self.assert_invalid(self.stub.CreateMeeting, self.create_request(dollars),
                            "meeting.attendees")

    def test_request_id_reused_for_another_meeting_is_refused(self):
        first = self.create_request(start=self.start + DAY)
        first.request_id = "reused-key"
        self.stub.CreateMeeting(first, timeout=RPC_TIMEOUT)
        other = self.create_request(start=self.start + 2 * DAY)
        other.request_id = "reused-key"
        error = self.assert_invalid(self.stub.CreateMeeting, other, "request_id")
        self.assertEqual(error.error_info.reason, "REQUEST_ID_REUSED")

    def test_output_only_path_in_update_mask_is_refused(self):
        booked = self.stub.CreateMeeting(self.create_request(start=self.start + 3 * DAY),
                                         timeout=RPC_TIMEOUT).meeting
        request = ss.UpdateMeetingRequest(
            meeting=meeting_pb2.Meeting(name=booked.name, state=vocab.CANCELLED),
            update_mask=mask("state"))
        self.assert_invalid(self.stub.UpdateMeeting, request, "update_mask.paths[0]")

    def test_page_token_of_another_filter_is_refused(self):
        for day in range(4, 7):
            self.stub.CreateMeeting(self.create_request(start=self.start + day * DAY),
                                    timeout=RPC_TIMEOUT)
        page = self.stub.ListMeetings(ss.ListMeetingsRequest(
            filter=f'participant = "{self.ada}"', page_size=1), timeout=RPC_TIMEOUT)
        error = self.assert_invalid(self.stub.ListMeetings, ss.ListMeetingsRequest(
            filter=f'organizer = "{self.ada}"', page_size=1,
            page_token=page.next_page_token), "page_token")
        self.assertEqual(error.error_info.reason, "INVALID_PAGE_TOKEN")

    def test_occurrence_moved_onto_its_own_series_names_start_time(self):
        series = self.stub.CreateMeeting(self.create_request(
            start=self.start + 8 * DAY, rrule="FREQ=DAILY;COUNT=3"),
            timeout=RPC_TIMEOUT).meeting
        first = series.start_time.seconds
        self.assert_invalid(self.stub.MoveOccurrence, ss.MoveOccurrenceRequest(
            name=series.name, original_start_time=ts(first + DAY),
            start_time=ts(first + 2 * DAY + 30 * MINUTE),
            end_time=ts(first + 2 * DAY + 90 * MINUTE)), "start_time")

    def test_completing_without_an_outcome_names_outcome(self):
        self.assert_invalid(self.stub.CompleteMeeting,
                            ss.CompleteMeetingRequest(name="meetings/any"), "outcome")


class NotFoundExistsAndStaleTest(SchedulingTestCase):

    @classmethod
    def seed(cls):
        cls.ada, cls.bob = cls.hire(), cls.hire()
        cls.start = monday_utc(2) + 9 * HOUR

    def test_unknown_meeting_is_not_found_naming_it(self):
        name = "meetings/never-booked"
        for rpc, request in [
                (self.stub.GetMeeting, ss.GetMeetingRequest(name=name)),
                (self.stub.CancelMeeting, ss.CancelMeetingRequest(name=name)),
                (self.stub.RespondToMeeting, ss.RespondToMeetingRequest(
                    name=name, attendee=self.ada, response=vocab.ACCEPTED)),
                (self.stub.UpdateMeeting, ss.UpdateMeetingRequest(
                    meeting=meeting_pb2.Meeting(name=name, title="x"),
                    update_mask=mask("title")))]:
            with self.subTest(rpc=rpc._method):
                error = self.expect_rpc_error(grpc.StatusCode.NOT_FOUND, rpc, request)
                self.assertEqual(error.resource_info.resource_name, name)

    def test_occurrence_the_rule_does_not_produce_is_not_found(self):
        series = self.create(meeting(self.ada, start=self.start,
                                     rrule="FREQ=WEEKLY;COUNT=3")).meeting
        not_one = ts(self.start + WEEK + HOUR)
        self.expect_rpc_error(grpc.StatusCode.NOT_FOUND, self.stub.CancelOccurrence,
                              ss.CancelOccurrenceRequest(name=series.name,
                                                         original_start_time=not_one))
        self.expect_rpc_error(grpc.StatusCode.NOT_FOUND, self.stub.MoveOccurrence,
                              ss.MoveOccurrenceRequest(
                                  name=series.name,
                                  original_start_time=ts(self.start + 5 * WEEK),
                                  start_time=ts(self.start + 5 * WEEK + HOUR),
                                  end_time=ts(self.start + 5 * WEEK + 2 * HOUR)))

    def test_taken_meeting_id_is_already_exists_and_changes_nothing(self):
        first = self.create(meeting(self.ada, start=self.start + DAY),
                            meeting_id="quarterly-kickoff").meeting
        error = self.expect_rpc_error(
            grpc.StatusCode.ALREADY_EXISTS, self.stub.CreateMeeting,
            ss.CreateMeetingRequest(meeting=meeting(self.bob, start=self.start + 2 * DAY,
                                                    title="Other"),
                                    meeting_id="quarterly-kickoff"))
        self.assertEqual(error.resource_info.resource_name, "meetings/quarterly-kickoff")
        self.assertEqual(self.get(first.name), first)

    def test_stale_etag_is_aborted_and_changes_nothing(self):
        booked = self.create(meeting(self.ada, self.bob,
                                     start=self.start + 3 * DAY)).meeting
        current = self.stub.UpdateMeeting(ss.UpdateMeetingRequest(
            meeting=meeting_pb2.Meeting(name=booked.name, etag=booked.etag,
                                        title="Renamed"),
            update_mask=mask("title")), timeout=RPC_TIMEOUT).meeting
        stale = meeting_pb2.Meeting(name=booked.name, etag=booked.etag, title="Lost")
        error = self.expect_rpc_error(grpc.StatusCode.ABORTED, self.stub.UpdateMeeting,
                                      ss.UpdateMeetingRequest(meeting=stale,
                                                              update_mask=mask("title")))
        self.assertEqual(error.error_info.reason, "ETAG_MISMATCH")
        self.expect_rpc_error(grpc.StatusCode.ABORTED, self.stub.CancelMeeting,
                              ss.CancelMeetingRequest(name=booked.name, etag=booked.etag))
        self.assertEqual(self.get(booked.name), current)


class RefusedBookingTest(SchedulingTestCase):

    @classmethod
    def seed(cls):
        cls.monday = monday_utc(3)

    def test_double_booking_is_refused_naming_each_conflict(self):
        ada, bob, dev = self.hire(), self.hire(), self.hire(people_pb2.DEVELOPER)
        start = self.monday + 10 * HOUR
        first = self.create(meeting(ada, bob, start=start, title="Forecast")).meeting
        error = self.expect_rpc_error(REFUSED, self.stub.CreateMeeting,
                                      ss.CreateMeetingRequest(meeting=meeting(
                                          ada, bob, dev, start=start + 30 * MINUTE)))
        self.assertEqual(sorted(error.violations), [("CONFLICT", ada), ("CONFLICT", bob)])
        for v in error.precondition_failure.violations:
            self.assertIn(first.name, v.description)
        self.assertEqual(error.error_info.reason, "SCHEDULING_CONFLICT")
        self.assertEqual(error.error_info.metadata["conflict_count"], "2")
        verdict = verdict_of(error)
        self.assertIsNotNone(verdict, f"no Verdict detail in {error}")
        self.assertTrue(verdict.rejected)
        self.assertEqual(verdict.blocking_conflict_count, 2)
        for conflict in verdict.conflicts:
            self.assertEqual((conflict.other_meeting, conflict.other_meeting_title),
                             (first.name, "Forecast"))
            self.assertEqual((conflict.overlap.start_time.seconds,
                              conflict.overlap.end_time.seconds),
                             (start + 30 * MINUTE, start + HOUR))
        self.assertEqual(self.list_all(f'participant = "{dev}"'), [])

    def test_back_to_back_meetings_do_not_conflict(self):
        ada = self.hire()
        start = self.monday + DAY + 10 * HOUR
        self.create(meeting(ada, start=start))
        after = self.create(meeting(ada, start=start + HOUR))
        self.assertEqual(after.verdict.conflict_count, 0)

    def test_optional_attendees_conflicts_are_reported_but_do_not_block(self):
        ada, bob, cleo = self.hire(), self.hire(), self.hire()
        start = self.monday + 2 * DAY + 10 * HOUR
        self.create(meeting(bob, start=start))
        booked = self.create(meeting(ada, bob, cleo, start=start, optional=(bob,)))
        self.assertEqual(booked.verdict.blocking_conflict_count, 0)
        self.assertEqual([(c.attendee, c.optional) for c in booked.verdict.conflicts],
                         [(bob, True)])

    def test_allow_conflicts_books_anyway_and_lists_them(self):
        ada = self.hire()
        start = self.monday + 3 * DAY + 10 * HOUR
        self.create(meeting(ada, start=start))
        booked = self.create(meeting(ada, start=start + 15 * MINUTE),
                             allow_conflicts=True)
        self.assertEqual(booked.verdict.blocking_conflict_count, 1)
        self.assertEqual(self.get(booked.meeting.name), booked.meeting)

    def test_series_that_conflicts_in_one_week_only_is_refused_for_that_week(self):
        ada, bob = self.hire(), self.hire()
        start = self.monday + 4 * DAY + 9 * HOUR
        third_week = self.create(meeting(bob, start=start + 2 * WEEK + 30 * MINUTE))
        series = meeting(ada, bob, start=start, rrule="FREQ=WEEKLY;COUNT=5")
        error = self.expect_rpc_error(REFUSED, self.stub.CreateMeeting,
                                      ss.CreateMeetingRequest(meeting=series))
        self.assertEqual(error.violations, [("CONFLICT", bob)])
        [conflict] = verdict_of(error).conflicts
        self.assertEqual(conflict.other_meeting, third_week.meeting.name)
        self.assertEqual(conflict.occurrence_start_time.seconds, start + 2 * WEEK)

    def test_video_meeting_without_a_link_is_rejected_by_policy(self):
        ada = self.hire()
        request = ss.CreateMeetingRequest(meeting=meeting(
            ada, start=self.monday + 5 * DAY + 10 * HOUR, format=vocab.VIDEO_CONFERENCE,
            video_conference=video(join_uri="")))
        error = self.expect_rpc_error(REFUSED, self.stub.CreateMeeting, request)
        self.assertEqual(error.violations,
                         [("VIDEO_WITHOUT_LINK", "meeting.video_conference.join_uri")])
        self.assertEqual(error.error_info.reason, "POLICY_REJECTED")
        self.assertEqual(error.error_info.metadata["rules"], "VIDEO_WITHOUT_LINK")
        findings = [(f.rule, f.mode) for f in verdict_of(error).findings]
        self.assertIn((policy_pb2.VIDEO_WITHOUT_LINK, policy_pb2.REJECT), findings)
        self.assertEqual(self.list_all(f'participant = "{ada}"'), [])

    def test_a_rejection_lists_every_violated_rule_and_conflict(self):
        dev, busy = self.hire(people_pb2.DEVELOPER), self.hire(people_pb2.DEVELOPER)
        contact = self.hire_contact(self.hire())  # Owned by a rep not invited.
        start = self.monday + 6 * DAY + 10 * HOUR
        self.create(meeting(busy, start=start))
        request = ss.CreateMeetingRequest(meeting=meeting(
            dev, busy, contact, start=start, format=vocab.VIDEO_CONFERENCE,
            video_conference=video(join_uri="")))
        error = self.expect_rpc_error(REFUSED, self.stub.CreateMeeting, request)
        self.assertEqual(error.error_info.reason, "POLICY_REJECTED")
        self.assertEqual(set(error.error_info.metadata["rules"].split(",")),
                         {"VIDEO_WITHOUT_LINK", "CUSTOMER_MEETING_WITHOUT_SALES"})
        self.assertEqual({t for t, _ in error.violations},
                         {"VIDEO_WITHOUT_LINK", "CUSTOMER_MEETING_WITHOUT_SALES",
                          "CONFLICT"})

    # A refusal's details travel in the grpc-status-details-bin trailer.
    # Python, C++ and Java clients accept 8 KiB of metadata by default, so
    # the details must stay within it or the caller sees RESOURCE_EXHAUSTED
    # ("received initial metadata size exceeds limit") instead of the refusal.

    def test_refusal_with_many_conflicts_reaches_a_default_client(self):
        ada, bob = self.hire(), self.hire()
        start = self.monday + 8 * WEEK + 10 * HOUR
        self.create(meeting(bob, start=start, rrule="FREQ=DAILY;COUNT=30"))
        error = self.expect_rpc_error(REFUSED, self.stub.CreateMeeting,
                                      ss.CreateMeetingRequest(meeting=meeting(
                                          ada, bob, start=start + 30 * MINUTE,
                                          rrule="FREQ=DAILY;COUNT=30")))
        self.assertEqual(error.error_info.reason, "SCHEDULING_CONFLICT")
        self.assertEqual(error.error_info.metadata["conflict_count"], "30")
        self.assertEqual(verdict_of(error).conflict_count, 30)

    def test_policy_rejection_of_an_unending_evening_series_reaches_a_client(self):
        ada = self.hire(time_zone="Europe/Rome")
        request = ss.CreateMeetingRequest(meeting=meeting(
            ada, start=self.monday + DAY + 19 * HOUR, rrule="FREQ=WEEKLY",
            format=vocab.VIDEO_CONFERENCE, video_conference=video(join_uri="")))
        error = self.expect_rpc_error(REFUSED, self.stub.CreateMeeting, request)
        self.assertEqual(error.violations,
                         [("VIDEO_WITHOUT_LINK", "meeting.video_conference.join_uri")])
        self.assertGreater(verdict_of(error).finding_count, 50)


class PolicyRequests:
    """Builders for the policy tests."""

    def get_policy(self):
        return self.stub.GetSchedulingPolicy(policy_pb2.GetSchedulingPolicyRequest(),
                                             timeout=RPC_TIMEOUT)

    def policy_update(self, etag="", paths=("rules.max_attendees",), **fields):
        return policy_pb2.UpdateSchedulingPolicyRequest(
            policy=policy_pb2.SchedulingPolicy(etag=etag, **fields),
            update_mask=mask(*paths))


class PolicyErrorsTest(PolicyRequests, SchedulingTestCase):
    """The scheduling policy's own errors, and a team override that rejects.
    Each class has its own server, so these policy changes stay here."""

    def test_stale_policy_etag_is_aborted(self):
        read = self.stub.UpdateSchedulingPolicy(self.policy_update(
            rules=policy_pb2.PolicyRules(max_attendees=20)), timeout=RPC_TIMEOUT)
        self.stub.UpdateSchedulingPolicy(self.policy_update(
            read.etag, rules=policy_pb2.PolicyRules(max_attendees=25)),
            timeout=RPC_TIMEOUT)
        error = self.expect_rpc_error(
            grpc.StatusCode.ABORTED, self.stub.UpdateSchedulingPolicy,
            self.policy_update(read.etag, rules=policy_pb2.PolicyRules(max_attendees=30)))
        self.assertEqual(error.error_info.reason, "ETAG_MISMATCH")

    def test_invalid_policy_fields_are_named(self):
        for fields, paths, named in [
                ({"horizon": {"seconds": DAY}}, ("horizon",), "policy.horizon"),
                ({"rules": policy_pb2.PolicyRules(max_attendees=501)},
                 ("rules.max_attendees",), "policy.rules.max_attendees"),
                ({"team_overrides": [policy_pb2.TeamPolicy(team="teams/ghost")]},
                 ("team_overrides",), "policy.team_overrides[0].team")]:
            with self.subTest(field=named):
                self.assert_invalid(self.stub.UpdateSchedulingPolicy,
                                    self.policy_update(paths=paths, **fields), named)

    def test_team_override_rejects_a_booking_over_the_weekly_budget(self):
        team = self.create_team("Overbooked")
        ada = self.hire(team=team, weekly_meeting_budget={"seconds": 2 * HOUR})
        self.stub.UpdateSchedulingPolicy(self.policy_update(
            paths=("team_overrides",), team_overrides=[policy_pb2.TeamPolicy(
                team=team, rules=policy_pb2.PolicyRules(
                    over_weekly_budget=policy_pb2.REJECT))]), timeout=RPC_TIMEOUT)
        monday = monday_utc(2)
        self.create(meeting(ada, start=monday + 9 * HOUR, minutes=90))
        error = self.expect_rpc_error(REFUSED, self.stub.CreateMeeting,
                                      ss.CreateMeetingRequest(meeting=meeting(
                                          ada, start=monday + DAY + 9 * HOUR)))
        self.assertEqual(error.violations, [("OVER_WEEKLY_BUDGET", ada)])
        self.assertEqual(error.error_info.reason, "POLICY_REJECTED")
        rejecting = [f for f in verdict_of(error).findings if f.mode == policy_pb2.REJECT]
        self.assertEqual([(f.rule, f.attendee, f.team) for f in rejecting],
                         [(policy_pb2.OVER_WEEKLY_BUDGET, ada, team)])


class DefaultPolicyEtagTest(PolicyRequests, SchedulingTestCase):
    """Its own server, so that the policy is still the built-in default."""

    def test_policy_read_before_its_first_change_is_guarded_by_its_etag(self):
        # Two admins read the built-in default; the second write must not
        # silently undo the first.
        first_reader, second_reader = self.get_policy(), self.get_policy()
        self.stub.UpdateSchedulingPolicy(self.policy_update(
            first_reader.etag, rules=policy_pb2.PolicyRules(max_attendees=12)),
            timeout=RPC_TIMEOUT)
        late = self.policy_update(second_reader.etag,
                                  rules=policy_pb2.PolicyRules(max_attendees=15))
        self.expect_rpc_error(grpc.StatusCode.ABORTED,
                              self.stub.UpdateSchedulingPolicy, late)
        self.assertEqual(self.get_policy().rules.max_attendees, 12)


class StateErrorTest(SchedulingTestCase):
    """Methods that make no sense in the meeting's state: FAILED_PRECONDITION
    with the reason in ErrorInfo and in a PreconditionFailure violation."""

    @classmethod
    def seed(cls):
        cls.ada, cls.bob = cls.hire(), cls.hire()
        cls.monday = monday_utc(2)
        cls.slots = iter(range(0, 60 * DAY, 3 * HOUR))

    def book(self, **fields):
        start = self.monday + next(self.slots)
        return self.create(meeting(self.ada, start=start, **fields)).meeting

    def test_cancelled_meeting_cannot_be_completed_updated_or_answered(self):
        booked = self.book()
        self.stub.CancelMeeting(ss.CancelMeetingRequest(name=booked.name),
                                timeout=RPC_TIMEOUT)
        for rpc, request in [
                (self.stub.CompleteMeeting, ss.CompleteMeetingRequest(
                    name=booked.name, outcome=vocab.HELD)),
                (self.stub.UpdateMeeting, ss.UpdateMeetingRequest(
                    meeting=meeting_pb2.Meeting(name=booked.name, title="x"),
                    update_mask=mask("title"))),
                (self.stub.RespondToMeeting, ss.RespondToMeetingRequest(
                    name=booked.name, attendee=self.ada, response=vocab.DECLINED)),
                (self.stub.CancelMeeting, ss.CancelMeetingRequest(name=booked.name))]:
            with self.subTest(rpc=rpc._method):
                self.assert_state_error("MEETING_STATE", rpc, request, booked.name)

    def test_future_meeting_cannot_be_completed(self):
        booked = self.book()
        self.assert_state_error("NOT_STARTED", self.stub.CompleteMeeting,
                                ss.CompleteMeetingRequest(name=booked.name,
                                                          outcome=vocab.HELD),
                                booked.name)

    def test_series_with_occurrences_to_come_cannot_be_completed(self):
        start = (int(harness.now()) // HOUR - 48) * HOUR  # Began two days ago.
        series = self.create(meeting(self.ada, start=start, rrule="FREQ=WEEKLY")).meeting
        self.assert_state_error("SERIES_NOT_ENDED", self.stub.CompleteMeeting,
                                ss.CompleteMeetingRequest(name=series.name,
                                                          outcome=vocab.HELD),
                                series.name)

    def test_someone_not_invited_cannot_answer(self):
        booked = self.book()
        self.assert_state_error("NOT_ATTENDEE", self.stub.RespondToMeeting,
                                ss.RespondToMeetingRequest(name=booked.name,
                                                           attendee=self.bob,
                                                           response=vocab.ACCEPTED),
                                booked.name)

    def test_occurrence_methods_refuse_a_single_meeting(self):
        booked = self.book()
        when = booked.start_time
        self.assert_state_error("NOT_RECURRING", self.stub.CancelOccurrence,
                                ss.CancelOccurrenceRequest(name=booked.name,
                                                           original_start_time=when),
                                booked.name)
        self.assert_state_error("NOT_RECURRING", self.stub.TruncateSeries,
                                ss.TruncateSeriesRequest(name=booked.name,
                                                         original_start_time=when),
                                booked.name)

    def test_cancelled_or_unchanged_occurrence_refuses_what_does_not_apply(self):
        series = self.book(rrule="FREQ=DAILY;COUNT=3")
        second = ts(series.start_time.seconds + DAY)
        self.assert_state_error("OCCURRENCE_STATE", self.stub.RestoreOccurrence,
                                ss.RestoreOccurrenceRequest(name=series.name,
                                                            original_start_time=second),
                                series.name)
        self.stub.CancelOccurrence(ss.CancelOccurrenceRequest(
            name=series.name, original_start_time=second), timeout=RPC_TIMEOUT)
        self.assert_state_error("OCCURRENCE_STATE", self.stub.CancelOccurrence,
                                ss.CancelOccurrenceRequest(name=series.name,
                                                           original_start_time=second),
                                series.name)
        self.assert_state_error("OCCURRENCE_STATE", self.stub.MoveOccurrence,
                                ss.MoveOccurrenceRequest(
                                    name=series.name, original_start_time=second,
                                    start_time=ts(second.seconds + HOUR),
                                    end_time=ts(second.seconds + 2 * HOUR)),
                                series.name)

    def test_series_cannot_be_truncated_at_its_first_occurrence(self):
        series = self.book(rrule="FREQ=DAILY;COUNT=3")
        self.assert_state_error("FIRST_OCCURRENCE", self.stub.TruncateSeries,
                                ss.TruncateSeriesRequest(
                                    name=series.name,
                                    original_start_time=series.start_time),
                                series.name)


class ParticipantOutageTest(SchedulingTestCase):
    """The participant service dies or hangs while scheduling runs. It is
    started on a fixed port so that it can come back where scheduling
    expects it (--participant, --participant_timeout=2s)."""

    PARTICIPANT_TIMEOUT = 2.0

    @classmethod
    def setUpServices(cls):
        cls.participant_port = harness.free_port()
        super().setUpServices()

    @classmethod
    def seed(cls):
        cls.ada, cls.bob = cls.hire(), cls.hire()
        cls.slots = iter(range(0, 60 * DAY, 2 * HOUR))
        cls.monday = monday_utc(2)

    def request(self):
        return ss.CreateMeetingRequest(meeting=meeting(
            self.ada, self.bob, start=self.monday + next(self.slots)))

    def expect_unavailable(self, rpc, request):
        """UNAVAILABLE, well before the client's deadline, saying why."""
        began = time.monotonic()
        error = self.expect_rpc_error(grpc.StatusCode.UNAVAILABLE, rpc, request,
                                      timeout=RPC_TIMEOUT)
        elapsed = time.monotonic() - began
        self.assertLess(elapsed, self.PARTICIPANT_TIMEOUT + 3.0,
                        f"UNAVAILABLE took {elapsed:.1f}s")
        self.assertIn("participant service", error.message)
        self.assertIsNotNone(error.error_info, str(error))
        self.assertEqual(error.error_info.reason, "PARTICIPANT_SERVICE_UNAVAILABLE")
        return error

    def wait_until_booking_works(self, timeout=20.0):
        def booked():
            try:
                return self.stub.CreateMeeting(self.request(), timeout=RPC_TIMEOUT)
            except grpc.RpcError as e:
                if e.code() != grpc.StatusCode.UNAVAILABLE:
                    raise
                return None
        return harness.wait_for(booked, timeout, interval=0.2,
                                what="CreateMeeting to work again")

    def test_killed_participant_service_gives_unavailable_then_recovery(self):
        booked = self.create(self.request().meeting).meeting
        series = self.create(meeting(self.ada, start=self.monday + 30 * DAY,
                                     rrule="FREQ=DAILY;COUNT=2")).meeting
        self.participant_server.stop(signal.SIGKILL)
        self.expect_unavailable(self.stub.CreateMeeting, self.request())
        self.expect_unavailable(self.stub.UpdateMeeting, ss.UpdateMeetingRequest(
            meeting=meeting_pb2.Meeting(name=booked.name, title="Renamed"),
            update_mask=mask("title")))
        second = series.start_time.seconds + DAY
        self.expect_unavailable(self.stub.MoveOccurrence, ss.MoveOccurrenceRequest(
            name=series.name, original_start_time=ts(second),
            start_time=ts(second + HOUR), end_time=ts(second + 2 * HOUR)))
        # What needs only scheduling's own data still works.
        self.assertEqual(self.get(booked.name), booked)
        self.assertEqual(harness.health_status(self.channel), "SERVING")
        type(self).start_participant()
        recovered = self.wait_until_booking_works()
        self.assertEqual(self.get(recovered.meeting.name), recovered.meeting)

    def test_hung_participant_service_gives_unavailable_within_its_timeout(self):
        self.participant_server.send_signal(signal.SIGSTOP)
        try:
            error = self.expect_unavailable(self.stub.CreateMeeting, self.request())
            # A hung peer shows up as a deadline or as a connection attempt
            # that times out; either way the message names the peer.
            self.assertIn("the participant service at", error.message)
            self.assertRegex(error.message, "deadline|timed out")
        finally:
            self.participant_server.send_signal(signal.SIGCONT)
        self.wait_until_booking_works()


if __name__ == "__main__":
    unittest.main()
