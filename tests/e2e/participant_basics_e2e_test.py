"""End-to-end tests of the participant service's basics: health, reflection
and metrics; creating, getting and batch-getting participants; the message
size cap; the access log; configuration through the environment.
Builders and the base class are in participant_fixtures.

Run from tests/e2e:
  PYTHONPATH=<build>/py:. SALESMEET_BIN_DIR=<build>/services \
      /usr/bin/python3 -m unittest -v participant_basics_e2e_test
"""

import os
import re
import tempfile
import unittest

import grpc
from google.type import dayofweek_pb2
from salesmeet.participant.v1 import participant_service_pb2 as ps
from salesmeet.participant.v1 import participant_service_pb2_grpc
from salesmeet.type.v1 import people_pb2

import harness
from harness import RPC_TIMEOUT
from participant_fixtures import (DAY, SERVICE, ParticipantServerTestCase,
                                  block, customer_contact, employee, partner,
                                  time_off, unique_email)

PARTICIPANT_TYPE = "salesmeet.participant.v1.Participant"


# -- health, reflection, metrics ----------------------------------------------

class HealthAndReflectionTest(ParticipantServerTestCase):

    def test_health_is_serving_for_the_whole_server(self):
        self.assertEqual(harness.health_status(self.channel, ""), "SERVING")

    def test_health_is_serving_for_the_participant_service(self):
        self.assertEqual(harness.health_status(self.channel, SERVICE), "SERVING")

    def test_health_for_an_unknown_service_is_not_found(self):
        with self.assertRaises(grpc.RpcError) as caught:
            harness.health_status(self.channel, "salesmeet.nope.v1.Nothing")
        self.assertEqual(caught.exception.code(), grpc.StatusCode.NOT_FOUND)

    def test_reflection_lists_participant_health_and_reflection_services(self):
        services = harness.list_services(self.channel)
        for expected in (SERVICE, "grpc.health.v1.Health",
                         "grpc.reflection.v1alpha.ServerReflection"):
            self.assertIn(expected, services)

    def test_reflection_describes_the_health_service_so_grpcurl_can_call_it(self):
        # gRPC's built-in health service has no descriptors of its own;
        # without them `grpcurl ... grpc.health.v1.Health/Check` fails.
        files = harness.file_descriptors_containing(self.channel,
                                                    "grpc.health.v1.Health")
        methods = {m.name for f in files for s in f.service
                   if s.name == "Health" for m in s.method}
        self.assertEqual(methods, {"Check", "Watch"})

    def test_reflection_describes_the_participant_api(self):
        files = harness.file_descriptors_containing(self.channel, SERVICE)
        methods = {m.name for f in files for s in f.service
                   if s.name == "ParticipantService" for m in s.method}
        self.assertTrue({"CreateParticipant", "BatchGetParticipants",
                         "DeleteTeam"} <= methods, methods)

    def test_metrics_count_rpcs_by_method_and_code(self):
        self.expect_rpc_error(grpc.StatusCode.NOT_FOUND, self.stub.GetParticipant,
                              ps.GetParticipantRequest(name="participants/ghost"))
        method = f'method="/{SERVICE}/GetParticipant"'
        lines = [line for line in self.server.fetch_metrics().splitlines()
                 if line.startswith("grpc_server_handled_total{")
                 and method in line and 'code="NOT_FOUND"' in line]
        self.assertEqual(len(lines), 1, lines)
        self.assertGreaterEqual(float(lines[0].rsplit(" ", 1)[1]), 1)


# -- create, get, batch get ---------------------------------------------------

