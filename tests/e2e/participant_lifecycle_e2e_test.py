"""End-to-end tests of the participant server's process lifecycle: data,
page tokens and request ids survive a restart, and SIGTERM drains in-flight
requests within the shutdown timeout. Builders and the base class are in
participant_fixtures.

Run from tests/e2e:
  PYTHONPATH=<build>/py:. SALESMEET_BIN_DIR=<build>/services \
      /usr/bin/python3 -m unittest -v participant_lifecycle_e2e_test
"""

import collections
import os
import signal
import tempfile
import threading
import time
import unittest

import grpc
from google.protobuf import duration_pb2
from salesmeet.participant.v1 import participant_service_pb2 as ps
from salesmeet.participant.v1 import participant_service_pb2_grpc

import harness
from harness import RPC_TIMEOUT
from participant_fixtures import (SERVICE, ParticipantServerTestCase,
                                  customer_contact, employee)


# -- restart ---------------------------------------------------------------------

class RestartTest(ParticipantServerTestCase):

    def restart(self):
        old = self.server
        rc = old.stop(signal.SIGTERM, timeout=20)
        self.assertEqual(rc, 0, old.log_tail())
        messages = [r.get("msg") for r in old.log_records()]
        self.assertIn("draining", messages)
        self.assertIn("stopped", messages)
        type(self).start_participant()

    def test_participants_and_teams_survive_a_restart(self):
        team = self.create_team("keep-team", "Kept")
        rep = self.create(employee("Kept Rep", team=team.name,
                                   weekly_meeting_budget=duration_pb2.Duration(
                                       seconds=6 * 3600)))
        contact = self.create(customer_contact(rep.name))
        self.restart()
        self.assertEqual(self.get(rep.name), rep)
        self.assertEqual(self.get(contact.name), contact)
        self.assertEqual(self.stub.GetTeam(ps.GetTeamRequest(name=team.name),
                                           timeout=RPC_TIMEOUT), team)

    def test_page_token_issued_before_a_restart_still_works(self):
        self.create_team("restart-paging", "Restart Paging")
        for i in range(6):
            self.create(employee(f"R {i}", team="teams/restart-paging"),
                        participant_id=f"rp-{i}")
        flt = 'team = "teams/restart-paging"'
        first = self.stub.ListParticipants(
            ps.ListParticipantsRequest(filter=flt, page_size=4), timeout=RPC_TIMEOUT)
        self.restart()
        rest = self.stub.ListParticipants(
            ps.ListParticipantsRequest(filter=flt, page_size=4,
                                       page_token=first.next_page_token),
            timeout=RPC_TIMEOUT)
        self.assertEqual([p.name for p in rest.participants],
                         ["participants/rp-4", "participants/rp-5"])

    def test_request_id_is_remembered_across_a_restart(self):
        request = ps.CreateParticipantRequest(participant=employee("Durable"),
                                              request_id="durable-key")
        first = self.stub.CreateParticipant(request, timeout=RPC_TIMEOUT)
        self.restart()
        self.assertEqual(self.stub.CreateParticipant(request, timeout=RPC_TIMEOUT),
                         first)
        emails = [p.email for p in self.list_all(page_size=100)]
        self.assertEqual(emails.count(request.participant.email), 1)

    def test_health_is_serving_after_a_restart(self):
        self.restart()
        self.assertEqual(harness.health_status(self.channel, SERVICE), "SERVING")


# -- graceful shutdown -----------------------------------------------------------

