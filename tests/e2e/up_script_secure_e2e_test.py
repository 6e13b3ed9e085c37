"""End-to-end test of SALESMEET_SECURE=1 scripts/up.sh: it makes the dev PKI
(scripts/dev_pki.sh) under its data directory, starts every service (and, on
PostgreSQL, every scheduling replica) with mutual TLS, bearer tokens and
deploy/security/access-policy.json, seeds the demo through them, and prints
grpcurl commands that carry a certificate and a token and work as printed.

Each check is made with python3-grpcio and, when grpcurl is found
(grpcurl_cli.find_grpcurl), with the real grpcurl too; without it the test
says so and checks with python alone. up.sh runs as in up_script_e2e_test
(free ports, a temporary data directory, the binaries already built), with
"now" pinned, so the tokens must follow the services' pinned clock.

Run from tests/e2e:
  PYTHONPATH=<build>/py:. SALESMEET_BIN_DIR=<build>/services \\
      /usr/bin/python3 -m unittest -v up_script_secure_e2e_test
"""

import json
import os
import pathlib
import signal
import sys
import tempfile
import unittest

import grpc
import jwt
from google.protobuf import json_format
from salesmeet.participant.v1 import participant_service_pb2 as ps
from salesmeet.participant.v1 import participant_service_pb2_grpc as ps_grpc
from salesmeet.scheduling.v1 import scheduling_service_pb2 as ss
from salesmeet.scheduling.v1 import scheduling_service_pb2_grpc as ss_grpc

import grpcurl_cli
import harness
import postgres
import secure_up_commands as sc
from harness import DOMAIN, RPC_TIMEOUT
from up_script_e2e_test import SERVICES, UpScript, alive, command_line
from up_script_postgresql_e2e_test import EXPECTED as PG_EXPECTED
from up_script_postgresql_e2e_test import PostgresUpScript

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
ACCESS_POLICY = REPO_ROOT / "deploy" / "security" / "access-policy.json"
SECURE = {"SALESMEET_SECURE": "1"}
PERMISSION_DENIED = grpc.StatusCode.PERMISSION_DENIED
UNAUTHENTICATED = grpc.StatusCode.UNAUTHENTICATED

MARIA = "participants/maria-rossi"
# A seeded customer contact: her email is personal data.
SARAH = "participants/contact-northwind-2"
# A booking the scheduler's token may make and the viewer's may not.
BOOKING = json.dumps({"meeting": {
    "title": "Northwind: security review", "agenda": "Their questions",
    "purpose": "PROSPECT_PITCH", "format": "VIDEO_CONFERENCE",
    "videoConference": {"provider": "ZOOM",
                        "joinUri": "https://zoom.meridian.example/j/sec"},
    "organizer": "participants/james-carter",
    "attendees": [{"participant": "participants/james-carter"},
                  {"participant": "participants/contact-northwind-2"}],
    "startTime": "2028-09-19T14:00:00Z", "endTime": "2028-09-19T14:30:00Z",
    "timeZone": "America/New_York"}})
CREATE_MEETING = "salesmeet.scheduling.v1.SchedulingService/CreateMeeting"
GET_PARTICIPANT = "salesmeet.participant.v1.ParticipantService/GetParticipant"


def booking_request():
    return json_format.Parse(BOOKING, ss.CreateMeetingRequest())