class CreateAndGetTest(ParticipantServerTestCase):

    @classmethod
    def seed(cls):
        cls.ada = cls.create(employee("Ada Rossi"), participant_id="ada")
        cls.bob = cls.create(employee("Bob Brown", role=people_pb2.SALES_MANAGER,
                                      time_zone="America/Chicago"),
                             participant_id="bob")
        cls.cy = cls.create(employee("Cy Chen", role=people_pb2.DEVELOPER,
                                     time_zone="Asia/Singapore"),
                            participant_id="cy")

    def test_create_with_client_chosen_id_names_it_after_the_id(self):
        created = self.create(employee("Dee Diaz"), participant_id="dee-diaz")
        self.assertEqual(created.name, "participants/dee-diaz")
        self.assertEqual(created.display_name, "Dee Diaz")

    def test_create_without_id_gets_a_server_chosen_name(self):
        created = self.create(employee("Eve Evans"))
        self.assertRegex(created.name, r"^participants/[a-z][a-z0-9-]{0,62}$")
        self.assertEqual(self.get(created.name), created)

    def test_create_sets_etag_times_and_default_working_hours(self):
        before = harness.now()
        created = self.create(employee("Fay Fox"))
        self.assertTrue(created.etag)
        self.assertGreaterEqual(created.create_time.seconds, int(before) - 1)
        self.assertEqual(created.update_time, created.create_time)
        days = [(b.day, b.start_time.hours, b.end_time.hours)
                for b in created.working_hours]
        self.assertEqual(days, [(d, 9, 17) for d in range(
            dayofweek_pb2.MONDAY, dayofweek_pb2.FRIDAY + 1)])

    def test_create_ignores_output_only_fields(self):
        sent = employee("Gus Grant")
        sent.name = "participants/someone-else"
        sent.etag = "forged"
        sent.create_time.seconds = 86400
        created = self.create(sent, participant_id="gus")
        self.assertEqual(created.name, "participants/gus")
        self.assertNotEqual(created.etag, "forged")
        self.assertGreater(created.create_time.seconds, 86400)
        self.assert_not_found("participants/someone-else")

    def test_create_keeps_every_field_of_a_customer_contact(self):
        sent = customer_contact(self.ada.name, lifecycle=people_pb2.NEW_CUSTOMER,
                                account="Globex", cadence_seconds=30 * DAY)
        sent.working_hours.append(block(dayofweek_pb2.TUESDAY, (8, 30), (12, 0)))
        sent.time_off.append(time_off(1_900_000_000, 1_900_000_000 + 7 * DAY))
        created = self.create(sent)
        self.assertEqual(created.kind, people_pb2.CUSTOMER_CONTACT)
        self.assertEqual(created.customer, sent.customer)
        self.assertEqual(list(created.working_hours), list(sent.working_hours))
        self.assertEqual(list(created.time_off), list(sent.time_off))
        self.assertFalse(created.HasField("hourly_cost"))

    def test_create_partner(self):
        created = self.create(partner("Pia Partner"))
        self.assertEqual(self.get(created.name).kind, people_pb2.PARTNER)

    def test_get_returns_what_create_returned(self):
        self.assertEqual(self.get("participants/ada"), self.ada)

    def test_get_missing_participant_is_not_found_with_resource_info(self):
        error = self.assert_not_found("participants/nobody")
        self.assertEqual(error.resource_info.resource_type, PARTICIPANT_TYPE)

    def test_get_malformed_name_is_invalid_argument_naming_name(self):
        self.assert_invalid(self.stub.GetParticipant,
                            ps.GetParticipantRequest(name="people/ada"), "name")

    def test_batch_get_keeps_request_order_and_repeats(self):
        response = self.stub.BatchGetParticipants(
            ps.BatchGetParticipantsRequest(names=[
                "participants/cy", "participants/ada", "participants/bob",
                "participants/ada"]), timeout=RPC_TIMEOUT)
        self.assertEqual([p.name for p in response.participants],
                         ["participants/cy", "participants/ada",
                          "participants/bob", "participants/ada"])
        self.assertEqual(response.participants[1], self.ada)

    def test_batch_get_with_missing_names_is_not_found_naming_the_first(self):
        error = self.expect_rpc_error(
            grpc.StatusCode.NOT_FOUND, self.stub.BatchGetParticipants,
            ps.BatchGetParticipantsRequest(names=[
                "participants/ada", "participants/missing-one",
                "participants/missing-two"]))
        self.assertEqual(error.resource_info.resource_name,
                         "participants/missing-one")
        self.assertIn("participants/missing-one", error.message)

    def test_batch_get_malformed_name_is_invalid_argument_naming_its_index(self):
        self.assert_invalid(
            self.stub.BatchGetParticipants,
            ps.BatchGetParticipantsRequest(names=[
                "participants/ada", "participants/bob", "teams/ada"]),
            "names[2]")

    def test_batch_get_of_more_than_1000_names_is_invalid_argument(self):
        self.assert_invalid(
            self.stub.BatchGetParticipants,
            ps.BatchGetParticipantsRequest(names=["participants/ada"] * 1001),
            "names")

    def test_create_with_taken_id_is_already_exists(self):
        error = self.expect_rpc_error(
            grpc.StatusCode.ALREADY_EXISTS, self.stub.CreateParticipant,
            ps.CreateParticipantRequest(participant=employee("Other Ada"),
                                        participant_id="ada"))
        self.assertEqual(error.resource_info.resource_name, "participants/ada")

    def test_create_with_taken_email_in_other_case_is_already_exists(self):
        error = self.expect_rpc_error(
            grpc.StatusCode.ALREADY_EXISTS, self.stub.CreateParticipant,
            ps.CreateParticipantRequest(
                participant=employee("Ada Again", email=self.ada.email.upper())))
        # The holder is not named: that would reveal whose address it is.
        self.assertEqual(error.resource_info.resource_name, "")
        self.assertNotIn("participants/ada", error.message)


# -- message size cap --------------------------------------------------------------

