"""End-to-end tests of a meeting's life in the scheduling service, on the real
participant and scheduling binaries: booking single meetings and series,
reading and listing them, updating, answering, changing one occurrence,
truncating, cancelling and completing; previews and request_id retries; a
restart that loses nothing; health and reflection. Builders and the base
class are in scheduling_fixtures.

Run from tests/e2e:
  PYTHONPATH=<build>/py:. SALESMEET_BIN_DIR=<build>/services \\
      /usr/bin/python3 -m unittest -v scheduling_lifecycle_e2e_test
"""

import datetime
import itertools
import unittest

import grpc
from salesmeet.participant.v1 import participant_pb2
from salesmeet.participant.v1 import participant_service_pb2 as ps
from salesmeet.scheduling.v1 import change_pb2
from salesmeet.scheduling.v1 import meeting_pb2
from salesmeet.scheduling.v1 import scheduling_service_pb2 as ss
from salesmeet.scheduling.v1 import vocabulary_pb2 as vocab
from salesmeet.type.v1 import people_pb2

import harness
from harness import RPC_TIMEOUT
from scheduling_fixtures import (DAY, HOUR, MINUTE, SERVICE, WEEK,
                                 SchedulingTestCase, local_seconds, local_time,
                                 mask, meeting, money, monday_utc,
                                 next_offset_change, spans, ts, video)

_meeting_ids = itertools.count(1)


def meeting_id(stem="m"):
    return f"{stem}-{next(_meeting_ids)}"


