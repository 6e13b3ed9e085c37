"""Who may call what, end to end: every method of the three services
against every kind of caller, under mutual TLS with the default policy
(deploy/security/access-policy.json).

The expected grants are written out here by hand, not read from the policy
file, so a policy edit that widens or narrows a role fails this test until
the table is changed too.
"""

import os
import subprocess
import unittest

import grpc

import harness
from security_fixtures import (APIS, REFUSALS, DevPki, SecureServicesTestCase,
                               call, call_error, secure_channel)

P = "participant"
S = "scheduling"
A = "analytics"

PARTICIPANT_READS = {(P, m) for m in (
    "GetParticipant", "BatchGetParticipants", "ListParticipants", "GetTeam",
    "ListTeams")}
SCHEDULING_READS = {(S, m) for m in (
    "GetMeeting", "ListMeetings", "ListOccurrences", "GetCalendar",
    "ExportCalendar", "ExportMeeting", "QueryFreeBusy", "FindMeetingSlots",
    "GetSchedulingPolicy")}
BOOKING = {(S, m) for m in (
    "CreateMeeting", "UpdateMeeting", "CancelMeeting", "CompleteMeeting",
    "RespondToMeeting", "MoveOccurrence", "CancelOccurrence",
    "RestoreOccurrence", "TruncateSeries")}
REPORTS = {(A, m) for m in (
    "GetCostReport", "GetMeetingLoadReport", "GetMeetingMixReport",
    "GetContactCadenceReport", "GetTopPerformers", "GetFeedStatus")}
EVERY_METHOD = {(service, m.name) for service, (_, d) in APIS.items()
                for m in d.methods}

# What each caller may call; everything else must be PERMISSION_DENIED.
GRANTS = {
    "admin": EVERY_METHOD,
    "scheduler": BOOKING | SCHEDULING_READS | PARTICIPANT_READS,
    "viewer": SCHEDULING_READS | PARTICIPANT_READS |
    {(S, "WatchMeetingChanges"), (A, "GetFeedStatus")},
    "analyst": REPORTS | {(P, "GetParticipant"), (P, "ListParticipants"),
                          (P, "GetTeam"), (P, "ListTeams")},
    # Service identities, from their client certificates alone.
    "spiffe://salesmeet/scheduling": {(P, "BatchGetParticipants"),
                                      (P, "GetTeam")},
    "spiffe://salesmeet/analytics": {(P, "ListParticipants"),
                                     (S, "WatchMeetingChanges"),
                                     (S, "GetSchedulingPolicy")},
    "spiffe://salesmeet/participant": set(),
    "spiffe://salesmeet/operator": set(),
}


class AccessMatrixTest(SecureServicesTestCase):

    def assert_matrix(self, credentials, token, granted, who):
        channels = {service: self.channel_to(service, credentials)
                    for service in APIS}
        wrong = []
        for service, method in sorted(EVERY_METHOD):
            code = call(channels[service], service, method, token)
            allowed = (service, method) in granted
            if allowed and code in REFUSALS:
                wrong.append(f"{service}.{method}: {code.name}, expected it "
                             f"to be allowed")
            if not allowed and code != grpc.StatusCode.PERMISSION_DENIED:
                wrong.append(f"{service}.{method}: {code.name}, expected "
                             f"PERMISSION_DENIED")
        self.assertEqual(wrong, [], f"{who}: {len(wrong)} wrong")

    def test_each_roles_token(self):
        for role in ("admin", "scheduler", "viewer", "analyst"):
            with self.subTest(role=role):
                self.assert_matrix(self.operator, self.pki.role_token(role),
                                   GRANTS[role], role)

    def test_each_service_identity(self):
        for service in ("scheduling", "analytics", "participant", "operator"):
            with self.subTest(service=service):
                self.assert_matrix(self.pki.credentials(service), None,
                                   GRANTS[f"spiffe://salesmeet/{service}"],
                                   service)

    def test_refusal_names_principal_and_method(self):
        error = call_error(self.channel_to(S), S, "CreateMeeting",
                           self.pki.role_token("viewer"))
        self.assertEqual(error.code, grpc.StatusCode.PERMISSION_DENIED)
        self.assertEqual(error.error_info.reason, "METHOD_NOT_GRANTED")
        self.assertEqual(error.error_info.metadata["principal"],
                         "user:dev-viewer")
        self.assertEqual(error.error_info.metadata["method"],
                         "/salesmeet.scheduling.v1.SchedulingService/"
                         "CreateMeeting")

    def test_bad_tokens_are_unauthenticated_everywhere(self):
        tokens = {
            "expired": (self.pki.expired_token(), "TOKEN_EXPIRED"),
            "forged": (self.pki.forged_token(), "INVALID_TOKEN"),
            "wrong audience": (self.pki.wrong_audience_token(),
                               "INVALID_TOKEN"),
            "alg none": (self.pki.alg_none_token(), "INVALID_TOKEN"),
            "HS256 with the public key": (
                self.pki.hmac_with_public_key_token(), "INVALID_TOKEN"),
            "garbage": ("not-a-token", "INVALID_TOKEN"),
        }
        channels = {service: self.channel_to(service) for service in APIS}
        for name, (token, reason) in tokens.items():
            with self.subTest(token=name):
                for service, method in sorted(EVERY_METHOD):
                    self.assertEqual(
                        call(channels[service], service, method, token),
                        grpc.StatusCode.UNAUTHENTICATED, f"{service}.{method}")
                error = call_error(channels[P], P, "GetParticipant", token)
                self.assertEqual(error.error_info.reason, reason)
                if reason == "INVALID_TOKEN":
                    self.assertEqual(error.message, "invalid token")

    def test_a_token_stands_for_the_caller_not_the_certificate(self):
        # The scheduling service's own certificate may read participants in
        # batches; with a viewer's token on top, the viewer is the caller.
        channel = self.channel_to(P, self.pki.credentials("scheduling"))
        self.assertNotIn(call(channel, P, "BatchGetParticipants"), REFUSALS)
        self.assertEqual(
            call(channel, P, "DeleteParticipant",
                 self.pki.role_token("viewer")),
            grpc.StatusCode.PERMISSION_DENIED)


