"""A throwaway PostgreSQL 15 cluster for end-to-end tests.

PostgresCluster makes a cluster in a new temporary directory with
scripts/pg_cluster.sh (Debian's postgresql-15, run as the `postgres` OS user
when the tests run as root), and runs the server itself as a child of the
test process, on a port from harness.free_port(), so that it dies with a test
run that is killed, as the service binaries do. The role `salesmeet` logs in
from 127.0.0.1 with no password (see scripts/pg_cluster.sh).

    with postgres.PostgresCluster() as pg:
        url = pg.create_database()      # a fresh database for one test
        ...start services with {"db": url}...
        pg.restart()                    # fast shutdown, then up again
        pg.sql("SELECT count(*) FROM scheduling.meetings")

Run by hand (not a registered test), a self-check of this module:
  PYTHONPATH=<build>/py:. /usr/bin/python3 postgres.py
"""

import itertools
import os
import pathlib
import shutil
import signal
import subprocess
import tempfile
import time

import harness

PG_CLUSTER = pathlib.Path(__file__).resolve().parents[2] / "scripts" / "pg_cluster.sh"
PG_BIN = "/usr/lib/postgresql/15/bin"
OS_USER = "postgres"
SUPERUSER = "postgres"
ROLE = "salesmeet"
DATABASE = "salesmeet"

# How long the server may take to accept connections, and to shut down.
READY_TIMEOUT = 60.0
STOP_TIMEOUT = 60.0

# How sql() shows NULL: psql prints it as this, and sql() returns None.
_NULL = "\x1aNULL\x1a"

_database_ids = itertools.count(1)


def available():
    """Whether Debian's postgresql-15 is installed."""
    return os.access(os.path.join(PG_BIN, "postgres"), os.X_OK)


def _run(args, what):
    result = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True,
                            text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{what} failed (exit {result.returncode}): "
                           f"{' '.join(map(str, args))}\n{result.stdout}{result.stderr}")
    return result.stdout


