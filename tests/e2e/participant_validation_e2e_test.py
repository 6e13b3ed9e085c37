"""End-to-end tests of what the participant service accepts: every
validation rule is INVALID_ARGUMENT naming the field, and request_id makes
creates idempotent. Builders and the base class are in participant_fixtures.

Run from tests/e2e:
  PYTHONPATH=<build>/py:. SALESMEET_BIN_DIR=<build>/services \
      /usr/bin/python3 -m unittest -v participant_validation_e2e_test
"""

import unittest

import grpc
from google.protobuf import duration_pb2
from google.type import dayofweek_pb2
from salesmeet.participant.v1 import participant_pb2
from salesmeet.participant.v1 import participant_service_pb2 as ps
from salesmeet.type.v1 import people_pb2

import harness
from harness import RPC_TIMEOUT
from participant_fixtures import (DAY, ParticipantServerTestCase, block,
                                  customer_contact, employee, mask, money,
                                  partner, time_off, unique_email)


# -- validation: each rule is INVALID_ARGUMENT naming the field ------------------

class ValidationTest(ParticipantServerTestCase):

    @classmethod
    def seed(cls):
        cls.create(employee("Sal Seller"), participant_id="sal")
        cls.create(employee("Dan Developer", role=people_pb2.DEVELOPER),
                   participant_id="dan")

    def assert_rejected(self, participant, *fields, participant_id="rejected"):
        """Create fails naming fields, and nothing was created."""
        error = self.assert_invalid(
            self.stub.CreateParticipant,
            ps.CreateParticipantRequest(participant=participant,
                                        participant_id=participant_id),
            *fields)
        self.assert_not_found(f"participants/{participant_id}")
        return error

    def test_bogus_time_zone(self):
        error = self.assert_rejected(employee(time_zone="Mars/Olympus"),
                                     "participant.time_zone")
        self.assertIn("Mars/Olympus", error.description("participant.time_zone"))

    def test_time_zones_that_are_not_iana_names(self):
        for zone in ("", "/etc/passwd", "../../etc/localtime", "localtime",
                     "Europe/Rome ", "UTC+2"):
            with self.subTest(zone=zone):
                self.assert_rejected(employee(time_zone=zone),
                                     "participant.time_zone")

    def test_real_zones_are_accepted(self):
        for zone in ("America/Sao_Paulo", "Australia/Lord_Howe", "UTC",
                     "Asia/Kathmandu"):
            with self.subTest(zone=zone):
                self.assertEqual(self.create(employee(time_zone=zone)).time_zone,
                                 zone)

    def test_invalid_email_is_rejected_without_echoing_it(self):
        for email in ("ada", "ada@", "@example.com", "ada@example", "a b@x.com",
                      "ada@@example.com", "ada..r@example.com"):
            with self.subTest(email=email):
                error = self.assert_rejected(employee(email=email),
                                             "participant.email")
                if len(email) > 4:
                    self.assertNotIn(email, error.message)

    def test_several_bad_fields_are_reported_together(self):
        error = self.assert_rejected(
            employee(display_name="", email="nope", time_zone="Mars/Olympus"),
            "participant.display_name", "participant.email",
            "participant.time_zone")
        self.assertEqual(len(error.fields), 3, error.fields)

    def test_overlapping_working_hours(self):
        p = employee(working_hours=[
            block(dayofweek_pb2.MONDAY, (9, 0), (12, 0)),
            block(dayofweek_pb2.MONDAY, (11, 30), (15, 0)),
            block(dayofweek_pb2.TUESDAY, (11, 30), (15, 0))])
        error = self.assert_rejected(p, "participant.working_hours[1]")
        self.assertEqual(error.fields, ["participant.working_hours[1]"])

    def test_touching_working_hours_are_allowed(self):
        created = self.create(employee(working_hours=[
            block(dayofweek_pb2.MONDAY, (13, 0), (17, 0)),
            block(dayofweek_pb2.MONDAY, (9, 0), (13, 0)),
            block(dayofweek_pb2.MONDAY, (17, 0), (24, 0))]))
        self.assertEqual(len(created.working_hours), 3)

    def test_working_hours_ending_before_they_start(self):
        self.assert_rejected(employee(working_hours=[
            block(dayofweek_pb2.FRIDAY, (18, 0), (9, 0))]),
            "participant.working_hours[0]")

    def test_working_hours_without_a_day(self):
        self.assert_rejected(employee(working_hours=[
            block(dayofweek_pb2.DAY_OF_WEEK_UNSPECIFIED, (9, 0), (17, 0))]),
            "participant.working_hours[0].day")

    def test_time_off_ending_before_it_starts(self):
        self.assert_rejected(employee(time_off=[
            time_off(1_900_000_000, 1_900_000_000 + DAY),
            time_off(1_900_000_000, 1_900_000_000 - DAY)]),
            "participant.time_off[1].interval.end_time")

    def test_negative_hourly_cost(self):
        self.assert_rejected(employee(cost=money(-5)), "participant.hourly_cost")

    def test_hourly_cost_in_a_made_up_currency(self):
        self.assert_rejected(employee(cost=money(80, currency="XYZ")),
                             "participant.hourly_cost.currency_code")

    def test_employee_without_hourly_cost(self):
        p = employee()
        p.ClearField("hourly_cost")
        self.assert_rejected(p, "participant.hourly_cost")

    def test_hourly_cost_on_a_partner(self):
        p = partner()
        p.hourly_cost.CopyFrom(money(10))
        self.assert_rejected(p, "participant.hourly_cost")

    def test_non_positive_weekly_budget(self):
        for seconds in (0, -3600):
            with self.subTest(seconds=seconds):
                self.assert_rejected(
                    employee(weekly_meeting_budget=duration_pb2.Duration(
                        seconds=seconds)),
                    "participant.weekly_meeting_budget")

    def test_employee_without_role(self):
        self.assert_rejected(employee(role=people_pb2.ROLE_UNSPECIFIED),
                             "participant.role")

    def test_role_on_a_customer_contact(self):
        p = customer_contact("participants/sal")
        p.role = people_pb2.SALES_REP
        self.assert_rejected(p, "participant.role")

    def test_missing_kind(self):
        p = partner()
        p.kind = people_pb2.PARTICIPANT_KIND_UNSPECIFIED
        self.assert_rejected(p, "participant.kind")

    def test_customer_contact_without_profile(self):
        p = customer_contact("participants/sal")
        p.ClearField("customer")
        self.assert_rejected(p, "participant.customer")

    def test_customer_contact_missing_account_lifecycle_and_cadence(self):
        p = customer_contact("participants/sal")
        p.customer.account = ""
        p.customer.lifecycle = people_pb2.CUSTOMER_LIFECYCLE_UNSPECIFIED
        p.customer.ClearField("contact_cadence")
        self.assert_rejected(p, "participant.customer.account",
                             "participant.customer.lifecycle",
                             "participant.customer.contact_cadence")

    def test_customer_contact_with_non_positive_cadence(self):
        self.assert_rejected(customer_contact("participants/sal", cadence_seconds=0),
                             "participant.customer.contact_cadence")

    def test_customer_contact_without_account_owner(self):
        self.assert_rejected(customer_contact(""),
                             "participant.customer.account_owner")

    def test_customer_contact_whose_owner_does_not_exist(self):
        self.assert_rejected(customer_contact("participants/ghost"),
                             "participant.customer.account_owner")

    def test_customer_contact_whose_owner_is_not_in_sales(self):
        error = self.assert_rejected(customer_contact("participants/dan"),
                                     "participant.customer.account_owner")
        self.assertIn("sales",
                      error.description("participant.customer.account_owner"))

    def test_invalid_participant_id(self):
        for bad in ("Ada", "1ada", "ada-", "ada_lovelace", "a" * 64):
            with self.subTest(participant_id=bad):
                self.assert_invalid(
                    self.stub.CreateParticipant,
                    ps.CreateParticipantRequest(participant=employee(),
                                                participant_id=bad),
                    "participant_id")

    def test_request_id_with_bad_characters(self):
        for bad in ("has space", "slash/no", "x" * 65):
            with self.subTest(request_id=bad):
                self.assert_invalid(
                    self.stub.CreateParticipant,
                    ps.CreateParticipantRequest(participant=employee(),
                                                request_id=bad),
                    "request_id")

    def test_weekly_budget_longer_than_a_week(self):
        self.assert_rejected(
            employee(weekly_meeting_budget=duration_pb2.Duration(seconds=8 * DAY)),
            "participant.weekly_meeting_budget")

    def test_contact_cadence_longer_than_366_days(self):
        self.assert_rejected(
            customer_contact("participants/sal", cadence_seconds=400 * DAY),
            "participant.customer.contact_cadence")

    def test_display_name_limit_counts_characters_not_bytes(self):
        # 190 characters, but more than 200 bytes in UTF-8: within the
        # documented "1 to 200 characters".
        name = ("Ünal Çelik-Ößwald " * 11)[:190]
        self.assertGreater(len(name.encode("utf-8")), 200)
        try:
            created = self.create(employee(display_name=name))
        except grpc.RpcError as e:
            self.fail(f"a 190-character name was refused: {harness.rich_error(e)}")
        self.assertEqual(created.display_name, name)

    def test_display_name_too_long(self):
        self.assert_rejected(employee(display_name="x" * 201),
                             "participant.display_name")


