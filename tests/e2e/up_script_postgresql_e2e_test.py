"""End-to-end test of SALESMEET_STORE=postgresql scripts/up.sh: it starts a
PostgreSQL 15 cluster under its data directory, runs every service on it with
scheduling as three replicas that see each other's writes, keeps the data
for the next run, and Ctrl-C or SIGTERM stops it all, PostgreSQL included.

up.sh runs as in up_script_e2e_test (free ports, a temporary data directory,
the binaries already built), with "now" pinned so that the seed and the
meetings booked here agree on the day.

Run from tests/e2e:
  PYTHONPATH=<build>/py:. SALESMEET_BIN_DIR=<build>/services \\
      /usr/bin/python3 -m unittest -v up_script_postgresql_e2e_test
"""

import os
import re
import signal
import tempfile
import unittest

import grpc
from salesmeet.participant.v1 import participant_pb2
from salesmeet.participant.v1 import participant_service_pb2 as ps
from salesmeet.participant.v1 import participant_service_pb2_grpc
from salesmeet.scheduling.v1 import scheduling_service_pb2 as ss
from salesmeet.scheduling.v1 import scheduling_service_pb2_grpc
from salesmeet.type.v1 import people_pb2

import harness
import postgres
from harness import RPC_TIMEOUT
from scheduling_fixtures import DAY, HOUR, MINUTE, meeting, monday_utc, money
from up_script_e2e_test import UpScript, alive, command_line

REPLICAS = 3
SCHEDULING_NAMES = ["scheduling"] + [f"scheduling-{n}" for n in range(2, REPLICAS + 1)]
EXPECTED = {"participant", "analytics", "redis", "postgresql", *SCHEDULING_NAMES}


class PostgresUpScript(UpScript):
    """One run of SALESMEET_STORE=postgresql scripts/up.sh. Replicas 2 and 3
    and PostgreSQL get free ports of their own; extra_env adds settings
    (up_script_secure_e2e_test's SALESMEET_SECURE)."""

    def __init__(self, workdir, extra_env=None):
        self.pg_port = harness.free_port()
        self.replica_ports = [harness.free_port() for _ in range(REPLICAS - 1)]
        replica_metrics = [harness.free_port() for _ in range(REPLICAS - 1)]
        self.dsn = (f"postgresql://salesmeet@127.0.0.1:{self.pg_port}/salesmeet"
                    "?sslmode=disable")
        super().__init__(workdir, {
            "SALESMEET_STORE": "postgresql",
            "SALESMEET_PG_PORT": str(self.pg_port),
            "SALESMEET_SCHEDULING_REPLICAS": str(REPLICAS),
            "SALESMEET_REPLICA_GRPC_PORTS": " ".join(map(str, self.replica_ports)),
            "SALESMEET_REPLICA_METRICS_PORTS": " ".join(map(str, replica_metrics)),
            "SALESMEET_TESTING_NOW": harness.now_rfc3339(),
            **(extra_env or {}),
        })
        self.pg_dir = os.path.join(self.data_dir, "postgresql")
        # Scheduling's replicas, in order: the first is SALESMEET_GRPC_PORTS's.
        self.scheduling_ports = [self.grpc_ports[1]] + self.replica_ports

    def started(self):
        """{name: pid} of what this run started: the services (scheduling's
        replicas by their port), Redis and PostgreSQL's postmaster."""
        names = {self.grpc_ports[0]: "participant", self.grpc_ports[2]: "analytics",
                 **dict(zip(self.scheduling_ports, SCHEDULING_NAMES))}
        found = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            line = command_line(entry)
            port = re.search(r" --port=(\d+) ", line)
            if (port and int(port.group(1)) in names
                    and re.search(r"/(participant|scheduling|analytics) ", line)):
                found[names[int(port.group(1))]] = int(entry)
            if f"redis-server 127.0.0.1:{self.redis_port}" in line:
                found["redis"] = int(entry)
            # The postmaster; its children name themselves "postgres: ...".
            if f"/postgres -D {self.pg_dir} " in line + " ":
                found["postgresql"] = int(entry)
        return found

    def db_flags(self):
        """{name: its --db} from the command lines of the services."""
        flags = {}
        for name, pid in self.started().items():
            match = re.search(r" --db=(\S+)", command_line(pid))
            if match:
                flags[name] = match.group(1)
        return flags