class PostgresCluster:
    """A PostgreSQL 15 cluster in a temporary directory, on a free port.

    start() (or entering it as a context manager) creates and starts it;
    close() (or leaving the context) stops it and removes its directory.
    Start it from a thread that lives as long as it should: the server is
    killed when that thread exits (setpriv --pdeathsig), unless
    die_with_thread is False.
    """

    def __init__(self, port=None, die_with_thread=True):
        self.port = port or harness.free_port()
        self.die_with_thread = die_with_thread
        self.root = None
        self.data_dir = None
        self.log_path = None
        self.process = None

    # -- lifecycle ---------------------------------------------------------

    def start(self):
        """Creates the cluster on first use, starts the server, waits until
        it accepts connections, and creates the salesmeet role and database.
        Returns self."""
        if self.running():
            return self
        if self.root is None:
            self.root = tempfile.mkdtemp(prefix="salesmeet-pg-")
            if os.geteuid() == 0:
                shutil.chown(self.root, OS_USER, OS_USER)
            self.data_dir = os.path.join(self.root, "data")
            self.log_path = os.path.join(self.root, "postgresql.log")
            _run(["bash", str(PG_CLUSTER), "init", self.data_dir, str(self.port)],
                 "pg_cluster.sh init")
        command = _run(["bash", str(PG_CLUSTER), "command", self.data_dir],
                       "pg_cluster.sh command").splitlines()
        if self.die_with_thread and command[0] == "setpriv":
            # Run as root, the command changes user with setpriv already,
            # which sets the death signal after the change (that clears it).
            command[1:1] = ["--pdeathsig", "KILL"]
        elif self.die_with_thread:
            command = harness._PDEATHSIG_PREFIX + command
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                close_fds=True)
        try:
            self._wait_ready()
            _run(["bash", str(PG_CLUSTER), "provision", self.data_dir],
                 "pg_cluster.sh provision")
        except BaseException:
            self.kill()
            raise
        return self

    def _wait_ready(self):
        deadline = time.monotonic() + READY_TIMEOUT
        while True:
            ready = subprocess.run(
                [os.path.join(PG_BIN, "pg_isready"), "-q", "-h", self.data_dir,
                 "-p", str(self.port), "-U", SUPERUSER, "-d", "postgres"],
                stdin=subprocess.DEVNULL, capture_output=True)
            if ready.returncode == 0:
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"PostgreSQL exited with {self.process.returncode} "
                                   f"during start-up\n{self.log_tail()}")
            if time.monotonic() >= deadline:
                raise RuntimeError(f"PostgreSQL did not accept connections within "
                                   f"{READY_TIMEOUT:.0f}s\n{self.log_tail()}")
            time.sleep(0.05)

    def running(self):
        return self.process is not None and self.process.poll() is None

    def _shut_down(self, sig):
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(
                f"PostgreSQL did not stop within {STOP_TIMEOUT:.0f}s of signal "
                f"{sig}; killed it\n{self.log_tail()}")

    def stop(self):
        """Fast shutdown (pg_ctl -m fast: SIGINT): clients are disconnected,
        open transactions roll back, a checkpoint is written. Returns the
        exit code."""
        return self._shut_down(signal.SIGINT)

    def kill(self):
        """Immediate shutdown (pg_ctl -m immediate: SIGQUIT), as after a
        crash: no checkpoint, recovery from the WAL at the next start.
        Returns the exit code."""
        return self._shut_down(signal.SIGQUIT)

    def restart(self, kill=False):
        """Stops (fast, or immediately with kill=True), then starts again on
        the same port with the same data. Returns self."""
        if kill:
            self.kill()
        else:
            self.stop()
        return self.start()

    def close(self):
        """Stops the server if it runs and removes its directory. Safe to
        call more than once."""
        try:
            if self.running():
                self.stop()
        finally:
            if self.process is not None and self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            if self.root is not None:
                shutil.rmtree(self.root, ignore_errors=True)
                self.root = None

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.close()
            raise

    def __exit__(self, *exc):
        self.close()

    # -- databases and queries -----------------------------------------------

    def url(self, database=DATABASE, user=ROLE):
        """The services' --db value for database."""
        return f"postgresql://{user}@127.0.0.1:{self.port}/{database}?sslmode=disable"

    @property
    def dsn(self):
        """The --db value of the salesmeet database."""
        return self.url()

    def create_database(self, name=None):
        """Creates a new, empty database owned by salesmeet (name: a fresh
        one by default) and returns its --db value."""
        name = name or f"test_{os.getpid()}_{next(_database_ids)}"
        self.sql(f"CREATE DATABASE {name} OWNER {ROLE}", database="postgres")
        return self.url(name)

    def sql(self, query, database=DATABASE, user=SUPERUSER):
        """Runs one SQL command through psql (on the socket, as the superuser
        unless user says otherwise) and returns its rows: a list of tuples
        of strings as psql prints the values, None for NULL. Raises
        RuntimeError when psql fails."""
        out = _run([os.path.join(PG_BIN, "psql"), "-X", "-q", "-A", "-t",
                    "-v", "ON_ERROR_STOP=1", "-P", f"null={_NULL}",
                    "--field-separator=\x1f", "--record-separator=\x1e",
                    "-h", self.data_dir, "-p", str(self.port), "-U", user,
                    "-d", database, "-c", query], "psql")
        if out.endswith("\n"):
            out = out[:-1]
        if not out:
            return []
        return [tuple(None if v == _NULL else v for v in record.split("\x1f"))
                for record in out.split("\x1e")]

    # -- logs ------------------------------------------------------------------

    def log_text(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", errors="replace")
        except (OSError, TypeError):
            return ""

    def log_tail(self, lines=40):
        text = self.log_text().splitlines()[-lines:]
        return (f"---- last {len(text)} lines of PostgreSQL's log "
                f"({self.log_path}) ----\n" + "\n".join(text) +
                "\n---- end of PostgreSQL's log ----")


def _self_check():
    """What `python3 postgres.py` checks by hand."""
    with PostgresCluster() as pg:
        print(f"up: {pg.dsn} in {pg.data_dir}")
        assert pg.sql("SELECT current_user") == [("postgres",)]
        assert pg.sql("SELECT 1, NULL, 'a|b'") == [("1", None, "a|b")]
        assert pg.sql("SELECT 'two\nlines' UNION ALL SELECT 'x'") == [("two\nlines",), ("x",)]
        assert pg.sql("SELECT 1 WHERE false") == []
        url = pg.create_database()
        name = url.split("/")[-1].split("?")[0]
        # The services' role: owner of its database, no superuser, over TCP.
        out = _run([os.path.join(PG_BIN, "psql"), "-X", "-Atc",
                    "CREATE SCHEMA scheduling; CREATE TABLE scheduling.t (v int); "
                    "INSERT INTO scheduling.t VALUES (7); "
                    "SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user",
                    url], "psql over TCP")
        assert out.splitlines()[-1] == "salesmeet|f", out
        pid = pg.process.pid
        pg.restart()
        assert pg.process.pid != pid
        assert pg.sql("SELECT v FROM scheduling.t", database=name) == [("7",)]
        pg.restart(kill=True)
        assert "database system was interrupted" in pg.log_text() or \
            "not properly shut down" in pg.log_text(), pg.log_tail()
        assert pg.sql("SELECT v FROM scheduling.t", database=name) == [("7",)]
        pg.stop()
        try:
            pg.sql("SELECT 1")
        except RuntimeError:
            pass
        else:
            raise AssertionError("psql worked with the server stopped")
        pg.start()
        assert pg.sql("SELECT v FROM scheduling.t", database=name) == [("7",)]
        root = pg.root
    assert not os.path.exists(root), root
    print("postgres.py self-check passed")


if __name__ == "__main__":
    _self_check()