class SecureUpChecks:
    """What both test classes check of a running secure up.sh (self.up)."""

    @classmethod
    def find_grpcurl(cls, workdir):
        grpcurl = grpcurl_cli.find_grpcurl()
        if grpcurl is None:
            print("\nNOTE: no grpcurl found ($SALESMEET_GRPCURL, PATH, "
                  "../shared/tools/bin/grpcurl): checking with python3-grpcio "
                  "only", file=sys.stderr)
            return None
        bin_dir = os.path.join(workdir, "bin")
        os.makedirs(bin_dir, exist_ok=True)
        return sc.GrpcurlShell(grpcurl, bin_dir)

    def printed(self):
        return self.up.printed()

    def commands(self):
        texts = sc.printed_commands(self.printed())
        self.assertTrue(texts, self.printed())
        return [sc.parse_command(text) for text in texts]

    def assert_printed_commands_work(self, commands):
        """Every command names the PKI's files and the token of its role,
        and works with python3-grpcio and, as printed, with grpcurl."""
        pki = self.pki
        for command in commands:
            with self.subTest(command=command.text):
                self.assertNotIn("-plaintext", command.text)
                self.assertEqual(
                    (command.options["-cacert"], command.options["-cert"],
                     command.options["-key"], command.token_path),
                    (pki.ca, pki.operator_cert, pki.operator_key,
                     pki.token_path(sc.expected_role(command))))
                try:
                    replayed = sc.replay(command)
                except grpcurl_cli.RpcFailed as failed:
                    self.fail(f"python3-grpcio: {failed.error}")
                self.assertTrue(replayed)
                if self.grpcurl is None:
                    continue
                try:
                    printed = self.grpcurl.run(command)
                except (grpcurl_cli.RpcFailed, AssertionError) as failed:
                    self.fail(f"grpcurl: {getattr(failed, 'error', failed)}")
                self.assertTrue(printed, "grpcurl printed nothing")

    def assert_plaintext_refused(self, address):
        self.assertEqual(sc.plaintext_health_code(address),
                         grpc.StatusCode.UNAVAILABLE, address)
        if self.grpcurl is not None:
            self.assertTrue(self.grpcurl.plaintext_refused(address),
                            f"grpcurl -plaintext {address} list worked")

    def assert_secure_flags(self, name, pid):
        line = command_line(pid)
        cert = name.split("-")[0]
        for flag in (f"--tls_cert={self.pki.dir}/{cert}.crt",
                     f"--tls_key={self.pki.dir}/{cert}.key",
                     f"--tls_client_ca={self.pki.ca}",
                     f"--peer_tls_ca={self.pki.ca}",
                     f"--access_policy={ACCESS_POLICY}",
                     f"--token_public_keys={self.pki.signing_pub}"):
            self.assertIn(f" {flag} ", line + " ", f"{name}: {line}")

    def stop_and_check(self, up, started):
        up.process.send_signal(signal.SIGTERM)
        self.assertEqual(up.wait_exit(timeout=90), 0, up.printed())
        still = {name: pid for name, pid in started.items() if alive(pid)}
        self.assertFalse(still, f"still running after up.sh exited: {still}")