class BookingAndReadingTest(SchedulingTestCase):

    @classmethod
    def seed(cls):
        cls.team = cls.create_team("EMEA Sales")
        cls.monday = monday_utc(2)

    def test_create_books_a_single_meeting_with_attendee_snapshots(self):
        ada = self.hire(people_pb2.SALES_MANAGER, cost=95, team=self.team)
        bob = self.hire(people_pb2.SALES_REP, cost=60)
        carla = self.hire_contact(ada)
        wanted = meeting_id("kickoff")
        start = self.monday + DAY + 9 * HOUR
        created = self.create(meeting(ada, bob, carla, start=start, minutes=45,
                                      purpose=vocab.CUSTOMER_PRESENTATION,
                                      agenda="Roadmap"),
                              meeting_id=wanted)
        booked = created.meeting
        self.assertEqual(booked.name, f"meetings/{wanted}")
        self.assertEqual(booked.state, vocab.SCHEDULED)
        self.assertEqual(booked.audience, vocab.CUSTOMER_FACING)
        self.assertEqual(booked.time_zone, "Europe/Rome")  # The organizer's.
        self.assertTrue(booked.etag)
        self.assertTrue(booked.HasField("create_time"))
        by_name = {a.participant: a for a in booked.attendees}
        self.assertEqual(by_name[ada].response, vocab.ACCEPTED)
        self.assertEqual(by_name[bob].response, vocab.NEEDS_ACTION)
        self.assertEqual(by_name[ada].snapshot.role, people_pb2.SALES_MANAGER)
        self.assertEqual(by_name[ada].snapshot.team, self.team)
        self.assertEqual(by_name[ada].snapshot.hourly_cost, money(95))
        self.assertEqual(by_name[carla].snapshot.kind, people_pb2.CUSTOMER_CONTACT)
        self.assertFalse(by_name[carla].snapshot.HasField("hourly_cost"))
        # (95 + 60) EUR/h for 45 minutes; the contact costs nothing.
        self.assertEqual(created.verdict.cost_per_occurrence,
                         money(116, nanos=250_000_000))
        self.assertEqual(created.verdict.horizon_occurrence_count, 1)
        self.assertEqual(self.get(booked.name), booked)

    def test_weekly_series_keeps_its_local_time_across_a_daylight_saving_change(self):
        ada, bob = self.hire(), self.hire()
        zone = "Europe/Rome"
        change = next_offset_change(zone, harness.now() + 14 * DAY)
        first_day = change - datetime.timedelta(days=13)  # Two weeks before.
        start = local_seconds(first_day, 9, 0, zone)
        series = self.create(meeting(ada, bob, start=start, rrule="FREQ=WEEKLY;COUNT=4",
                                     time_zone=zone)).meeting
        found = self.occurrences(series.name)
        self.assertEqual(len(found), 4)
        local = [local_time(o.start_time.seconds, zone) for o in found]
        self.assertEqual([(t.weekday(), t.hour, t.minute) for t in local],
                         [(first_day.weekday(), 9, 0)] * 4)
        self.assertNotEqual(local[0].utcoffset(), local[-1].utcoffset(),
                            "the series does not cross the change")
        self.assertEqual({o.end_time.seconds - o.start_time.seconds for o in found},
                         {HOUR})

    def daily_0230_across(self, direction):
        """A daily 02:30 Europe/Rome series from two days before an offset
        change in direction (the next one, or the last one when the next is
        beyond the policy horizon); returns (occurrence starts, change day)."""
        zone = "Europe/Rome"
        change = next_offset_change(zone, harness.now() + DAY, direction)
        if local_seconds(change, 0, 0, zone) > harness.now() + 360 * DAY:
            change = next_offset_change(zone, harness.now() - 355 * DAY, direction)
        first_day = change - datetime.timedelta(days=2)
        start = local_seconds(first_day, 2, 30, zone)
        ada = self.hire()
        series = self.create(meeting(ada, start=start, minutes=30, time_zone=zone,
                                     rrule="FREQ=DAILY;COUNT=4")).meeting
        return [o.start_time.seconds for o in self.occurrences(series.name)], change

    def test_occurrence_in_the_spring_forward_gap_is_held_an_hour_later(self):
        starts, change = self.daily_0230_across(+1)
        local = [local_time(t, "Europe/Rome") for t in starts]
        self.assertEqual([(t.hour, t.minute) for t in local],
                         [(2, 30), (2, 30), (3, 30), (2, 30)])
        self.assertEqual(local[2].date(), change)
        # 02:30 with the winter offset (+01:00): 01:30 UTC.
        gap = datetime.datetime.fromtimestamp(starts[2], datetime.timezone.utc)
        self.assertEqual((gap.hour, gap.minute), (1, 30))

    def test_occurrence_at_an_ambiguous_time_is_the_first_of_the_two(self):
        starts, change = self.daily_0230_across(-1)
        local = [local_time(t, "Europe/Rome") for t in starts]
        self.assertEqual([(t.hour, t.minute) for t in local], [(2, 30)] * 4)
        # 02:30 CEST, the earlier one: 00:30 UTC.
        twice = datetime.datetime.fromtimestamp(starts[2], datetime.timezone.utc)
        self.assertEqual((twice.date(), twice.hour, twice.minute), (change, 0, 30))

    def test_list_meetings_filters_by_attendee_organizer_state_kind_and_time(self):
        ada, bob = self.hire(), self.hire()
        dev = self.hire(people_pb2.DEVELOPER)
        carla = self.hire_contact(ada)
        week = self.monday
        strategy = self.create(meeting(ada, bob, start=week + 10 * HOUR,
                                       purpose=vocab.STRATEGY)).meeting
        update = self.create(meeting(bob, dev, start=week + DAY + 10 * HOUR,
                                     purpose=vocab.PRODUCT_UPDATE,
                                     format=vocab.PRESENTATION)).meeting
        pitch = self.create(meeting(ada, carla, start=week + 2 * DAY + 10 * HOUR,
                                    purpose=vocab.PROSPECT_PITCH,
                                    format=vocab.VIDEO_CONFERENCE,
                                    video_conference=video())).meeting
        training = self.create(meeting(ada, dev, start=week + 3 * DAY + 10 * HOUR,
                                       purpose=vocab.TRAINING,
                                       rrule="FREQ=WEEKLY;COUNT=3")).meeting
        called_off = self.create(meeting(ada, bob,
                                         start=week + 4 * DAY + 10 * HOUR)).meeting
        self.stub.CancelMeeting(ss.CancelMeetingRequest(name=called_off.name),
                                timeout=RPC_TIMEOUT)

        def names(filter, span=None):
            return [m.name for m in self.list_all(filter, span)]

        def of(*meetings):
            return [m.name for m in meetings]

        self.assertEqual(names(f'participant = "{ada}"'),
                         of(strategy, pitch, training, called_off))
        self.assertEqual(names(f'participant = "{ada}" AND state = SCHEDULED'),
                         of(strategy, pitch, training))
        self.assertEqual(names(f'participant = "{ada}" AND state = CANCELLED'),
                         of(called_off))
        self.assertEqual(names(f'organizer = "{bob}"'), of(update))
        self.assertEqual(names(f'participant = "{ada}" AND purpose = PROSPECT_PITCH'),
                         of(pitch))
        self.assertEqual(names(f'participant = "{dev}" AND format = PRESENTATION'),
                         of(update))
        self.assertEqual(names(f'participant = "{ada}" AND audience = CUSTOMER_FACING'),
                         of(pitch))
        # The week after: only the series' second occurrence is in it.
        self.assertEqual(names(f'participant = "{dev}"', (week + WEEK, week + 2 * WEEK)),
                         of(training))
        self.assertEqual(names(f'participant = "{ada}"', (week - WEEK, week)), [])

    def test_list_meetings_pages_through_every_match_in_start_order(self):
        ada = self.hire()
        starts = [self.monday + d * DAY + 14 * HOUR for d in (4, 0, 6, 2, 1, 5, 3)]
        booked = {self.create(meeting(ada, start=s)).meeting.name: s for s in starts}
        first = self.stub.ListMeetings(
            ss.ListMeetingsRequest(filter=f'participant = "{ada}"', page_size=3),
            timeout=RPC_TIMEOUT)
        self.assertEqual(len(first.meetings), 3)
        self.assertTrue(first.next_page_token)
        listed = self.list_all(f'participant = "{ada}"', page_size=3)
        self.assertEqual([m.name for m in listed],
                         sorted(booked, key=booked.get))


