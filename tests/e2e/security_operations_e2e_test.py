"""Operating the secured services, end to end: certificate rotation without
a restart, policy reload, rate limits and stream caps, the audit trail, and
the rule that customer contacts' personal data stays in the participant
service."""

import glob
import json
import os
import shutil
import socket
import ssl
import unittest

import grpc
from google.protobuf import duration_pb2

import harness
from harness import RPC_TIMEOUT
from salesmeet.analytics.v1 import analytics_service_pb2 as asv
from salesmeet.participant.v1 import participant_pb2
from salesmeet.participant.v1 import participant_service_pb2 as ps
from salesmeet.scheduling.v1 import calendar_pb2, change_pb2
from salesmeet.scheduling.v1 import scheduling_service_pb2 as ss
from salesmeet.scheduling.v1 import scheduling_service_pb2_grpc
from salesmeet.type.v1 import people_pb2
from google.rpc import error_details_pb2
from scheduling_fixtures import DAY, HOUR, interval, meeting, money, monday_utc
from security_fixtures import (DEFAULT_POLICY, SecureServicesTestCase, call,
                               call_error, secure_channel, tls_flags)

P = "participant"
CREATE_TEAM = "salesmeet.participant.v1.ParticipantService/CreateTeam"

# Personal data of one customer contact, chosen so that no other text in
# the system could contain it by chance.
MARKER_NAME = "Qzvmarker Jwxbfamily"
MARKER_EMAIL = "qzv.marker.jwxb@contact-pii.example"
MARKERS = [b"Qzvmarker", b"Jwxbfamily", b"qzv.marker.jwxb", b"contact-pii"]


# Streams in these tests ask for a heartbeat every second, so an admitted
# stream always delivers a first message soon.
WATCH = change_pb2.WatchMeetingChangesRequest(
    heartbeat_interval=duration_pb2.Duration(seconds=1))


def metadata(token):
    return [("authorization", f"Bearer {token}")]


def served_certificate(port, pki):
    """The DER certificate a TLS server presents to the operator now."""
    context = ssl.create_default_context(cafile=pki.file("ca.crt"))
    context.load_cert_chain(pki.file("operator.crt"), pki.file("operator.key"))
    context.set_alpn_protocols(["h2"])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        with context.wrap_socket(raw, server_hostname="localhost") as tls:
            return tls.getpeercert(binary_form=True)


def der_of(pem_path):
    with open(pem_path) as f:
        return ssl.PEM_cert_to_DER_cert(f.read())


def retry_info_of(error):
    for detail in error.other_details:
        info = error_details_pb2.RetryInfo()
        if detail.Unpack(info):
            return info
    return None