# -- request_id idempotency ----------------------------------------------------

class IdempotencyTest(ParticipantServerTestCase):

    def count_with_email(self, email):
        return sum(1 for p in self.list_all(page_size=100)
                   if p.email.lower() == email.lower())

    def test_retry_with_same_request_id_returns_the_original_and_creates_one(self):
        request = ps.CreateParticipantRequest(participant=employee("Retry Rita"),
                                              request_id="3f1c-retry-rita")
        first = self.stub.CreateParticipant(request, timeout=RPC_TIMEOUT)
        second = self.stub.CreateParticipant(request, timeout=RPC_TIMEOUT)
        self.assertEqual(second, first)
        self.assertEqual(self.count_with_email(request.participant.email), 1)

    def test_retry_after_an_update_returns_the_participant_not_a_new_one(self):
        request = ps.CreateParticipantRequest(participant=employee("Late Retry"),
                                              request_id="late-retry")
        first = self.stub.CreateParticipant(request, timeout=RPC_TIMEOUT)
        self.stub.UpdateParticipant(ps.UpdateParticipantRequest(
            participant=participant_pb2.Participant(name=first.name,
                                                    display_name="Changed"),
            update_mask=mask("display_name")), timeout=RPC_TIMEOUT)
        again = self.stub.CreateParticipant(request, timeout=RPC_TIMEOUT)
        self.assertEqual(again.name, first.name)
        self.assertEqual(self.count_with_email(request.participant.email), 1)

    def test_same_request_id_with_a_different_body_is_invalid_argument(self):
        self.create(employee("Original"), request_id="reused-key")
        other = employee("Someone Else")
        error = self.assert_invalid(
            self.stub.CreateParticipant,
            ps.CreateParticipantRequest(participant=other, request_id="reused-key"),
            "request_id")
        self.assertEqual(error.error_info.reason, "REQUEST_ID_REUSED")
        self.assertEqual(self.count_with_email(other.email), 0)

    def test_concurrent_retries_of_one_request_id_create_exactly_one(self):
        request = ps.CreateParticipantRequest(participant=employee("Racy Rae"),
                                              request_id="concurrent-rae")
        results = self.race(8, lambda stub, _: stub.CreateParticipant(
            request, timeout=RPC_TIMEOUT))
        errors = [r for r in results if isinstance(r, Exception)]
        self.assertEqual(errors, [])
        self.assertEqual(len({r.name for r in results}), 1, results)
        self.assertEqual(self.count_with_email(request.participant.email), 1)

    def test_concurrent_creates_with_one_email_create_exactly_one(self):
        email = unique_email("contended")
        results = self.race(6, lambda stub, _: stub.CreateParticipant(
            ps.CreateParticipantRequest(participant=employee("Twin", email=email)),
            timeout=RPC_TIMEOUT))
        created = [r for r in results if not isinstance(r, Exception)]
        codes = [r.code() for r in results if isinstance(r, grpc.RpcError)]
        self.assertEqual(len(created), 1, results)
        self.assertEqual(codes, [grpc.StatusCode.ALREADY_EXISTS] * 5)
        self.assertEqual(self.count_with_email(email), 1)

    def test_team_retry_with_same_request_id_returns_the_original_team(self):
        first = self.create_team("", "Retry Team", request_id="team-retry")
        second = self.create_team("", "Retry Team", request_id="team-retry")
        self.assertEqual(second, first)
        teams = self.stub.ListTeams(ps.ListTeamsRequest(page_size=1000),
                                    timeout=RPC_TIMEOUT).teams
        self.assertEqual([t.name for t in teams if t.display_name == "Retry Team"],
                         [first.name])


if __name__ == "__main__":
    unittest.main()