class ChangingMeetingsTest(SchedulingTestCase):

    @classmethod
    def seed(cls):
        cls.monday = monday_utc(2)

    def test_update_changes_only_the_fields_in_the_mask(self):
        ada, bob = self.hire(), self.hire()
        before = self.create(meeting(ada, bob, start=self.monday + 10 * HOUR,
                                     description="Q3 numbers")).meeting
        patch = meeting_pb2.Meeting(name=before.name, etag=before.etag,
                                    title="Q3 pipeline review",
                                    description="not asked for")
        after = self.stub.UpdateMeeting(
            ss.UpdateMeetingRequest(meeting=patch, update_mask=mask("title")),
            timeout=RPC_TIMEOUT).meeting
        self.assertEqual(after.title, "Q3 pipeline review")
        self.assertEqual(after.description, "Q3 numbers")
        self.assertNotEqual(after.etag, before.etag)
        self.assertEqual(self.get(before.name), after)

    def test_reschedule_is_checked_again_and_keeps_attendee_answers(self):
        ada, bob, dev = self.hire(), self.hire(), self.hire(people_pb2.DEVELOPER)
        self.create(meeting(ada, bob, start=self.monday + 10 * HOUR))
        later = self.create(meeting(ada, bob, start=self.monday + 12 * HOUR)).meeting
        later = self.stub.RespondToMeeting(
            ss.RespondToMeetingRequest(name=later.name, attendee=bob,
                                       response=vocab.ACCEPTED),
            timeout=RPC_TIMEOUT)
        overlapping = self.monday + 10 * HOUR + 30 * MINUTE
        onto_other = meeting_pb2.Meeting(name=later.name, etag=later.etag,
                                         start_time=ts(overlapping),
                                         end_time=ts(overlapping + HOUR))
        error = self.expect_rpc_error(
            grpc.StatusCode.FAILED_PRECONDITION, self.stub.UpdateMeeting,
            ss.UpdateMeetingRequest(meeting=onto_other,
                                    update_mask=mask("start_time", "end_time")))
        self.assertEqual(error.error_info.reason, "SCHEDULING_CONFLICT")
        moved = meeting_pb2.Meeting(
            name=later.name, etag=later.etag,
            start_time=ts(self.monday + 14 * HOUR), end_time=ts(self.monday + 15 * HOUR),
            attendees=list(later.attendees) + [meeting_pb2.Attendee(participant=dev)])
        after = self.stub.UpdateMeeting(
            ss.UpdateMeetingRequest(meeting=moved, update_mask=mask(
                "start_time", "end_time", "attendees")),
            timeout=RPC_TIMEOUT).meeting
        self.assertEqual(spans(self.occurrences(after.name)),
                         [(self.monday + 14 * HOUR, self.monday + 15 * HOUR)])
        responses = {a.participant: a.response for a in after.attendees}
        self.assertEqual(responses, {ada: vocab.ACCEPTED, bob: vocab.ACCEPTED,
                                     dev: vocab.NEEDS_ACTION})
        self.assertEqual([a.snapshot.role for a in after.attendees
                          if a.participant == dev], [people_pb2.DEVELOPER])

    def test_snapshots_and_costs_do_not_follow_later_changes_to_a_person(self):
        ada, bob = self.hire(cost=100), self.hire(cost=50)
        booked = self.create(meeting(ada, bob, start=self.monday + 3 * DAY + 9 * HOUR))
        self.people.UpdateParticipant(ps.UpdateParticipantRequest(
            participant=participant_pb2.Participant(
                name=bob, hourly_cost=money(500), role=people_pb2.SALES_MANAGER),
            update_mask=mask("hourly_cost", "role")), timeout=RPC_TIMEOUT)
        renamed = self.stub.UpdateMeeting(ss.UpdateMeetingRequest(
            meeting=meeting_pb2.Meeting(name=booked.meeting.name, title="Renamed"),
            update_mask=mask("title")), timeout=RPC_TIMEOUT)
        self.assertEqual([a.snapshot for a in renamed.meeting.attendees],
                         [a.snapshot for a in booked.meeting.attendees])
        self.assertEqual(renamed.verdict.cost_per_occurrence, money(150))

    def test_answers_are_recorded_for_the_series_and_for_one_occurrence(self):
        ada, bob = self.hire(), self.hire()
        series = self.create(meeting(ada, bob, start=self.monday + 9 * HOUR,
                                     rrule="FREQ=WEEKLY;COUNT=3")).meeting
        second = self.monday + WEEK + 9 * HOUR
        self.stub.RespondToMeeting(ss.RespondToMeetingRequest(
            name=series.name, attendee=bob, response=vocab.DECLINED), timeout=RPC_TIMEOUT)
        after = self.stub.RespondToMeeting(ss.RespondToMeetingRequest(
            name=series.name, attendee=bob, response=vocab.TENTATIVE,
            original_start_time=ts(second)), timeout=RPC_TIMEOUT)
        self.assertEqual([a.response for a in after.attendees if a.participant == bob],
                         [vocab.DECLINED])
        self.assertEqual(len(after.occurrence_exceptions), 1)
        exception = after.occurrence_exceptions[0]
        self.assertEqual(exception.original_start_time.seconds, second)
        self.assertEqual([(r.attendee, r.response) for r in exception.responses],
                         [(bob, vocab.TENTATIVE)])
        self.assertEqual([o.exception for o in self.occurrences(series.name)],
                         [False, True, False])
        self.assertEqual(self.get(series.name), after)

    def test_one_occurrence_is_moved_cancelled_and_restored_alone(self):
        ada, bob = self.hire(), self.hire()
        start = self.monday + 10 * HOUR
        series = self.create(meeting(ada, bob, start=start,
                                     rrule="FREQ=WEEKLY;COUNT=4")).meeting
        original = spans(self.occurrences(series.name))
        second, third = start + WEEK, start + 2 * WEEK
        moved = self.stub.MoveOccurrence(ss.MoveOccurrenceRequest(
            name=series.name, original_start_time=ts(second),
            start_time=ts(second + DAY + 5 * HOUR),
            end_time=ts(second + DAY + 6 * HOUR + 30 * MINUTE)), timeout=RPC_TIMEOUT)
        self.assertTrue(moved.occurrence.moved)
        self.stub.CancelOccurrence(ss.CancelOccurrenceRequest(
            name=series.name, original_start_time=ts(third), reason="Offsite"),
            timeout=RPC_TIMEOUT)
        listed = self.occurrences(series.name, show_cancelled=True)
        self.assertEqual([(o.moved, o.cancelled) for o in listed],
                         [(False, False), (True, False), (False, True), (False, False)])
        self.assertEqual(spans(listed)[1], (second + DAY + 5 * HOUR,
                                            second + DAY + 6 * HOUR + 30 * MINUTE))
        self.assertEqual([spans(listed)[i] for i in (0, 3)], [original[0], original[3]])
        self.assertEqual(len(self.occurrences(series.name)), 3)  # Cancelled hidden.
        for when in (second, third):
            self.stub.RestoreOccurrence(ss.RestoreOccurrenceRequest(
                name=series.name, original_start_time=ts(when)), timeout=RPC_TIMEOUT)
        self.assertEqual(spans(self.occurrences(series.name, show_cancelled=True)),
                         original)
        self.assertEqual(list(self.get(series.name).occurrence_exceptions), [])

    def test_cancelled_occurrence_frees_the_time_and_restoring_it_is_checked(self):
        ada, bob = self.hire(), self.hire()
        start = self.monday + 11 * HOUR
        series = self.create(meeting(ada, bob, start=start,
                                     rrule="FREQ=WEEKLY;COUNT=3")).meeting
        self.stub.CancelOccurrence(ss.CancelOccurrenceRequest(
            name=series.name, original_start_time=ts(start + WEEK)), timeout=RPC_TIMEOUT)
        self.create(meeting(bob, start=start + WEEK))  # Bob's time is free again.
        error = self.expect_rpc_error(
            grpc.StatusCode.FAILED_PRECONDITION, self.stub.RestoreOccurrence,
            ss.RestoreOccurrenceRequest(name=series.name,
                                        original_start_time=ts(start + WEEK)))
        self.assertEqual(error.error_info.reason, "SCHEDULING_CONFLICT")
        self.assertEqual(error.violations, [("CONFLICT", bob)])

    def test_truncating_a_series_removes_that_occurrence_and_every_later_one(self):
        ada, bob = self.hire(), self.hire()
        start = self.monday + 15 * HOUR
        series = self.create(meeting(ada, bob, start=start,
                                     rrule="FREQ=WEEKLY;COUNT=6")).meeting
        self.stub.CancelOccurrence(ss.CancelOccurrenceRequest(
            name=series.name, original_start_time=ts(start + 4 * WEEK)),
            timeout=RPC_TIMEOUT)
        truncated = self.stub.TruncateSeries(ss.TruncateSeriesRequest(
            name=series.name, original_start_time=ts(start + 3 * WEEK),
            etag=self.get(series.name).etag), timeout=RPC_TIMEOUT)
        self.assertIn("UNTIL=", truncated.recurrence.rrule)
        self.assertNotIn("COUNT=", truncated.recurrence.rrule)
        self.assertEqual(list(truncated.occurrence_exceptions), [])
        self.assertEqual([o.start_time.seconds for o in self.occurrences(
            series.name, show_cancelled=True)], [start + k * WEEK for k in range(3)])
        self.create(meeting(ada, bob, start=start + 3 * WEEK))  # Free now.

    def test_cancelled_meeting_stays_listed_and_frees_everyones_time(self):
        ada, bob = self.hire(), self.hire()
        start = self.monday + DAY + 10 * HOUR
        booked = self.create(meeting(ada, bob, start=start)).meeting
        cancelled = self.stub.CancelMeeting(ss.CancelMeetingRequest(
            name=booked.name, etag=booked.etag, reason="Customer postponed"),
            timeout=RPC_TIMEOUT)
        self.assertEqual(cancelled.state, vocab.CANCELLED)
        self.assertEqual(cancelled.cancel_reason, "Customer postponed")
        self.assertTrue(cancelled.HasField("cancel_time"))
        self.assertEqual(self.get(booked.name), cancelled)
        rebooked = self.create(meeting(ada, bob, start=start)).meeting
        # Same start time: ordered by name.
        self.assertEqual([m.name for m in self.list_all(f'participant = "{bob}"')],
                         sorted([booked.name, rebooked.name]))

    def test_complete_records_the_outcome_of_a_meeting_that_has_started(self):
        ada = self.hire(people_pb2.SALES_MANAGER)
        carla = self.hire_contact(ada)
        start = (int(harness.now()) // HOUR - 50) * HOUR  # Two days ago.
        held = self.create(meeting(ada, carla, start=start,
                                   purpose=vocab.PROSPECT_PITCH)).meeting
        won = self.stub.CompleteMeeting(ss.CompleteMeetingRequest(
            name=held.name, etag=held.etag, outcome=vocab.WON,
            deal_value=money(12000), notes="Signed for 50 sensors"), timeout=RPC_TIMEOUT)
        self.assertEqual(won.state, vocab.COMPLETED)
        self.assertEqual(won.outcome, vocab.WON)
        self.assertEqual(won.deal_value, money(12000))
        self.assertEqual(won.outcome_notes, "Signed for 50 sensors")
        self.assertAlmostEqual(won.complete_time.seconds, harness.now(), delta=60)
        corrected = self.stub.CompleteMeeting(ss.CompleteMeetingRequest(
            name=held.name, outcome=vocab.HELD), timeout=RPC_TIMEOUT)
        self.assertEqual((corrected.state, corrected.outcome),
                         (vocab.COMPLETED, vocab.HELD))
        self.assertFalse(corrected.HasField("deal_value"))
        self.assertEqual(self.get(held.name), corrected)

    def test_complete_accepts_a_series_whose_last_occurrence_has_started(self):
        ada, bob = self.hire(), self.hire()
        start = (int(harness.now()) // HOUR - 5 * 24) * HOUR
        series = self.create(meeting(ada, bob, start=start,
                                     rrule="FREQ=DAILY;COUNT=3")).meeting
        done = self.stub.CompleteMeeting(ss.CompleteMeetingRequest(
            name=series.name, outcome=vocab.HELD), timeout=RPC_TIMEOUT)
        self.assertEqual(done.state, vocab.COMPLETED)


class PreviewsAndRetriesTest(SchedulingTestCase):

    @classmethod
    def seed(cls):
        cls.monday = monday_utc(3)

    def test_validate_only_create_returns_a_verdict_and_writes_nothing(self):
        ada, bob = self.hire(cost=80), self.hire(cost=40)
        start = self.monday + 10 * HOUR
        self.create(meeting(ada, bob, start=start))
        head = self.head()
        preview = self.create(meeting(ada, bob, start=start + 30 * MINUTE),
                              validate_only=True)
        self.assertEqual(preview.meeting.name, "")
        self.assertTrue(preview.verdict.rejected)  # Double-books, yet no error.
        self.assertEqual(preview.verdict.blocking_conflict_count, 2)
        self.assertEqual(preview.verdict.cost_per_occurrence, money(120))
        self.assertEqual(len(self.list_all(f'participant = "{ada}"')), 1)
        self.assertEqual(self.head(), head)

    def test_validate_only_update_and_move_write_nothing(self):
        ada, bob = self.hire(), self.hire()
        start = self.monday + DAY + 10 * HOUR
        series = self.create(meeting(ada, bob, start=start,
                                     rrule="FREQ=WEEKLY;COUNT=2")).meeting
        head = self.head()
        preview = self.stub.UpdateMeeting(ss.UpdateMeetingRequest(
            meeting=meeting_pb2.Meeting(name=series.name, title="Renamed"),
            update_mask=mask("title"), validate_only=True), timeout=RPC_TIMEOUT)
        self.assertEqual(preview.meeting.title, "Renamed")
        moved = self.stub.MoveOccurrence(ss.MoveOccurrenceRequest(
            name=series.name, original_start_time=ts(start + WEEK),
            start_time=ts(start + WEEK + 2 * HOUR), end_time=ts(start + WEEK + 3 * HOUR),
            validate_only=True), timeout=RPC_TIMEOUT)
        self.assertTrue(moved.occurrence.moved)
        self.assertEqual(self.get(series.name), series)
        self.assertEqual(self.head(), head)

    def test_repeating_a_request_id_returns_the_first_response_and_books_once(self):
        ada, bob = self.hire(), self.hire()
        request = ss.CreateMeetingRequest(
            meeting=meeting(ada, bob, start=self.monday + 2 * DAY + 10 * HOUR),
            request_id="retry-7f3c9a")
        first = self.stub.CreateMeeting(request, timeout=RPC_TIMEOUT)
        head = self.head()
        again = self.stub.CreateMeeting(request, timeout=RPC_TIMEOUT)
        self.assertEqual(again, first)
        self.assertEqual([m.name for m in self.list_all(f'participant = "{ada}"')],
                         [first.meeting.name])
        self.assertEqual(self.head(), head)
        created = [c for c in self.read_feed()[0] if c.meeting.name == first.meeting.name]
        self.assertEqual([c.type for c in created], [change_pb2.MEETING_CREATED])

    def test_request_id_of_a_preview_does_not_stop_the_real_booking(self):
        ada = self.hire()
        request = ss.CreateMeetingRequest(
            meeting=meeting(ada, start=self.monday + 3 * DAY + 10 * HOUR),
            request_id="preview-then-book", validate_only=True)
        self.stub.CreateMeeting(request, timeout=RPC_TIMEOUT)
        request.validate_only = False
        booked = self.stub.CreateMeeting(request, timeout=RPC_TIMEOUT)
        self.assertTrue(booked.meeting.name)
        self.assertEqual(self.get(booked.meeting.name), booked.meeting)

    def test_health_and_reflection_list_the_scheduling_service(self):
        self.assertEqual(harness.health_status(self.channel, SERVICE), "SERVING")
        self.assertEqual(harness.health_status(self.channel, ""), "SERVING")
        self.assertIn(SERVICE, harness.list_services(self.channel))
        files = harness.file_descriptors_containing(self.channel, SERVICE)
        methods = {m.name for f in files for s in f.service
                   if s.name == "SchedulingService" for m in s.method}
        self.assertLessEqual({"CreateMeeting", "ListOccurrences", "TruncateSeries",
                              "WatchMeetingChanges"}, methods)


class RestartTest(SchedulingTestCase):
    """The scheduling server is stopped with SIGTERM and started again on the
    same database; everything committed before must still be there."""

    def test_meetings_and_the_change_feed_survive_a_restart(self):
        ada, bob = self.hire(), self.hire()
        monday = monday_utc(2)
        single = self.create(meeting(ada, bob, start=monday + 10 * HOUR)).meeting
        series = self.create(meeting(ada, bob, start=monday + 14 * HOUR,
                                     rrule="FREQ=WEEKLY;COUNT=5")).meeting
        self.stub.RespondToMeeting(ss.RespondToMeetingRequest(
            name=single.name, attendee=bob, response=vocab.ACCEPTED), timeout=RPC_TIMEOUT)
        self.stub.CancelOccurrence(ss.CancelOccurrenceRequest(
            name=series.name, original_start_time=ts(monday + WEEK + 14 * HOUR)),
            timeout=RPC_TIMEOUT)
        meetings = [self.get(single.name), self.get(series.name)]
        occurrences = self.occurrences(series.name, show_cancelled=True)
        feed, head = self.read_feed()
        self.assertEqual([c.type for c in feed[-4:]], [
            change_pb2.MEETING_CREATED, change_pb2.MEETING_CREATED,
            change_pb2.MEETING_RESPONDED, change_pb2.OCCURRENCE_CANCELLED])

        self.restart_scheduling()
        self.assertEqual([self.get(m.name) for m in meetings], meetings)
        self.assertEqual(self.list_all(f'participant = "{bob}"'), sorted(
            meetings, key=lambda m: (m.start_time.seconds, m.name)))
        self.assertEqual(self.occurrences(series.name, show_cancelled=True), occurrences)
        self.assertEqual(self.read_feed(), (feed, head))
        # The next change continues the sequence, with no gap.
        self.create(meeting(bob, start=monday + 2 * DAY + 10 * HOUR))
        latest, _ = self.read_feed(after=head)
        self.assertEqual([c.sequence for c in latest], [head + 1])

    def test_request_id_and_page_tokens_survive_a_restart(self):
        ada = self.hire()
        monday = monday_utc(4)
        request = ss.CreateMeetingRequest(meeting=meeting(ada, start=monday + 9 * HOUR),
                                          request_id="before-restart")
        first = self.stub.CreateMeeting(request, timeout=RPC_TIMEOUT)
        for day in range(1, 4):
            self.create(meeting(ada, start=monday + day * DAY + 9 * HOUR))
        page = self.stub.ListMeetings(ss.ListMeetingsRequest(
            filter=f'participant = "{ada}"', page_size=2), timeout=RPC_TIMEOUT)
        self.restart_scheduling()
        self.assertEqual(self.stub.CreateMeeting(request, timeout=RPC_TIMEOUT), first)
        rest = self.stub.ListMeetings(ss.ListMeetingsRequest(
            filter=f'participant = "{ada}"', page_size=2,
            page_token=page.next_page_token), timeout=RPC_TIMEOUT)
        self.assertEqual([m.start_time.seconds for m in rest.meetings],
                         [monday + 2 * DAY + 9 * HOUR, monday + 3 * DAY + 9 * HOUR])


if __name__ == "__main__":
    unittest.main()