class RotationAndReloadTest(SecureServicesTestCase):

    def own_participant(self, **flags):
        """A participant server of this test's own, so its files can change."""
        return self.start_test_service(P, tls_flags(
            self.pki, P, db=harness.database_url(os.path.join(
                self.tmp, f"{self.id().split('.')[-1]}.db")), **flags))

    def test_a_reissued_certificate_is_served_without_a_restart(self):
        server = self.own_participant()
        before = served_certificate(server.grpc_port, self.pki)
        self.assertEqual(before, der_of(self.pki.file("participant.crt")))
        old_channel = secure_channel(server, self.operator)
        self.addCleanup(old_channel.close)
        viewer = self.pki.role_token("viewer")
        self.assertEqual(call(old_channel, P, "ListTeams", viewer),
                         grpc.StatusCode.OK)

        self.pki.run("reissue", "participant", "--new-key")
        rotated = der_of(self.pki.file("participant.crt"))
        self.assertNotEqual(rotated, before)
        harness.wait_for(
            lambda: served_certificate(server.grpc_port, self.pki) == rotated,
            15, what="the reissued certificate to be served")
        self.assertEqual(server.process.poll(), None, "no restart")
        new_channel = secure_channel(server, self.operator)
        self.addCleanup(new_channel.close)
        self.assertEqual(call(new_channel, P, "ListTeams", viewer),
                         grpc.StatusCode.OK)
        self.assertEqual(call(old_channel, P, "ListTeams", viewer),
                         grpc.StatusCode.OK)

    def test_a_changed_policy_applies_and_a_broken_one_is_ignored(self):
        policy_path = os.path.join(self.tmp, "reloaded-policy.json")
        shutil.copy(DEFAULT_POLICY, policy_path)
        server = self.own_participant(access_policy=policy_path)
        channel = secure_channel(server, self.operator)
        self.addCleanup(channel.close)
        viewer = self.pki.role_token("viewer")
        self.assertEqual(call(channel, P, "CreateTeam", viewer),
                         grpc.StatusCode.PERMISSION_DENIED)

        with open(DEFAULT_POLICY) as f:
            policy = json.load(f)
        for role in policy["roles"]:
            if role["name"] == "viewer":
                role["methods"].append(CREATE_TEAM)
        with open(policy_path, "w") as f:
            json.dump(policy, f)
        # Granted: the empty request now reaches validation.
        harness.wait_for(
            lambda: call(channel, P, "CreateTeam", viewer) ==
            grpc.StatusCode.INVALID_ARGUMENT, 15, what="the grant to apply")

        with open(policy_path, "w") as f:
            f.write('{"roles": [{"name": "viewer", "methods": ["nonsense"]}]}')
        server.wait_for_log(
            lambda r: r.get("msg", "").startswith("access policy not reloaded"),
            timeout=15)
        self.assertEqual(call(channel, P, "CreateTeam", viewer),
                         grpc.StatusCode.INVALID_ARGUMENT)
        self.assertIn('access_policy_reloads_total{result="invalid"}',
                      server.fetch_metrics())

        shutil.copy(DEFAULT_POLICY, policy_path)
        harness.wait_for(
            lambda: call(channel, P, "CreateTeam", viewer) ==
            grpc.StatusCode.PERMISSION_DENIED, 15, what="the grant to go")


    def test_a_service_its_peer_refuses_says_so_as_unavailable(self):
        policy_path = os.path.join(self.tmp, "no-scheduling-policy.json")
        with open(DEFAULT_POLICY) as f:
            policy = json.load(f)
        policy["bindings"] = [b for b in policy["bindings"] if
                              "spiffe://salesmeet/scheduling" not in b["members"]]
        with open(policy_path, "w") as f:
            json.dump(policy, f)
        participant = self.own_participant(access_policy=policy_path)
        scheduling = self.start_test_service("scheduling", tls_flags(
            self.pki, "scheduling", db=harness.database_url(
                os.path.join(self.tmp, "refused-peer.db")),
            participant=f"localhost:{participant.grpc_port}"))
        channel = secure_channel(scheduling, self.operator)
        self.addCleanup(channel.close)
        start = monday_utc(1) + 10 * HOUR
        error = call_error(
            channel, "scheduling", "CreateMeeting",
            self.pki.role_token("scheduler"),
            request=ss.CreateMeetingRequest(meeting=meeting(
                "participants/a", "participants/b", start=start)))
        # Not the caller's fault, and not theirs to fix: not
        # PERMISSION_DENIED, which would say the scheduler may not book.
        self.assertEqual(error.code, grpc.StatusCode.UNAVAILABLE, str(error))
        self.assertEqual(error.error_info.reason,
                         "PARTICIPANT_SERVICE_UNAVAILABLE")
        self.assertIn("access policy", error.message)


class LimitsTest(SecureServicesTestCase):

    def test_rate_limit_refuses_past_the_burst_with_retry_info(self):
        server = self.start_test_service(P, tls_flags(
            self.pki, P, db=harness.database_url(
                os.path.join(self.tmp, "limited.db")),
            rate_limit_per_second="0.01", rate_limit_burst="3"))
        channel = secure_channel(server, self.operator)
        self.addCleanup(channel.close)
        viewer = self.pki.role_token("viewer")
        for _ in range(3):
            self.assertEqual(call(channel, P, "ListTeams", viewer),
                             grpc.StatusCode.OK)
        error = call_error(channel, P, "ListTeams", viewer,
                           request=ps.ListTeamsRequest())
        self.assertEqual(error.code, grpc.StatusCode.RESOURCE_EXHAUSTED)
        self.assertEqual(error.error_info.reason, "RATE_LIMITED")
        self.assertEqual(error.error_info.metadata["principal"],
                         "user:dev-viewer")
        retry = retry_info_of(error)
        self.assertIsNotNone(retry, str(error))
        self.assertGreater(retry.retry_delay.seconds, 0)
        # Another principal has a bucket of its own.
        self.assertEqual(
            call(channel, P, "ListTeams", self.pki.role_token("analyst")),
            grpc.StatusCode.OK)
        self.assertRegex(
            server.fetch_metrics(),
            r'access_refusals_total\{[^}]*reason="RATE_LIMITED"[^}]*\} [1-9]')

    def test_watch_streams_are_capped_per_principal(self):
        server = self.start_test_service("scheduling", tls_flags(
            self.pki, "scheduling", db=harness.database_url(
                os.path.join(self.tmp, "capped.db")),
            participant=f"localhost:{self.participant.grpc_port}",
            max_watch_streams_per_principal="1"))
        channel = secure_channel(server, self.operator)
        self.addCleanup(channel.close)
        stub = scheduling_service_pb2_grpc.SchedulingServiceStub(channel)
        viewer = metadata(self.pki.role_token("viewer"))
        first = stub.WatchMeetingChanges(
            WATCH, timeout=60, metadata=viewer)
        next(first)  # Open: the server has admitted it.
        second = stub.WatchMeetingChanges(
            WATCH, timeout=10, metadata=viewer)
        with self.assertRaises(grpc.RpcError) as refused:
            next(second)
        error = harness.rich_error(refused.exception)
        self.assertEqual(error.code, grpc.StatusCode.RESOURCE_EXHAUSTED)
        self.assertEqual(error.error_info.reason, "STREAM_LIMIT")
        self.assertIn("access_open_streams 1", server.fetch_metrics())
        # Someone else may still watch.
        other = stub.WatchMeetingChanges(
            WATCH, timeout=10,
            metadata=metadata(self.pki.role_token("admin")))
        next(other)
        other.cancel()
        first.cancel()

        def third_admitted():
            stream = stub.WatchMeetingChanges(
                WATCH, timeout=10, metadata=viewer)
            try:
                next(stream)
                return True
            except grpc.RpcError:
                return False
            finally:
                stream.cancel()
        harness.wait_for(third_admitted, 10, interval=0.2,
                         what="the viewer's slot to free up")


