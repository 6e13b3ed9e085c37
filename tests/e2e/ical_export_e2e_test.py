"""iCalendar export, end to end: a series across a change of daylight saving
time, with an excluded week, a moved occurrence, a cancelled one and one a
guest answered differently, exported by the real scheduling service and
read back by independent software: Debian's python3-icalendar parses it and
python3-dateutil expands the rule in the zone's civil time (as RFC 5545 and
salesmeet both do). The occurrences it gives must be exactly those that
ListOccurrences lists."""

import datetime
import unittest
import zoneinfo

import icalendar
from dateutil import rrule as dateutil_rrule

import grpc

import harness
from harness import RPC_TIMEOUT
from salesmeet.scheduling.v1 import calendar_pb2
from salesmeet.scheduling.v1 import scheduling_service_pb2 as ss
from salesmeet.scheduling.v1 import vocabulary_pb2 as vocab
from scheduling_fixtures import (DAY, HOUR, WEEK, SchedulingTestCase, interval,
                                 local_seconds, meeting, next_offset_change, ts)

ROME = "Europe/Rome"
NEW_YORK = "America/New_York"


def epoch(value):
    """Unix seconds of an aware datetime (pytz or zoneinfo)."""
    return int(value.timestamp())


def in_zone(prop):
    """A DTSTART-like property as an aware datetime in its TZID's zone, read
    with zoneinfo from the local wall time the file states."""
    local = prop.dt.replace(tzinfo=None)
    return local.replace(tzinfo=zoneinfo.ZoneInfo(prop.params["TZID"]))


def exdates_of(event):
    found = event.get("EXDATE")
    if found is None:
        return set()
    lists = found if isinstance(found, list) else [found]
    return {epoch(in_zone_of(d.dt, lst.params["TZID"]))
            for lst in lists for d in lst.dts}


def in_zone_of(value, tzid):
    return value.replace(tzinfo=None).replace(tzinfo=zoneinfo.ZoneInfo(tzid))


def expand(calendar, uid):
    """(original start, start, end, cancelled) of every occurrence of the
    event with this UID, as a calendar program would show them."""
    master, overrides = None, {}
    for event in calendar.walk("VEVENT"):
        if str(event["UID"]) != uid:
            continue
        if "RECURRENCE-ID" in event:
            overrides[epoch(in_zone(event["RECURRENCE-ID"]))] = event
        else:
            master = event
    assert master is not None, f"no master event for {uid}"
    start = in_zone(master["DTSTART"])
    length = epoch(in_zone(master["DTEND"])) - epoch(start)
    rule = master["RRULE"].to_ical().decode()
    excluded = exdates_of(master)
    occurrences = []
    for generated in dateutil_rrule.rrulestr(rule, dtstart=start):
        original = epoch(generated)
        if original in excluded:
            continue
        override = overrides.pop(original, None)
        if override is None:
            occurrences.append((original, original, original + length, False))
            continue
        occurrences.append((original, epoch(in_zone(override["DTSTART"])),
                            epoch(in_zone(override["DTEND"])),
                            str(override.get("STATUS")) == "CANCELLED"))
    assert not overrides, f"overrides of no occurrence: {list(overrides)}"
    return occurrences