class UpScriptOnPostgresqlTest(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        if not postgres.available():
            raise unittest.SkipTest("Debian's postgresql-15 is not installed")

    def setUp(self):
        workdir = tempfile.TemporaryDirectory(prefix="salesmeet-up-pg-")
        self.addCleanup(workdir.cleanup)
        # PostgreSQL runs as the postgres user, which must reach its data.
        os.chmod(workdir.name, 0o755)
        self.workdir = workdir.name

    def start_up(self):
        up = PostgresUpScript(self.workdir)
        self.addCleanup(up.kill_everything)
        up.wait_running()
        started = up.started()
        self.assertEqual(set(started), EXPECTED,
                         f"up.sh started {started}:\n{up.printed()}")
        return up, started

    def assert_all_stopped(self, up, started):
        self.assertEqual(up.wait_exit(timeout=90), 0, up.printed())
        still = {name: pid for name, pid in started.items() if alive(pid)}
        self.assertFalse(still, f"still running after up.sh exited: {still}"
                                f"\n{up.printed()}")
        for name in started:
            self.assertIn(f"stopped {name}", up.printed())
        self.assertFalse(os.path.exists(os.path.join(up.pg_dir, "postmaster.pid")),
                         "PostgreSQL did not shut down cleanly")

    def stubs(self, up):
        channels = [grpc.insecure_channel(f"localhost:{port}")
                    for port in [up.grpc_ports[0]] + up.scheduling_ports]
        for channel in channels:
            self.addCleanup(channel.close)
        people = participant_service_pb2_grpc.ParticipantServiceStub(channels[0])
        return people, [scheduling_service_pb2_grpc.SchedulingServiceStub(c)
                        for c in channels[1:]]

    @staticmethod
    def hire(people, n):
        return people.CreateParticipant(ps.CreateParticipantRequest(
            participant_id=f"pg-rep-{n}",
            participant=participant_pb2.Participant(
                display_name=f"Replica Rep {n}", email=f"replica.rep.{n}@sales.example",
                kind=people_pb2.EMPLOYEE, role=people_pb2.SALES_REP,
                time_zone="Europe/Rome", hourly_cost=money(80))),
            timeout=RPC_TIMEOUT).name

    def test_three_scheduling_replicas_share_one_postgresql_database(self):
        up, started = self.start_up()
        printed = up.printed()

        # Every service runs on the cluster up.sh started, on one database.
        self.assertEqual(up.db_flags(), {name: up.dsn for name in started
                                         if name not in ("redis", "postgresql")},
                         printed)
        self.assertIn(f"psql '{up.dsn}'", printed)
        for port in up.scheduling_ports:
            self.assertIn(f"grpcurl -plaintext localhost:{port} list", printed)
            with grpc.insecure_channel(f"localhost:{port}") as channel:
                self.assertEqual(harness.health_status(channel), "SERVING")

        # Booked through replica 2, read through replica 3 (and 1).
        people, replicas = self.stubs(up)
        ada, bob = self.hire(people, 1), self.hire(people, 2)
        start = monday_utc(2) + DAY + 10 * HOUR
        booked = replicas[1].CreateMeeting(ss.CreateMeetingRequest(
            meeting_id="booked-on-replica-2",
            meeting=meeting(ada, bob, start=start, title="Across replicas")),
            timeout=RPC_TIMEOUT).meeting
        for replica in (replicas[2], replicas[0]):
            self.assertEqual(replica.GetMeeting(ss.GetMeetingRequest(name=booked.name),
                                                timeout=RPC_TIMEOUT), booked)
        listed = replicas[2].ListMeetings(ss.ListMeetingsRequest(
            filter=f'participant = "{ada}"'), timeout=RPC_TIMEOUT)
        self.assertEqual([m.name for m in listed.meetings], [booked.name])

        # Replica 3 knows of replica 2's booking when it checks conflicts.
        with self.assertRaises(grpc.RpcError) as refused:
            replicas[2].CreateMeeting(ss.CreateMeetingRequest(meeting=meeting(
                bob, ada, start=start + 30 * MINUTE)), timeout=RPC_TIMEOUT)
        error = harness.rich_error(refused.exception)
        self.assertEqual(error.code, grpc.StatusCode.FAILED_PRECONDITION, str(error))
        self.assertEqual(error.error_info.reason, "SCHEDULING_CONFLICT", str(error))

        # Each service keeps its tables in a schema of its own.
        pg = ["bash", str(postgres.PG_CLUSTER), "psql", up.pg_dir, "-Atc"]
        schemas = postgres._run(pg + [
            "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
            "AND nspname NOT IN ('information_schema', 'public')"], "psql").split()
        self.assertGreaterEqual(len(schemas), 3, schemas)

        up.process.send_signal(signal.SIGTERM)
        self.assert_all_stopped(up, started)

        # The next run finds the cluster and its data, and seeds nothing.
        up, started = self.start_up()
        self.assertIn("postgresql is up", up.printed())
        _, replicas = self.stubs(up)
        self.assertEqual(replicas[2].GetMeeting(ss.GetMeetingRequest(name=booked.name),
                                                timeout=RPC_TIMEOUT), booked)
        # Ctrl-C signals the terminal's foreground process group.
        os.killpg(up.process.pid, signal.SIGINT)
        self.assert_all_stopped(up, started)


if __name__ == "__main__":
    unittest.main()