class MessageSizeTest(ParticipantServerTestCase):
    server_flags = {"max_message_bytes": 64 * 1024}

    def test_request_over_the_size_cap_is_resource_exhausted(self):
        self.expect_rpc_error(
            grpc.StatusCode.RESOURCE_EXHAUSTED, self.stub.CreateParticipant,
            ps.CreateParticipantRequest(participant=employee("x" * 100 * 1024)))

    def test_server_keeps_serving_after_an_oversized_request(self):
        self.expect_rpc_error(
            grpc.StatusCode.RESOURCE_EXHAUSTED, self.stub.CreateParticipant,
            ps.CreateParticipantRequest(participant=employee("y" * 100 * 1024)))
        self.assertTrue(self.server.running())
        self.assertEqual(harness.health_status(self.channel), "SERVING")
        created = self.create(employee("Normal Size"))
        self.assertEqual(self.get(created.name), created)

    def test_request_under_the_cap_is_validated_as_usual(self):
        self.assert_invalid(
            self.stub.CreateParticipant,
            ps.CreateParticipantRequest(participant=employee("z" * 10 * 1024)),
            "participant.display_name")


# -- access log ------------------------------------------------------------------

class AccessLogTest(ParticipantServerTestCase):

    @classmethod
    def seed(cls):
        # Traffic of every kind, carrying email addresses and page tokens.
        cls.emails = []
        for i in range(4):
            p = cls.create(employee(f"Logged {i}", email=unique_email("secret.mail")))
            cls.emails.append(p.email)
        cls.bad_email = "not-an-address.secret.mail@@example.com"
        for email in (cls.emails[0], cls.bad_email):
            try:
                cls.create(employee("Dup", email=email))
            except grpc.RpcError:
                pass
        contact = customer_contact("participants/nobody",
                                   email=unique_email("secret.contact"))
        cls.emails.append(contact.email)
        try:
            cls.create(contact)
        except grpc.RpcError:
            pass
        cls.token = cls.stub.ListParticipants(
            ps.ListParticipantsRequest(page_size=2),
            timeout=RPC_TIMEOUT).next_page_token
        cls.stub.ListParticipants(
            ps.ListParticipantsRequest(page_size=2, page_token=cls.token),
            timeout=RPC_TIMEOUT)
        # The last call of the seed, so its line means every line is written.
        try:
            cls.get("participants/last-call")
        except grpc.RpcError:
            pass
        cls.server.wait_for_log(
            lambda r: r.get("msg") == "rpc" and r.get("code") == "NOT_FOUND")

    def rpc_records(self):
        return [r for r in self.server.log_records() if r.get("msg") == "rpc"]

    def test_every_stderr_line_is_a_json_object(self):
        records, garbage = harness.parse_log_lines(self.server.log_text())
        self.assertEqual(garbage, [])
        self.assertTrue(all("ts" in r and "level" in r and "msg" in r
                            for r in records))

    def test_each_rpc_is_logged_with_method_code_latency_and_peer(self):
        records = self.rpc_records()
        create = f"/{SERVICE}/CreateParticipant"
        codes = [r["code"] for r in records if r.get("method") == create]
        self.assertEqual(codes.count("OK"), 4)
        self.assertEqual(codes.count("ALREADY_EXISTS"), 1)
        self.assertEqual(codes.count("INVALID_ARGUMENT"), 2)
        for r in records:
            self.assertIsInstance(r["latency_ms"], (int, float))
            self.assertGreaterEqual(r["latency_ms"], 0)
            self.assertIn("127.0.0.1", r["peer"])
            self.assertTrue(r["method"].startswith("/"))

    def test_log_never_contains_email_addresses(self):
        log = self.server.log_text().lower()
        for email in self.emails + [self.bad_email]:
            self.assertNotIn(email.lower(), log)
        self.assertIsNone(re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", log))

    def test_log_never_contains_page_tokens(self):
        self.assertTrue(self.token)
        self.assertNotIn(self.token, self.server.log_text())


# -- configuration -------------------------------------------------------------------

class ConfigurationTest(harness.ServiceTestCase):

    def setUp(self):
        tmp = tempfile.TemporaryDirectory(prefix="salesmeet-participant-")
        self.addCleanup(tmp.cleanup)
        self.dir = tmp.name

    def test_flags_can_be_set_through_environment_variables(self):
        db_file = os.path.join(self.dir, "from-env.db")
        server = self.start_test_service("participant", env={
            "SALESMEET_DB": harness.sqlite_url(db_file),
            "SALESMEET_ACCESS_LOG": "false"})
        stub = participant_service_pb2_grpc.ParticipantServiceStub(server.channel())
        stub.CreateParticipant(ps.CreateParticipantRequest(participant=employee()),
                               timeout=RPC_TIMEOUT)
        self.assertTrue(os.path.exists(db_file))
        self.assertEqual(server.stop(), 0)
        self.assertEqual([r for r in server.log_records() if r.get("msg") == "rpc"],
                         [])

    def test_unusable_database_fails_start_with_a_nonzero_exit(self):
        not_a_dir = os.path.join(self.dir, "file")
        with open(not_a_dir, "w") as f:
            f.write("not a directory\n")
        server = harness.ServiceProcess(
            "participant", {"db": harness.sqlite_url(os.path.join(not_a_dir, "x.db"))})
        self.addCleanup(server.close)
        with self.assertRaises(harness.ServiceStartError):
            server.start(ready_timeout=10)
        self.assertGreater(server.process.returncode, 0)
        self.assertIn("error", [r.get("level") for r in server.log_records()])


if __name__ == "__main__":
    unittest.main()
