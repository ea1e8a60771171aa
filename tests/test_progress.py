"""Progress of long commands: a line every tenth of the way in a log, tqdm's live bar on a terminal."""

import io

from tqdm import tqdm

from hustmusik.progress import LineProgress, progress_bar


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_off_a_terminal_progress_is_a_line_every_ten_percent():
    log = io.StringIO()
    with progress_bar(total=1000, desc="Loading", unit="row", file=log) as progress:
        for _ in range(1000):
            progress.update()
    lines = log.getvalue().splitlines()
    assert lines[0] == "Loading: 1,000 rows"
    assert lines[1:11] == [f"Loading: {percent}% ({percent * 10:,}/1,000 rows)" for percent in range(10, 101, 10)]
    assert lines[11].startswith("Loading: done, 1,000 rows in ") and len(lines) == 12


def test_on_a_terminal_progress_is_tqdms_bar():
    screen = Terminal()
    with progress_bar(total=10, desc="Loading", unit="row", file=screen) as progress:
        assert isinstance(progress, tqdm) and not isinstance(progress, LineProgress)
        progress.update(10)
    assert "\r" in screen.getvalue()
