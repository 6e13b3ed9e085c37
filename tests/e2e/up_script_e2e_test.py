"""End-to-end test that scripts/up.sh stops what it started: Ctrl-C,
SIGINT or SIGTERM to it stops Redis and every service, also when a service
is too slow to drain and has to be killed.

up.sh runs as a reader runs it, but on free ports, with its data in a
temporary directory, and on the binaries the build already made
(SALESMEET_SKIP_BUILD=1).

Run from tests/e2e:
  PYTHONPATH=<build>/py:. SALESMEET_BIN_DIR=<build>/services \\
      /usr/bin/python3 -m unittest -v up_script_e2e_test
"""

import os
import pathlib
import signal
import subprocess
import tempfile
import unittest

import harness

UP_SCRIPT = pathlib.Path(__file__).resolve().parents[2] / "scripts" / "up.sh"
SERVICES = ("participant", "scheduling", "analytics")
# Generous bounds: up.sh builds nothing here, but seeds the demo.
START_TIMEOUT = 120
# A service that does not stop within this is killed (SALESMEET_STOP_TIMEOUT).
STOP_TIMEOUT_S = 3


def command_line(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def alive(pid):
    """Running, not a zombie waiting to be reaped."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


class UpScript:
    """One run of scripts/up.sh, in its own process group as a terminal
    would start it."""

    def __init__(self, workdir, extra_env=None, sigint_ignored=False):
        self.data_dir = os.path.join(workdir, "data")
        self.output_path = os.path.join(workdir, "up.log")
        ports = [harness.free_port() for _ in range(7)]
        self.redis_port = ports[0]
        self.grpc_ports = ports[1:4]
        bin_dir = pathlib.Path(harness.binary_path("participant")).parents[1]
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("SALESMEET_")}
        env.update({
            "SALESMEET_DATA_DIR": self.data_dir,
            "SALESMEET_BUILD_DIR": str(bin_dir.parent),
            "SALESMEET_SKIP_BUILD": "1",
            "SALESMEET_REDIS_PORT": str(self.redis_port),
            "SALESMEET_GRPC_PORTS": " ".join(map(str, self.grpc_ports)),
            "SALESMEET_METRICS_PORTS": " ".join(map(str, ports[4:])),
            "SALESMEET_STOP_TIMEOUT": str(STOP_TIMEOUT_S),
            # Read by the services: each spends a second draining.
            "SALESMEET_DRAIN_GRACE": "1s",
        })
        env.update(extra_env or {})
        self.output = open(self.output_path, "w")
        self.process = subprocess.Popen(
            ["bash", str(UP_SCRIPT)], stdin=subprocess.DEVNULL,
            stdout=self.output, stderr=subprocess.STDOUT, env=env,
            start_new_session=True,
            # As `scripts/up.sh &` from another script starts it.
            preexec_fn=(lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
            if sigint_ignored else None)

    def printed(self):
        with open(self.output_path) as f:
            return f.read()

    def wait_running(self):
        harness.wait_for(
            lambda: "Ctrl-C stops everything" in self.printed()
            or self.process.poll() is not None,
            START_TIMEOUT, interval=0.2, what="up.sh to be running")
        if self.process.poll() is not None:
            raise AssertionError(f"up.sh exited {self.process.returncode}:\n"
                                 f"{self.printed()}")

    def started(self):
        """{name: pid} of the services and Redis this run started."""
        found = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            line = command_line(entry)
            for service in SERVICES:
                if (f"/{service}/{service} " in line
                        and f"--db=sqlite://{self.data_dir}/" in line):
                    found[service] = int(entry)
            # Redis names itself after its address.
            if f"redis-server 127.0.0.1:{self.redis_port}" in line:
                found["redis"] = int(entry)
        return found

    def wait_exit(self, timeout):
        try:
            return self.process.wait(timeout=timeout)
        finally:
            self.output.close()

    def kill_everything(self):
        """Cleanup after a failed test: nothing is left behind."""
        for pid in self.started().values():
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.output.close()


class UpScriptStopsEverythingTest(unittest.TestCase):

    def start_up(self, sigint_ignored=False, **extra_env):
        workdir = tempfile.TemporaryDirectory(prefix="salesmeet-up-")
        self.addCleanup(workdir.cleanup)
        up = UpScript(workdir.name, extra_env, sigint_ignored)
        self.addCleanup(up.kill_everything)
        up.wait_running()
        started = up.started()
        self.assertEqual(set(started), set(SERVICES) | {"redis"},
                         f"up.sh started {started}:\n{up.printed()}")
        return up, started

    def assert_all_stopped(self, up, started, exit_code):
        # Every service drains for a second, at the same time; one that is
        # killed takes STOP_TIMEOUT_S. Far less than this either way.
        self.assertEqual(up.wait_exit(timeout=60), exit_code, up.printed())
        still = {name: pid for name, pid in started.items() if alive(pid)}
        self.assertFalse(still, f"still running after up.sh exited: {still}"
                                f"\n{up.printed()}")
        for name in started:
            self.assertIn(f"stopped {name}", up.printed())

    def test_sigterm_stops_every_service_and_redis(self):
        up, started = self.start_up()
        up.process.send_signal(signal.SIGTERM)
        self.assert_all_stopped(up, started, 0)

    def test_ctrl_c_stops_every_service_and_redis(self):
        up, started = self.start_up()
        # Ctrl-C signals the terminal's foreground process group.
        os.killpg(up.process.pid, signal.SIGINT)
        self.assert_all_stopped(up, started, 0)

    def test_sigint_stops_it_even_when_started_with_sigint_ignored(self):
        # A shell's background job starts with SIGINT ignored, which bash
        # cannot trap; up.sh restarts itself with the default handling.
        up, started = self.start_up(sigint_ignored=True)
        up.process.send_signal(signal.SIGINT)
        self.assert_all_stopped(up, started, 0)

    def test_a_service_stuck_in_its_drain_is_killed_after_the_stop_timeout(self):
        up, started = self.start_up()
        # A stopped process cannot handle SIGTERM: it never drains.
        os.kill(started["analytics"], signal.SIGSTOP)
        up.process.send_signal(signal.SIGINT)
        self.assert_all_stopped(up, started, 0)
        self.assertIn("analytics did not stop within", up.printed())

    def test_the_printed_examples_name_the_ports_in_use(self):
        up, started = self.start_up()
        printed = up.printed()
        for port in up.grpc_ports:
            self.assertIn(f"localhost:{port} ", printed)
        self.assertNotIn("localhost:50051", printed)
        up.process.send_signal(signal.SIGTERM)
        self.assert_all_stopped(up, started, 0)


if __name__ == "__main__":
    unittest.main()