class IcalExportTest(SchedulingTestCase):

    @classmethod
    def seed(cls):
        cls.rep = cls.hire(time_zone=ROME)
        cls.guest = cls.hire(time_zone=NEW_YORK)
        cls.contact = cls.hire_contact(cls.rep)
        # Weekly at 09:00 in Rome, from three weeks before the next change of
        # Rome's offset to four weeks after it.
        change = next_offset_change(ROME, harness.now() + 28 * DAY)
        first_day = change - datetime.timedelta(days=21)
        cls.start = local_seconds(first_day, 9, 0, ROME)
        cls.series = cls.create(meeting(
            cls.rep, cls.guest, cls.contact, start=cls.start,
            rrule="FREQ=WEEKLY;COUNT=8", time_zone=ROME,
            optional=(cls.contact,), title="Pipeline; weekly, EMEA",
            exdates=(local_seconds(first_day + datetime.timedelta(days=7),
                                   9, 0, ROME),))).meeting
        weeks = [local_seconds(first_day + datetime.timedelta(days=7 * i), 9,
                               0, ROME) for i in range(8)]
        cls.stub.MoveOccurrence(ss.MoveOccurrenceRequest(
            name=cls.series.name, original_start_time=ts(weeks[2]),
            start_time=ts(weeks[2] + 2 * HOUR),
            end_time=ts(weeks[2] + 3 * HOUR)), timeout=RPC_TIMEOUT)
        cls.stub.CancelOccurrence(ss.CancelOccurrenceRequest(
            name=cls.series.name, original_start_time=ts(weeks[4]),
            reason="Offsite"), timeout=RPC_TIMEOUT)
        cls.stub.RespondToMeeting(ss.RespondToMeetingRequest(
            name=cls.series.name, attendee=cls.guest,
            response=vocab.DECLINED, original_start_time=ts(weeks[5])),
            timeout=RPC_TIMEOUT)
        cls.single = cls.create(meeting(
            cls.guest, cls.rep, start=weeks[6] + DAY, minutes=30,
            time_zone=NEW_YORK)).meeting
        cls.span = (cls.start - WEEK, cls.start + 10 * WEEK)

    def export(self, participant):
        exported = self.stub.ExportCalendar(calendar_pb2.ExportCalendarRequest(
            participant=participant, interval=interval(*self.span)),
            timeout=RPC_TIMEOUT)
        self.assertEqual(exported.content_type, "text/calendar; charset=utf-8")
        return exported, icalendar.Calendar.from_ical(exported.data)

    def test_the_series_expands_to_exactly_the_listed_occurrences(self):
        exported, calendar = self.export(self.rep)
        listed = self.occurrences(self.series.name, span=self.span,
                                  show_cancelled=True)
        expected = [(o.original_start_time.seconds, o.start_time.seconds,
                     o.end_time.seconds, o.cancelled) for o in listed]
        uid = self.series.name.split("/", 1)[1] + "@salesmeet"
        self.assertEqual(sorted(expand(calendar, uid)), sorted(expected))
        self.assertEqual(len(expected), 7)  # Eight weeks, one excluded.
        self.assertTrue(any(o[3] for o in expected))
        self.assertTrue(any(o[0] != o[1] for o in expected))

    def test_zones_people_and_text_survive(self):
        exported, calendar = self.export(self.rep)
        zones = {str(z["TZID"]) for z in calendar.walk("VTIMEZONE")}
        self.assertEqual(zones, {ROME, NEW_YORK})
        # The series (master and 3 changed weeks) and the single meeting.
        self.assertEqual(exported.event_count, 5)
        self.assertEqual(len(calendar.walk("VEVENT")), 5)
        master = next(e for e in calendar.walk("VEVENT")
                      if "RRULE" in e)
        self.assertEqual(str(master["SUMMARY"]), "Pipeline; weekly, EMEA")
        attendees = {str(a): a.params for a in master["ATTENDEE"]}
        self.assertEqual(attendees[f"mailto:{self.email_of(self.rep)}"]["ROLE"],
                         "CHAIR")
        self.assertEqual(
            attendees[f"mailto:{self.email_of(self.contact)}"]["ROLE"],
            "OPT-PARTICIPANT")
        declined = [e for e in calendar.walk("VEVENT") if any(
            a.params.get("PARTSTAT") == "DECLINED"
            for a in e.get("ATTENDEE", []))]
        self.assertEqual(len(declined), 1)
        self.assertIn("RECURRENCE-ID", declined[0])

    def test_one_meeting_and_errors(self):
        exported = self.stub.ExportMeeting(calendar_pb2.ExportMeetingRequest(
            name=self.single.name), timeout=RPC_TIMEOUT)
        calendar = icalendar.Calendar.from_ical(exported.data)
        event = calendar.walk("VEVENT")[0]
        self.assertEqual(epoch(in_zone(event["DTSTART"])),
                         self.single.start_time.seconds)
        self.assertEqual(event["DTSTART"].params["TZID"], NEW_YORK)
        self.expect_rpc_error(grpc.StatusCode.NOT_FOUND,
                              self.stub.ExportMeeting,
                              calendar_pb2.ExportMeetingRequest(
                                  name="meetings/none-such"))
        error = self.expect_rpc_error(
            grpc.StatusCode.INVALID_ARGUMENT, self.stub.ExportCalendar,
            calendar_pb2.ExportCalendarRequest(participant="nobody"))
        self.assertEqual(set(error.fields), {"participant", "interval"})

    def email_of(self, name):
        from salesmeet.participant.v1 import participant_service_pb2 as ps
        return self.people.GetParticipant(ps.GetParticipantRequest(
            name=name), timeout=RPC_TIMEOUT).email


if __name__ == "__main__":
    unittest.main()
