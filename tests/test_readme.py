"""The README is the one list of configuration: every variable the code reads is named there."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READS = re.compile(
    r"""(?:env\.(?:str|int|bool|list|float|path|email_url|db_url)|os\.environ\.get|os\.getenv)\(\s*["']([A-Z][A-Z0-9_]+)["']"""
    r"""|os\.environ\[["']([A-Z][A-Z0-9_]+)["']\]"""
)
# Read by the benchmarks from what they themselves hand their load generator; and Django's own.
NOT_CONFIGURATION = {
    "DJANGO_SETTINGS_MODULE",
    "LOAD_ACCOUNTS",
    "LOAD_JOURNAL",
    "LOAD_PASSWORD",
    "LOAD_SONGS",
    "LOAD_TERMS",
}


def variables_the_code_reads() -> set[str]:
    found = set()
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).parts
        if relative[0] in {".venv", "tests", ".local", "staticfiles"}:
            continue
        for match in READS.finditer(path.read_text()):
            found.add(match.group(1) or match.group(2))
    return found - NOT_CONFIGURATION


def test_every_variable_the_code_reads_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    read = variables_the_code_reads()
    assert {"SECRET_KEY", "DATABASE_URL", "NUM_PROXIES", "AUDIO_MAX_SECONDS"} <= read  # the scan sees the settings
    missing = sorted(name for name in read if f"`{name}`" not in readme)
    assert not missing, f"read by the code but not in README.md: {missing}"
