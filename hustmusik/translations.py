"""The translation catalogues in locale/, with Python alone (no GNU gettext needed).

`python -m hustmusik.translations` compiles every locale/<language>/LC_MESSAGES/django.po into
its django.mo (committed, so a fresh clone is translated without any tool); tests/test_translations.py
checks that each .po holds every message the code and the templates mark, translated, and that
each .mo says what its .po says. `manage.py makemessages -l vi` (which does need GNU gettext)
adds new messages to a .po; so can a text editor.
"""

from __future__ import annotations

import ast
import os
import re
import struct
import sys
from array import array
from dataclasses import dataclass, field
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
LOCALE_DIR = BASE_DIR / "locale"
# Where the project's own messages live: every app, not the tests, benches or migrations.
SKIPPED_DIRS = {".venv", ".local", ".git", "tests", "bench", "migrations", "staticfiles", "locale", "artifacts"}


@dataclass(frozen=True)
class Message:
    """A translatable message: its id, plural id and context, as gettext keys them."""

    msgid: str
    plural: str | None = None
    context: str | None = None


@dataclass
class Entry:
    message: Message
    translations: list[str] = field(default_factory=list)  # msgstr, or msgstr[0], msgstr[1], ...
    flags: set[str] = field(default_factory=set)

    @property
    def translated(self) -> bool:
        return bool(self.translations) and all(self.translations) and "fuzzy" not in self.flags


# --- what the code marks for translation ------------------------------------------------------

# The argument positions of each gettext function, as `makemessages` gives them to xgettext.
GETTEXT_FUNCTIONS = {
    "_": ("msgid",),
    "gettext": ("msgid",),
    "gettext_lazy": ("msgid",),
    "gettext_noop": ("msgid",),
    "ngettext": ("msgid", "plural"),
    "ngettext_lazy": ("msgid", "plural"),
    "pgettext": ("context", "msgid"),
    "pgettext_lazy": ("context", "msgid"),
    "npgettext": ("context", "msgid", "plural"),
    "npgettext_lazy": ("context", "msgid", "plural"),
}


def _message_of_call(name: str, args: list) -> Message | None:
    roles = GETTEXT_FUNCTIONS.get(name)
    if roles is None or len(args) < len(roles) or not all(isinstance(arg, str) for arg in args[: len(roles)]):
        return None  # not a gettext call, or one of a variable (marked where its text is)
    return Message(**dict(zip(roles, args, strict=False)))


def python_messages(source: str) -> set[Message]:
    """The messages of gettext calls with literal arguments in Python source."""
    messages = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        name = function.id if isinstance(function, ast.Name) else getattr(function, "attr", None)
        args = [arg.value if isinstance(arg, ast.Constant) else None for arg in node.args]
        if name and (message := _message_of_call(name, args)):
            messages.add(message)
    return messages


_STRING = r"""u?(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
_TEMPLATE_CALL = re.compile(rf"\b(?P<name>n?p?gettext)\((?P<args>\s*{_STRING}(?:\s*,\s*{_STRING})*)")


def template_messages(source: str, origin: str = "") -> set[Message]:
    """The messages of {% translate %} and {% blocktranslate %} in a template, as makemessages reads them."""
    from django.utils.translation.template import templatize

    messages = set()
    for call in _TEMPLATE_CALL.finditer(templatize(source, origin=origin)):
        args = [ast.literal_eval(literal) for literal in re.findall(_STRING, call["args"])]
        if message := _message_of_call(call["name"], args):
            messages.add(message)
    return messages


def source_messages(base_dir: Path = BASE_DIR) -> set[Message]:
    """Every message the project marks: its Python code and its templates."""
    messages = set()
    for folder, subfolders, files in os.walk(base_dir):
        subfolders[:] = [name for name in subfolders if name not in SKIPPED_DIRS]
        for name in files:
            path = Path(folder, name)
            if path.suffix == ".py":
                messages |= python_messages(path.read_text(encoding="utf-8"))
            elif path.suffix in {".html", ".txt"} and "templates" in path.relative_to(base_dir).parts:
                messages |= template_messages(path.read_text(encoding="utf-8"), str(path))
    return messages


# --- .po files -----------------------------------------------------------------------------------

_PO_LINE = re.compile(r'^(?P<keyword>msgctxt|msgid_plural|msgid|msgstr(?:\[(?P<index>\d+)\])?)\s+(?P<text>".*")$')


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file (obsolete `#~` ones left out); the header is the entry of msgid ""."""
    entries: list[Entry] = []
    fields: dict[str, str] = {}
    flags: set[str] = set()
    current = None

    def finish():
        nonlocal fields, flags, current
        if "msgid" in fields:
            plural_keys = sorted((key for key in fields if key.startswith("msgstr[")), key=lambda k: int(k[7:-1]))
            translations = [fields[key] for key in plural_keys] if plural_keys else [fields.get("msgstr", "")]
            message = Message(fields["msgid"], fields.get("msgid_plural"), fields.get("msgctxt"))
            entries.append(Entry(message, translations, flags))
        fields, flags, current = {}, set(), None

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            finish()
        elif line.startswith("#,"):
            if "msgid" in fields:
                finish()
            flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            if "msgid" in fields and not line.startswith("#~"):
                finish()
        elif line.startswith('"'):
            fields[current] += ast.literal_eval(line)
        else:
            match = _PO_LINE.match(line)
            if match is None:
                raise ValueError(f"{path}: cannot read {line!r}")
            if match["keyword"] in ("msgctxt", "msgid") and "msgid" in fields and current.startswith("msgstr"):
                finish()
            current = match["keyword"]
            fields[current] = ast.literal_eval(match["text"])
    finish()
    return entries