class SecureUpScriptTest(SecureUpChecks, unittest.TestCase):
    """One SALESMEET_SECURE=1 up.sh on SQLite for the whole class; the last
    test stops it."""

    @classmethod
    def setUpClass(cls):
        workdir = tempfile.TemporaryDirectory(prefix="salesmeet-up-secure-")
        cls.addClassCleanup(workdir.cleanup)
        cls.pinned = int(harness.now())
        cls.up = UpScript(workdir.name, {
            **SECURE, "SALESMEET_TESTING_NOW": harness.now_rfc3339()})
        cls.addClassCleanup(cls.up.kill_everything)
        cls.up.wait_running()
        cls.started = cls.up.started()
        cls.pki = sc.Pki(os.path.join(cls.up.data_dir, "pki"))
        cls.grpcurl = cls.find_grpcurl(workdir.name)
        cls.participant, cls.scheduling, cls.analytics = (
            f"localhost:{port}" for port in cls.up.grpc_ports)

    def people(self, token=None):
        channel = self.pki.channel(self.participant, token)
        self.addCleanup(channel.close)
        return ps_grpc.ParticipantServiceStub(channel)

    def get_participant(self, name, token=None):
        return self.people(token).GetParticipant(
            ps.GetParticipantRequest(name=name), timeout=RPC_TIMEOUT)

    def test_1_every_service_runs_with_tls_tokens_and_the_policy(self):
        self.assertEqual(set(self.started), set(SERVICES) | {"redis"},
                         self.printed())
        for name in SERVICES:
            self.assert_secure_flags(name, self.started[name])
        # The tokens were issued on the services' pinned clock.
        claims = jwt.decode(self.pki.token("viewer"),
                            options={"verify_signature": False})
        self.assertLessEqual(abs(claims["iat"] - self.pinned), 5, claims)
        self.assertEqual(claims["groups"], ["salesmeet-viewers"])

    def test_2_plaintext_is_refused_by_every_service(self):
        for address in (self.participant, self.scheduling, self.analytics):
            with self.subTest(address=address):
                self.assert_plaintext_refused(address)
                # TLS without a client certificate is refused as well.
                with self.pki.channel(address, client_cert=False) as channel:
                    with self.assertRaises(grpc.RpcError) as refused:
                        harness.health_status(channel, timeout=5)
                self.assertEqual(refused.exception.code(),
                                 grpc.StatusCode.UNAVAILABLE)

    def test_3_every_printed_grpcurl_command_works_as_printed(self):
        commands = self.commands()
        listed = {c.address for c in commands if c.verb == "list"}
        self.assertEqual(listed, {self.participant, self.scheduling,
                                  self.analytics})
        self.assertEqual({sc.expected_role(c) for c in commands}, set(sc.ROLES))
        self.assert_printed_commands_work(commands)

    def test_4_the_printed_note_says_which_token_is_which(self):
        printed = self.printed()
        self.assertIn("plaintext is refused", printed)
        for role in sc.ROLES:
            self.assertRegex(printed, rf"tokens/{role}\.jwt +role {role}:")
        self.assertIn(self.pki.dir, printed)
        self.assertIn(f"grep -h '\"msg\":\"audit\"' "
                      f"{self.up.data_dir}/logs/*.log", printed)

    def test_5_a_viewer_cannot_book(self):
        viewer = self.pki.token("viewer")
        channel = self.pki.channel(self.scheduling, viewer)
        self.addCleanup(channel.close)
        error = sc.expect_rpc_error(
            self, PERMISSION_DENIED,
            lambda: ss_grpc.SchedulingServiceStub(channel).CreateMeeting(
                booking_request(), timeout=RPC_TIMEOUT))
        self.assertEqual((error.error_info.domain, error.error_info.reason),
                         (DOMAIN, "METHOD_NOT_GRANTED"), str(error))
        self.assertEqual(error.error_info.metadata["principal"],
                         "user:dev-viewer")
        if self.grpcurl is not None:
            with self.assertRaises(grpcurl_cli.RpcFailed) as failed:
                self.grpcurl.call(self.scheduling, CREATE_MEETING, BOOKING,
                                  viewer, self.pki)
            error = failed.exception.error
            self.assertEqual(error.code, PERMISSION_DENIED, str(error))
            self.assertEqual(error.error_info.reason, "METHOD_NOT_GRANTED")
        # The refusal is in the audit trail where up.sh says.
        log = os.path.join(self.up.data_dir, "logs", "scheduling.log")
        refused = sc.wait_for_audit(log, lambda r: (
            r.get("principal") == "user:dev-viewer"
            and r.get("method") == "/" + CREATE_MEETING))
        self.assertTrue(refused, sc.audit_lines(log)[-5:])
        self.assertEqual(refused[0].get("code"), "PERMISSION_DENIED", refused)

    def test_6_a_forged_token_is_unauthenticated(self):
        forged = sc.sign_token(sc.new_rsa_key_pem())
        error = sc.expect_rpc_error(
            self, UNAUTHENTICATED, lambda: self.get_participant(MARIA, forged))
        self.assertEqual(error.error_info.reason, "INVALID_TOKEN", str(error))
        # The same claims signed with the dev key are fine.
        genuine = sc.sign_token(sc.read(self.pki.signing_key))
        self.assertEqual(self.get_participant(MARIA, genuine).name, MARIA)
        if self.grpcurl is not None:
            with self.assertRaises(grpcurl_cli.RpcFailed) as failed:
                self.grpcurl.call(self.participant, GET_PARTICIPANT,
                                  json.dumps({"name": MARIA}), forged, self.pki)
            self.assertEqual(failed.exception.error.code, UNAUTHENTICATED)
            self.assertEqual(failed.exception.error.error_info.reason,
                             "INVALID_TOKEN")

    def test_7_the_operator_certificate_alone_may_browse_but_not_call(self):
        with self.pki.channel(self.participant) as channel:
            self.assertIn("salesmeet.participant.v1.ParticipantService",
                          harness.list_services(channel))
        error = sc.expect_rpc_error(
            self, PERMISSION_DENIED, lambda: self.get_participant(MARIA))
        self.assertEqual(error.error_info.reason, "METHOD_NOT_GRANTED")
        self.assertEqual(error.error_info.metadata["principal"],
                         "spiffe://salesmeet/operator")
        if self.grpcurl is not None:
            self.assertIn("salesmeet.participant.v1.ParticipantService",
                          self.grpcurl.list(self.participant, self.pki))
            with self.assertRaises(grpcurl_cli.RpcFailed) as failed:
                self.grpcurl.call(self.participant, GET_PARTICIPANT,
                                  json.dumps({"name": MARIA}), None, self.pki)
            self.assertEqual(failed.exception.error.code, PERMISSION_DENIED)

    def test_8_the_demo_is_seeded_and_only_the_admin_sees_emails(self):
        viewer, admin = self.pki.token("viewer"), self.pki.token("admin")
        self.assertEqual(self.get_participant(MARIA, viewer).display_name,
                         "Maria Rossi")
        seen_by_viewer = self.get_participant(SARAH, viewer)
        self.assertEqual(seen_by_viewer.display_name, "Sarah Kim")
        self.assertTrue(seen_by_viewer.HasField("customer"))
        self.assertEqual(seen_by_viewer.email, "")
        self.assertTrue(self.get_participant(SARAH, admin).email.endswith(
            ".example"))
        if self.grpcurl is not None:
            request = json.dumps({"name": SARAH})
            [as_viewer] = self.grpcurl.call(self.participant, GET_PARTICIPANT,
                                            request, viewer, self.pki)
            [as_admin] = self.grpcurl.call(self.participant, GET_PARTICIPANT,
                                           request, admin, self.pki)
            self.assertEqual(as_viewer.get("displayName",
                                           as_viewer.get("display_name")),
                             "Sarah Kim")
            self.assertFalse(as_viewer.get("email"), as_viewer)
            self.assertTrue(as_admin.get("email"), as_admin)

    def test_9_sigterm_stops_everything(self):
        self.stop_and_check(self.up, self.started)