class GracefulShutdownTest(harness.ServiceTestCase):
    """SIGTERM while a request is in flight. The database is seeded by a
    normal server first; the server under test then sleeps before every
    transaction (--testing_store_delay), so a Get is slow."""

    STORE_DELAY = 2.0

    def setUp(self):
        tmp = tempfile.TemporaryDirectory(prefix="salesmeet-participant-")
        self.addCleanup(tmp.cleanup)
        self.db = harness.database_url(os.path.join(tmp.name, "participant.db"))
        seeder = self.start_test_service("participant", {"db": self.db})
        stub = participant_service_pb2_grpc.ParticipantServiceStub(seeder.channel())
        self.sam = stub.CreateParticipant(ps.CreateParticipantRequest(
            participant=employee("Slow Sam"), participant_id="sam"),
            timeout=RPC_TIMEOUT)
        self.assertEqual(seeder.stop(), 0, seeder.log_tail())

    def start_slow(self, delay=STORE_DELAY, **flags):
        server = self.start_test_service("participant", {
            "db": self.db, "testing_store_delay": f"{delay}s", **flags})
        channel = server.channel()
        return server, channel, participant_service_pb2_grpc.ParticipantServiceStub(channel)

    def get_in_background(self, stub):
        future = stub.GetParticipant.future(
            ps.GetParticipantRequest(name="participants/sam"), timeout=RPC_TIMEOUT)
        time.sleep(0.5)  # Let the call reach the handler and its store delay.
        self.assertFalse(future.done(), "the slow Get finished too early")
        return future

    def test_sigterm_during_a_slow_request_completes_it_and_exits_zero(self):
        shutdown_timeout = 10.0
        server, channel, stub = self.start_slow(shutdown_timeout=f"{shutdown_timeout}s")
        future = self.get_in_background(stub)
        signalled = time.monotonic()
        server.send_signal(signal.SIGTERM)
        rc = server.wait(timeout=shutdown_timeout + 5)
        elapsed = time.monotonic() - signalled
        self.assertEqual(rc, 0)
        self.assertEqual(future.result(timeout=RPC_TIMEOUT), self.sam)
        self.assertLess(elapsed, shutdown_timeout)
        messages = [r.get("msg") for r in server.log_records()]
        self.assertLess(messages.index("draining"), messages.index("stopped"))

    def test_no_new_calls_are_served_once_draining(self):
        server, channel, stub = self.start_slow(shutdown_timeout="10s")
        future = self.get_in_background(stub)
        server.send_signal(signal.SIGTERM)
        server.wait_for_log(lambda r: r.get("msg") == "draining", timeout=5)
        try:
            status = harness.health_status(channel, SERVICE, timeout=2)
        except grpc.RpcError as e:
            # Refused: the process is gone (UNAVAILABLE), never CANCELLED.
            self.assertEqual(e.code(), grpc.StatusCode.UNAVAILABLE, e)
        else:
            self.assertEqual(status, "NOT_SERVING")
        self.assertEqual(future.result(timeout=RPC_TIMEOUT), self.sam)
        self.assertEqual(server.wait(timeout=15), 0)

    def test_health_reports_not_serving_during_the_drain_grace(self):
        server, channel, stub = self.start_slow(drain_grace="1.5s",
                                                shutdown_timeout="10s")
        self.assertEqual(harness.health_status(channel, SERVICE), "SERVING")
        future = self.get_in_background(stub)
        server.send_signal(signal.SIGTERM)
        # "draining" is logged just before health flips, hence the polling;
        # the 1.5s grace keeps the listener open meanwhile.
        harness.wait_for(
            lambda: harness.health_status(channel, SERVICE, timeout=1) == "NOT_SERVING",
            timeout=1.0, what="NOT_SERVING after SIGTERM")
        self.assertEqual(harness.health_status(channel, "", timeout=1),
                         "NOT_SERVING")
        self.assertEqual(future.result(timeout=RPC_TIMEOUT), self.sam)
        self.assertEqual(server.wait(timeout=15), 0)

    def test_request_stuck_past_the_shutdown_timeout_does_not_hold_the_exit(self):
        # The store stalls for 6s but the drain may take only 0.5s: the
        # process must be gone soon after that deadline, not when the stalled
        # call returns. The 4.5s bound leaves 4s for teardown (the metrics
        # server alone may take 2s to stop) on a busy machine.
        server, channel, stub = self.start_slow(delay=6.0, shutdown_timeout="0.5s")
        future = self.get_in_background(stub)
        signalled = time.monotonic()
        server.send_signal(signal.SIGTERM)
        rc = server.wait(timeout=15)
        elapsed = time.monotonic() - signalled
        self.assertEqual(rc, 0)
        with self.assertRaises(grpc.RpcError) as caught:
            future.result(timeout=RPC_TIMEOUT)
        self.assertEqual(caught.exception.code(), grpc.StatusCode.UNAVAILABLE)
        self.assertLess(elapsed, 4.5, "the exit waited for the stalled call")


class ShutdownBoundaryTest(harness.ServiceTestCase):
    """Callers hammer a server while it stops. Clients retry UNAVAILABLE
    only (on another replica), so every call must end OK or UNAVAILABLE,
    including those that arrive just as the drain grace ends, which gRPC's
    own Shutdown() would cancel."""

    ROUNDS = 8
    CALLERS = 4

    def hammer_one_shutdown(self, db):
        server = self.start_test_service("participant", {
            "db": db, "drain_grace": "200ms", "shutdown_timeout": "5s"})
        codes = collections.Counter()
        lock = threading.Lock()
        stop = threading.Event()

        def caller():
            stub = participant_service_pb2_grpc.ParticipantServiceStub(
                grpc.insecure_channel(server.address))
            while not stop.is_set():
                try:
                    stub.ListTeams(ps.ListTeamsRequest(), timeout=RPC_TIMEOUT)
                    code = "OK"
                except grpc.RpcError as e:
                    code = e.code().name
                with lock:
                    codes[code] += 1
                if code != "OK" and not server.running():
                    return

        callers = [threading.Thread(target=caller) for _ in range(self.CALLERS)]
        for thread in callers:
            thread.start()
        harness.wait_for(lambda: codes["OK"] >= 20, timeout=10,
                         what="calls served before the signal")
        server.send_signal(signal.SIGTERM)
        self.assertEqual(server.wait(timeout=15), 0, server.log_tail())
        stop.set()
        for thread in callers:
            thread.join(timeout=RPC_TIMEOUT)
        return codes

    def test_calls_at_the_end_of_the_drain_are_unavailable_never_cancelled(self):
        tmp = tempfile.TemporaryDirectory(prefix="salesmeet-participant-")
        self.addCleanup(tmp.cleanup)
        db = harness.database_url(os.path.join(tmp.name, "participant.db"))
        total = collections.Counter()
        for round_number in range(self.ROUNDS):
            codes = self.hammer_one_shutdown(db)
            total.update(codes)
            self.assertLessEqual(set(codes), {"OK", "UNAVAILABLE"},
                                 f"round {round_number}: {dict(codes)}")
        self.assertGreater(total["UNAVAILABLE"], 0, dict(total))


if __name__ == "__main__":
    unittest.main()