# --- .mo files -----------------------------------------------------------------------------------


def catalog_of(entries: list[Entry]) -> dict[str, str]:
    """What a compiled catalogue holds: gettext's keys to their translations (untranslated and fuzzy
    entries left out, as msgfmt leaves them, so that they fall back to English)."""
    catalog = {}
    for entry in entries:
        header = entry.message.msgid == ""
        if not (entry.translated or (header and entry.translations[0])):
            continue
        message = entry.message
        key = message.msgid if message.context is None else f"{message.context}\x04{message.msgid}"
        if message.plural is not None:
            key = f"{key}\x00{message.plural}"
        catalog[key] = "\x00".join(entry.translations)
    return catalog


def mo_bytes(catalog: dict[str, str]) -> bytes:
    """The GNU .mo file of a catalogue (the format of CPython's Tools/i18n/msgfmt.py, no hash table)."""
    keys = sorted(catalog)
    ids = strings = b""
    offsets = []
    for key in keys:
        encoded_key, encoded_value = key.encode(), catalog[key].encode()
        offsets.append((len(ids), len(encoded_key), len(strings), len(encoded_value)))
        ids += encoded_key + b"\0"
        strings += encoded_value + b"\0"
    header_size = 7 * 4
    keys_start = header_size + 16 * len(keys)
    values_start = keys_start + len(ids)
    key_table, value_table = [], []
    for key_offset, key_length, value_offset, value_length in offsets:
        key_table += [key_length, key_offset + keys_start]
        value_table += [value_length, value_offset + values_start]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), header_size, header_size + 8 * len(keys), 0, 0)
    return header + array("i", key_table + value_table).tobytes() + ids + strings


def read_mo(path: Path) -> dict[str, str]:
    """The catalogue a .mo file holds, keyed as `catalog_of` keys it (whichever tool compiled it)."""
    data = path.read_bytes()
    order = "<" if struct.unpack("<I", data[:4])[0] == 0x950412DE else ">"
    _revision, count, keys_at, values_at = struct.unpack(f"{order}4I", data[4:20])
    catalog = {}
    for index in range(count):
        key_length, key_offset = struct.unpack_from(f"{order}2I", data, keys_at + 8 * index)
        value_length, value_offset = struct.unpack_from(f"{order}2I", data, values_at + 8 * index)
        key = data[key_offset : key_offset + key_length].decode()
        catalog[key] = data[value_offset : value_offset + value_length].decode()
    return catalog


def compile_catalogues(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Write the .mo of every .po under `locale_dir`; the paths written."""
    written = []
    for po in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        mo.write_bytes(mo_bytes(catalog_of(read_po(po))))
        written.append(mo)
    return written


if __name__ == "__main__":
    for path in compile_catalogues():
        print(f"Compiled {path.relative_to(BASE_DIR)}", file=sys.stderr)
