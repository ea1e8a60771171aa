"""`make run`: the development server and one job worker beside it.

Ctrl-C or SIGTERM stops both: each gets one SIGTERM (the worker finishes its running job first,
up to JOB_WORKER_SHUTDOWN_SECONDS). The children run in a session of their own, so the
terminal's Ctrl-C reaches them only through here, once. If either stops, so does the other, and
so do both when `make` is gone (make exits on SIGTERM without passing it on).
"""

import os
import signal
import subprocess
import sys
import time


def main(address: str) -> int:
    def start(*args: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "manage.py", *args], start_new_session=True)

    parent = os.getppid()
    children = [start("worker"), start("runserver", address)]
    stopping = False

    def stop(*_):
        nonlocal stopping
        if not stopping:
            stopping = True
            for child in children:
                if child.poll() is None:
                    child.terminate()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while all(child.poll() is None for child in children) and os.getppid() == parent:
        time.sleep(0.2)
    stop()
    for child in children:
        child.wait()
    print("Stopped the server and the worker.", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "127.0.0.1:8000"))