class SecureUpScriptOnPostgresqlTest(SecureUpChecks, unittest.TestCase):
    """SALESMEET_SECURE=1 with SALESMEET_STORE=postgresql: every scheduling
    replica serves mutual TLS, calls participant with its certificate, and
    is in the printed commands."""

    @classmethod
    def setUpClass(cls):
        if not postgres.available():
            raise unittest.SkipTest("Debian's postgresql-15 is not installed")

    def test_every_scheduling_replica_is_secure(self):
        workdir = tempfile.TemporaryDirectory(prefix="salesmeet-up-secure-pg-")
        self.addCleanup(workdir.cleanup)
        # PostgreSQL runs as the postgres user, which must reach its data.
        os.chmod(workdir.name, 0o755)
        self.up = up = PostgresUpScript(workdir.name, SECURE)
        self.addCleanup(up.kill_everything)
        up.wait_running()
        started = up.started()
        self.assertEqual(set(started), PG_EXPECTED, up.printed())
        self.pki = sc.Pki(os.path.join(up.data_dir, "pki"))
        self.grpcurl = self.find_grpcurl(workdir.name)

        replicas = [f"localhost:{port}" for port in up.scheduling_ports]
        for name, pid in started.items():
            if name not in ("redis", "postgresql"):
                self.assert_secure_flags(name, pid)
        for address in replicas:
            self.assert_plaintext_refused(address)
        commands = self.commands()
        replica_lists = [c for c in commands
                         if c.verb == "list" and c.address in replicas]
        # The first replica is also in the general examples.
        self.assertEqual({c.address for c in replica_lists}, set(replicas))
        self.assert_printed_commands_work(replica_lists)

        # Booked through replica 2 (which asks participant about the
        # attendees with its own certificate), read through replica 3.
        scheduler = self.pki.channel(replicas[1], self.pki.token("scheduler"))
        viewer = self.pki.channel(replicas[2], self.pki.token("viewer"))
        for channel in (scheduler, viewer):
            self.addCleanup(channel.close)
        request = booking_request()
        request.meeting_id = "secure-replica-booking"
        booked = ss_grpc.SchedulingServiceStub(scheduler).CreateMeeting(
            request, timeout=RPC_TIMEOUT).meeting
        self.assertEqual(ss_grpc.SchedulingServiceStub(viewer).GetMeeting(
            ss.GetMeetingRequest(name=booked.name), timeout=RPC_TIMEOUT).name,
            booked.name)
        self.stop_and_check(up, started)


if __name__ == "__main__":
    unittest.main()
