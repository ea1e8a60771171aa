from tests.hostile import probes


def pytest_terminal_summary(terminalreporter):
    if probes.REQUESTS_SENT["count"]:
        terminalreporter.write_line(f"hostile-input suite: {probes.REQUESTS_SENT['count']} requests sent")