class AuditAndPersonalDataTest(SecureServicesTestCase):

    @classmethod
    def setUpServices(cls):
        super().setUpServices()
        admin = metadata(cls.pki.role_token("admin"))
        people = cls.stub(P)
        cls.rep = people.CreateParticipant(ps.CreateParticipantRequest(
            participant_id="rep-audit", participant=participant_pb2.Participant(
                display_name="Rep Audit", email="rep.audit@sales.example",
                kind=people_pb2.EMPLOYEE, role=people_pb2.SALES_REP,
                time_zone="Europe/Rome", hourly_cost=money(80))),
            timeout=RPC_TIMEOUT, metadata=admin).name
        cls.contact = people.CreateParticipant(ps.CreateParticipantRequest(
            participant_id="contact-7f3a", participant=participant_pb2.Participant(
                display_name=MARKER_NAME, email=MARKER_EMAIL,
                kind=people_pb2.CUSTOMER_CONTACT, time_zone="Europe/Berlin",
                customer=participant_pb2.CustomerProfile(
                    account="Acme GmbH", lifecycle=people_pb2.PROSPECT,
                    account_owner=cls.rep,
                    contact_cadence=duration_pb2.Duration(seconds=14 * DAY)))),
            timeout=RPC_TIMEOUT, metadata=admin).name
        scheduling = cls.stub("scheduling")
        start = monday_utc(1) + 10 * HOUR
        cls.booked = scheduling.CreateMeeting(ss.CreateMeetingRequest(
            meeting_id="audit-pitch", request_id="req-audit-pitch",
            meeting=meeting(cls.rep, cls.contact, start=start,
                            title="Discovery call")),
            timeout=RPC_TIMEOUT,
            metadata=metadata(cls.pki.role_token("scheduler"))).meeting
        # Calendars through the Redis cache, and analytics caught up.
        scheduling.QueryFreeBusy(calendar_pb2.QueryFreeBusyRequest(
            participants=[cls.rep, cls.contact],
            interval=cls.booked_interval(start)), timeout=RPC_TIMEOUT,
            metadata=metadata(cls.pki.role_token("viewer")))
        analytics = cls.stub("analytics")
        analyst = metadata(cls.pki.role_token("analyst"))

        def caught_up():
            status = analytics.GetFeedStatus(asv.GetFeedStatusRequest(),
                                             timeout=RPC_TIMEOUT,
                                             metadata=analyst)
            return status.applied_sequence >= 1
        harness.wait_for(caught_up, 20, what="analytics to apply the feed")
        analytics.GetMeetingLoadReport(asv.GetMeetingLoadReportRequest(),
                                       timeout=RPC_TIMEOUT, metadata=analyst)
        analytics.GetContactCadenceReport(
            asv.GetContactCadenceReportRequest(), timeout=RPC_TIMEOUT,
            metadata=analyst)

    @classmethod
    def booked_interval(cls, start):
        return interval(start - DAY, start + DAY)

    def audit_lines(self, server):
        return [r for r in server.log_records() if r.get("msg") == "audit"]

    def test_a_booking_writes_one_audit_line(self):
        lines = [r for r in self.audit_lines(self.scheduling)
                 if r.get("request_id") == "req-audit-pitch"]
        self.assertEqual(len(lines), 1, lines)
        line = lines[0]
        self.assertEqual(line["principal"], "user:dev-scheduler")
        self.assertEqual(line["method"],
                         "/salesmeet.scheduling.v1.SchedulingService/"
                         "CreateMeeting")
        self.assertEqual(line["code"], "OK")
        self.assertIn("meetings/audit-pitch", line["resources"])
        self.assertIn(self.rep, line["resources"])
        self.assertIn(self.contact, line["resources"])
        self.assertIn("ts", line)

    def test_refused_writes_are_audited_and_reads_are_not(self):
        channel = self.channel_to("scheduling")
        call(channel, "scheduling", "CancelMeeting",
             self.pki.role_token("viewer"))
        call(channel, "scheduling", "GetMeeting", self.pki.role_token("viewer"))
        call(channel, "scheduling", "ExportMeeting",
             self.pki.role_token("viewer"))
        lines = self.audit_lines(self.scheduling)
        self.assertTrue(any(
            r["principal"] == "user:dev-viewer" and
            r["method"].endswith("/CancelMeeting") and
            r["code"] == "PERMISSION_DENIED" for r in lines), lines)
        self.assertFalse(any(r["method"].endswith(("/GetMeeting",
                                                   "/ExportMeeting"))
                             for r in lines))

    def test_audit_lines_hold_no_email_token_or_free_text(self):
        tokens = [self.pki.role_token(r) for r in
                  ("admin", "scheduler", "viewer", "analyst")]
        for server in self.servers.values():
            for line in self.audit_lines(server):
                text = json.dumps(line)
                self.assertNotIn("@", text)
                self.assertNotIn("Discovery call", text)
                for token in tokens:
                    self.assertNotIn(token[-20:], text)

    def test_contacts_email_only_with_the_pii_permission(self):
        people = self.stub(P)
        for role, sees in (("admin", True), ("viewer", False),
                           ("scheduler", False), ("analyst", False)):
            got = people.GetParticipant(
                ps.GetParticipantRequest(name=self.contact),
                timeout=RPC_TIMEOUT, metadata=metadata(self.pki.role_token(role)))
            self.assertEqual(got.email, MARKER_EMAIL if sees else "", role)
            listed = people.ListParticipants(
                ps.ListParticipantsRequest(), timeout=RPC_TIMEOUT,
                metadata=metadata(self.pki.role_token(role)))
            emails = {p.name: p.email for p in listed.participants}
            self.assertEqual(emails[self.contact],
                             MARKER_EMAIL if sees else "", role)
            # An employee's work address is not hidden.
            self.assertEqual(emails[self.rep], "rep.audit@sales.example")

    def test_calendar_exports_show_contacts_addresses_only_with_pii(self):
        scheduling = self.stub("scheduling")
        for role, sees in (("admin", True), ("scheduler", False),
                           ("viewer", False)):
            exported = scheduling.ExportMeeting(
                calendar_pb2.ExportMeetingRequest(name=self.booked.name),
                timeout=RPC_TIMEOUT,
                metadata=metadata(self.pki.role_token(role)))
            data = exported.data.replace("\r\n ", "")
            self.assertEqual(MARKER_EMAIL in data, sees, role)
            self.assertEqual(f"urn:salesmeet:{self.contact}" in data,
                             not sees, role)
            # Employees' work addresses, and everyone's name, are shown.
            self.assertIn("mailto:rep.audit@sales.example", data, role)

    def test_personal_data_stays_in_the_participant_service(self):
        def files_of(db):
            return [f for f in glob.glob(os.path.join(self.tmp, db) + "*")
                    if os.path.isfile(f)]

        # The search can find a marker: the participant database holds it.
        participant_bytes = b""
        for path in files_of("participant.db"):
            with open(path, "rb") as f:
                participant_bytes += f.read()
        self.assertIn(MARKERS[0], participant_bytes)

        places = {}
        for db in ("scheduling.db", "analytics.db"):
            for path in files_of(db):
                with open(path, "rb") as f:
                    places[path] = f.read()
        self.assertTrue(places, "no database files found to search")
        # Redis, saved uncompressed so a marker cannot hide in LZF.
        self.assertEqual(
            self.redis.cli("CONFIG", "SET", "rdbcompression", "no"), "OK")
        dump = os.path.join(self.tmp, "redis-dump.rdb")
        self.redis.cli("--rdb", dump)
        with open(dump, "rb") as f:
            places["redis"] = f.read()
        self.assertTrue(self.redis.keys(), "scheduling cached nothing")
        # The change feed, as a follower reads it.
        stub = scheduling_service_pb2_grpc.SchedulingServiceStub(
            self.channel_to("scheduling"))
        stream = stub.WatchMeetingChanges(
            WATCH, timeout=10,
            metadata=metadata(self.pki.role_token("admin")))
        first = next(stream)
        stream.cancel()
        self.assertTrue(first.changes, "the feed is empty")
        places["feed"] = first.SerializeToString()
        # Every log, the participant service's included.
        for name, server in self.servers.items():
            places[f"{name} log"] = server.log_text().encode()

        for place, data in places.items():
            for marker in MARKERS:
                self.assertNotIn(marker, data, f"{marker!r} found in {place}")


if __name__ == "__main__":
    unittest.main()