class TransportTest(SecureServicesTestCase):

    def assert_unreachable(self, channel, what):
        for service in APIS:
            code = call(self.channel_for(service, channel), service,
                        next(iter(APIS[service][1].methods_by_name)),
                        self.pki.role_token("admin"), timeout=5)
            self.assertEqual(code, grpc.StatusCode.UNAVAILABLE,
                             f"{what} to {service}")

    def channel_for(self, service, make):
        channel = make(self.servers[service])
        self.addCleanup(channel.close)
        return channel

    def test_plaintext_is_refused(self):
        self.assert_unreachable(
            lambda s: grpc.insecure_channel(s.address), "plaintext")

    def test_a_server_from_another_ca_is_not_trusted(self):
        other = DevPki(os.path.join(self.tmp, "other-pki"))
        self.assert_unreachable(
            lambda s: secure_channel(s, self.pki.credentials(
                "operator", ca_pki=other)), "client trusting another CA")

    def test_a_client_certificate_from_another_ca_is_refused(self):
        other = DevPki(os.path.join(self.tmp, "other-pki-2"))
        self.assert_unreachable(
            lambda s: secure_channel(s, other.credentials(
                "operator", ca_pki=self.pki)), "client cert of another CA")

    def test_no_client_certificate_is_refused(self):
        self.assert_unreachable(
            lambda s: secure_channel(s, self.pki.credentials(None)),
            "no client certificate")

    def test_an_expired_client_certificate_is_refused(self):
        expired = self.pki.run("expired-cert", "operator")
        key = expired[:-len(".crt")] + ".key"
        self.assert_unreachable(
            lambda s: secure_channel(s, self.pki.credentials(
                "operator", cert_file=expired, key_file=key)),
            "expired certificate")

    def test_health_is_open_to_any_authenticated_connection(self):
        for service in APIS:
            channel = self.channel_to(service, self.pki.credentials(
                "participant"))
            self.assertEqual(harness.health_status(channel), "SERVING")

    def test_the_health_probe_binary_speaks_mutual_tls(self):
        probe = os.path.join(os.path.dirname(harness.binary_path(P)),
                             os.pardir, os.pardir, "tools", "health_probe",
                             "salesmeet_health_probe")
        env = dict(os.environ,
                   SALESMEET_PEER_TLS_CA=self.pki.file("ca.crt"),
                   SALESMEET_TLS_CERT=self.pki.file("participant.crt"),
                   SALESMEET_TLS_KEY=self.pki.file("participant.key"))
        for service, server in self.servers.items():
            done = subprocess.run(
                [probe, f"--address=localhost:{server.grpc_port}"], env=env,
                capture_output=True, text=True, timeout=30)
            self.assertEqual(done.returncode, 0, done.stderr)
            self.assertIn("SERVING", done.stdout)
        plaintext = subprocess.run(
            [probe, f"--address=localhost:{self.participant.grpc_port}",
             "--timeout=1s"], capture_output=True, text=True, timeout=30)
        self.assertNotEqual(plaintext.returncode, 0)

    def test_reflection_follows_the_policy(self):
        # The operator's certificate alone may browse the API ...
        names = harness.list_services(self.channel_to(S))
        self.assertIn("salesmeet.scheduling.v1.SchedulingService", names)
        # ... a service identity may not.
        with self.assertRaises(AssertionError) as refused:
            harness.list_services(
                self.channel_to(S, self.pki.credentials("participant")))
        self.assertIn("may not call /grpc.reflection", str(refused.exception))


if __name__ == "__main__":
    unittest.main()
