"""Progress of long commands: a live bar on a terminal, a few whole lines in a log.

tqdm redraws its bar with carriage returns many times a second; written to a file or a CI log
that is thousands of lines (or one endless one). Off a terminal, `progress_bar` reports in
whole lines instead: one when it starts, one every `LOG_EVERY_PERCENT` percent, one per new
stage (`set_description`) and one when it is done.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from tqdm import tqdm

LOG_EVERY_PERCENT = 10


class LineProgress:
    """The part of tqdm's interface the commands use (`update`, `set_description`, a context),
    reporting in whole lines."""

    def __init__(self, *, total: int, desc: str, unit: str, file: TextIO, every_percent: int = LOG_EVERY_PERCENT):
        self.total, self.desc, self.unit, self.file = total, desc, unit, file
        self.every_percent = every_percent
        self.n = 0
        self._next_percent = every_percent
        self._started = time.monotonic()
        self._write(f"{desc}: {total:,} {unit}s")

    def update(self, n: int = 1) -> None:
        self.n += n
        percent = self.n * 100 // self.total if self.total else 100
        if percent >= self._next_percent:
            self._write(f"{self.desc}: {percent}% ({self.n:,}/{self.total:,} {self.unit}s)")
            self._next_percent = (percent // self.every_percent + 1) * self.every_percent

    def set_description(self, desc: str) -> None:
        self.desc = desc
        self._write(f"{desc}...")

    def close(self) -> None:
        self._write(f"{self.desc}: done, {self.n:,} {self.unit}s in {time.monotonic() - self._started:.0f}s")

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *exc):
        if exc_type is None:
            self.close()
        return False

    def _write(self, line: str) -> None:
        self.file.write(line + "\n")
        self.file.flush()


def progress_bar(*, total: int, desc: str, unit: str, file: TextIO | None = None) -> tqdm | LineProgress:
    """tqdm on a terminal, `LineProgress` anywhere else (a pipe, a file, a captured stream)."""
    file = file or sys.stderr
    if file.isatty():
        return tqdm(total=total, desc=desc, unit=unit, file=file)
    return LineProgress(total=total, desc=desc, unit=unit, file=file)
