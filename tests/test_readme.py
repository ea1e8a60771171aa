"""The README is the one list of configuration: every variable the code reads is named there; it and
docs/ stand alone: every file they name is in the repository."""

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
    "LOAD_MAIL",
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


# --- the README and docs/ stand alone ---------------------------------------------------------

DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
LINK = re.compile(r"\]\(([^)\s]+)\)")
CODE_SPAN = re.compile(r"`([^`\n]+)`")
PATH_LIKE = re.compile(r"[\w./~*-]+")
URL_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:")
# Made by the tools on this machine, never in a clone.
GENERATED = {".venv", ".local", "staticfiles", "artifacts", ".git"}
# Absolute paths that are files on some machine, not paths of the server's URLs (`/v1/song`).
FILESYSTEM_ROOTS = ("/work/", "/home/", "/root/", "/tmp/", "/Users/", "/mnt/", "/opt/", "/srv/", "/var/", "/etc/")


def named_paths(text: str) -> list[tuple[str, bool]]:
    """(path, is_link) for every link target and every code span that looks like a path."""
    links = [target.split("#")[0] for target in LINK.findall(text) if not URL_SCHEME.match(target)]
    spans = [span for span in CODE_SPAN.findall(text) if PATH_LIKE.fullmatch(span) and ("/" in span or "." in span)]
    return [(link, True) for link in links if link] + [(span, False) for span in spans]


def problem_with(document: Path, path: str, is_link: bool) -> str | None:
    if path.startswith(("~", *FILESYSTEM_ROOTS)):
        return "outside the repository"
    if path.startswith("/"):
        return None  # a path of the server's URLs
    target = (document.parent if is_link else ROOT).joinpath(path).resolve()
    if ROOT not in (target, *target.parents):
        return "outside the repository"
    first = path.split("/")[0]
    names_a_file = is_link or (first not in GENERATED and (ROOT / first).exists())
    if not names_a_file or "<" in path:  # a word with a dot, a module's name, a pattern (`songs/<id>/upload`)
        return None
    found = any(ROOT.glob(path)) if "*" in path else target.exists()
    return None if found else "not in the repository"


def test_the_readme_and_docs_name_only_files_in_the_repository():
    assert (ROOT / "docs" / "api.md") in DOCUMENTS
    problems = [
        f"{document.relative_to(ROOT)}: `{path}` is {problem}"
        for document in DOCUMENTS
        for path, is_link in named_paths(document.read_text())
        if (problem := problem_with(document, path, is_link))
    ]
    assert not problems, problems


def test_the_check_sees_paths_outside_the_repository_and_missing_files():
    readme = ROOT / "README.md"
    assert problem_with(readme, "../shared/api-contract.md", False) == "outside the repository"
    assert problem_with(readme, "/work/shared/api-contract.md", False) == "outside the repository"
    assert problem_with(readme, "docs/nope.md", True) == "not in the repository"
    assert problem_with(readme, "bench/nope.py", False) == "not in the repository"
    assert problem_with(readme, "docs/api.md", True) is None and problem_with(readme, "/v1/song", False) is None


def test_the_readme_points_to_the_api_reference():
    readme = (ROOT / "README.md").read_text()
    assert "](docs/api.md)" in readme and "/v1/docs/" in readme and "/v1/redoc/" in readme
