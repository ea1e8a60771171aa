"""The embedded PostgreSQL stops when its last holder is gone, however the holders were stopped.

Found by an attacker: `make run` stopped with SIGTERM left the server running for good, its dead
holder listed in `.handle_pids.json`. Each test runs real holder processes (what `manage.py` does:
`embedded_database_url`) on a data folder of its own.
"""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parent.parent
HOLDER = """
import sys, time
from pathlib import Path
from hustmusik.embedded import embedded_database_url
print(embedded_database_url(Path(sys.argv[1]), "holder"), flush=True)
if sys.argv[2] == "wait":
    time.sleep(600)
"""


@pytest.fixture(scope="module")
def base_dir(tmp_path_factory):
    base = tmp_path_factory.mktemp("embedded")
    yield base
    leftover = server_pid(base)
    if leftover:  # a failed test must not leave a server behind
        psutil.Process(leftover).terminate()


def pgdata(base: Path) -> Path:
    return base / ".local" / "pgdata"


def server_pid(base: Path) -> int | None:
    """The postmaster's pid, if one runs on this data folder."""
    try:
        pid = int((pgdata(base) / "postmaster.pid").read_text().split()[0])
    except (FileNotFoundError, ValueError, IndexError):
        return None
    return pid if psutil.pid_exists(pid) else None


def holder(base: Path, mode: str = "wait") -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(base), mode],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()
    assert line.startswith("postgres://"), process.stderr.read() if process.poll() is not None else line
    return process


def wait_until(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_sigterm_of_the_last_holder_stops_the_server(base_dir):
    process = holder(base_dir)
    assert server_pid(base_dir)
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)
    assert wait_until(lambda: server_pid(base_dir) is None), "the server outlived its only holder"


def test_a_holder_killed_with_sigkill_does_not_keep_the_server_running(base_dir):
    killed, survivor = holder(base_dir), holder(base_dir)
    killed.kill()
    killed.wait(timeout=30)
    server = server_pid(base_dir)
    assert server, "the survivor still needs the server"
    survivor.send_signal(signal.SIGTERM)
    survivor.wait(timeout=30)
    assert wait_until(lambda: server_pid(base_dir) is None), "the dead holder kept the server running"


def test_a_stale_handle_file_is_pruned_when_the_next_holder_starts(base_dir):
    holder(base_dir, mode="exit").wait(timeout=60)  # the data folder exists and the server is stopped
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (pgdata(base_dir) / ".handle_pids.json").write_text(json.dumps([dead.pid]))
    process = holder(base_dir, mode="exit")
    process.wait(timeout=60)
    assert process.returncode == 0, process.stderr.read()
    assert wait_until(lambda: server_pid(base_dir) is None), "the stale holder kept the server running"
    assert json.loads((pgdata(base_dir) / ".handle_pids.json").read_text()) == []


def test_other_holders_keep_the_server_while_they_live(base_dir):
    first, second = holder(base_dir), holder(base_dir)
    try:
        first.send_signal(signal.SIGTERM)
        first.wait(timeout=30)
        assert server_pid(base_dir), "stopped while a holder still used it"
        assert json.loads((pgdata(base_dir) / ".handle_pids.json").read_text()) == [second.pid]
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    assert wait_until(lambda: server_pid(base_dir) is None)
    assert os.path.exists(pgdata(base_dir) / "PG_VERSION")
