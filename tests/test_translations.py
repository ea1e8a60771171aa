"""The Vietnamese catalogue: every message the code and templates mark is in locale/vi, translated, with
the placeholders of its English; the committed .mo says what the .po says. Python alone, no GNU gettext."""

import ast
import re
from pathlib import Path

import django
import pytest
from django.conf import settings

from hustmusik import translations
from hustmusik.translations import Entry, Message, catalog_of, mo_bytes, read_mo, read_po, source_messages

VIETNAMESE_PO = settings.BASE_DIR / "locale" / "vi" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{[\w:]*\}")
LIBRARY_MESSAGES = settings.BASE_DIR / "hustmusik" / "library_messages.py"


def untranslated(messages: set[Message], entries: list[Entry]) -> list[str]:
    """The messages without a translation in `entries`: missing, empty or fuzzy."""
    by_message = {entry.message: entry for entry in entries}
    return sorted(
        repr(message.msgid) for message in messages if message not in by_message or not by_message[message].translated
    )


def describe(problems: list[str]) -> str:
    return (
        f"{len(problems)} message(s) of the code are not translated in {VIETNAMESE_PO.relative_to(settings.BASE_DIR)} "
        "(add them, translated, then run `python -m hustmusik.translations`):\n" + "\n".join(problems)
    )


def test_every_message_of_the_code_and_templates_is_translated_into_vietnamese():
    messages = source_messages()
    assert len(messages) > 300  # the extraction found the project's messages, not nothing
    assert Message("Song not found.") not in messages  # ...and only marked ones (models name themselves)
    problems = untranslated(messages, read_po(VIETNAMESE_PO))
    assert not problems, describe(problems)


def test_every_translation_keeps_the_placeholders_of_its_english():
    for entry in read_po(VIETNAMESE_PO):
        for english in filter(None, (entry.message.msgid, entry.message.plural)):
            for translation in entry.translations:
                assert sorted(PLACEHOLDER.findall(translation)) == sorted(PLACEHOLDER.findall(english)), (
                    english,
                    translation,
                )


def test_the_committed_mo_says_what_the_po_says():
    compiled = VIETNAMESE_PO.with_suffix(".mo")
    assert read_mo(compiled) == catalog_of(read_po(VIETNAMESE_PO)), (
        "locale/vi/LC_MESSAGES/django.mo is stale: run `python -m hustmusik.translations`"
    )


def test_the_checks_catch_a_missing_an_empty_and_a_fuzzy_translation(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Song"\nmsgstr "Bài hát"\n\n'
        'msgid "Artist"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Album"\nmsgstr "Album cũ"\n\n'
        'msgid "%(count)d song"\nmsgid_plural "%(count)d songs"\nmsgstr[0] "%(count)d bài hát"\n\n'
        'msgctxt "position in a list"\nmsgid "order"\nmsgstr ""\n"thứ tự"\n',
        encoding="utf-8",
    )
    entries = read_po(po)
    wanted = {
        Message("Song"),
        Message("Artist"),
        Message("Album"),
        Message("Playlist"),
        Message("%(count)d song", "%(count)d songs"),
        Message("order", context="position in a list"),
    }
    assert untranslated(wanted, entries) == ["'Album'", "'Artist'", "'Playlist'"]
    # Untranslated and fuzzy entries stay out of the compiled catalogue (English is shown instead).
    catalog = catalog_of(entries)
    assert catalog["Song"] == "Bài hát" and "Artist" not in catalog and "Album" not in catalog
    assert catalog["%(count)d song\x00%(count)d songs"] == "%(count)d bài hát"
    assert catalog["position in a list\x04order"] == "thứ tự"
    compiled = tmp_path / "django.mo"
    compiled.write_bytes(mo_bytes(catalog))
    assert read_mo(compiled) == catalog


def test_the_compiled_catalogue_is_what_gettext_reads(tmp_path):
    import gettext

    compiled = tmp_path / "django.mo"
    compiled.write_bytes(mo_bytes(catalog_of(read_po(VIETNAMESE_PO))))
    with compiled.open("rb") as handle:
        vietnamese = gettext.GNUTranslations(handle)
    assert vietnamese.gettext("This field is required.") == "Trường này là bắt buộc."
    assert vietnamese.ngettext("%(count)d unexpired refresh token", "%(count)d unexpired refresh tokens", 5) == (
        "%(count)d refresh token còn hạn"
    )
    assert vietnamese.pgettext("position in a list", "order") == "thứ tự"


def test_source_messages_reads_python_and_templates_as_makemessages_does():
    python = translations.python_messages(
        "from django.utils.translation import gettext as _, ngettext, pgettext_lazy\n"
        '_("Plain"); _(VARIABLE); ngettext("%(n)d song", "%(n)d songs", n); pgettext_lazy("ctx", "Word")\n'
        'print("not marked")\n'
    )
    assert python == {Message("Plain"), Message("%(n)d song", "%(n)d songs"), Message("Word", context="ctx")}
    template = translations.template_messages(
        '{% load i18n %}<p>{% translate "Hi, it\'s me" %}</p>'
        "{% blocktranslate trimmed count n=songs|length %}\n  {{ n }} song\n{% plural %}{{ n }} songs"
        "{% endblocktranslate %}{% translate 'Menu' context 'navigation' %}"
    )
    assert template == {
        Message("Hi, it's me"),
        Message("%(n)s song", "%(n)s songs"),
        Message("Menu", context="navigation"),
    }


def library_message_groups() -> dict[str, set[Message]]:
    """The messages of each group of hustmusik/library_messages.py (DRF = (...), ...)."""
    source = LIBRARY_MESSAGES.read_text(encoding="utf-8")
    return {
        node.targets[0].id: translations.python_messages(ast.get_source_segment(source, node))
        for node in ast.parse(source).body
        if isinstance(node, ast.Assign)
    }


@pytest.mark.parametrize(
    "group, packages",
    [
        ("DRF", ["rest_framework"]),
        ("SIMPLEJWT", ["rest_framework_simplejwt"]),
        ("ALLAUTH", ["allauth/account", "allauth/socialaccount"]),
        ("DJANGO", ["django/contrib/auth", "django/core", "django/forms"]),
    ],
)
def test_the_libraries_messages_translated_here_are_their_own_words(group, packages):
    """Messages of the libraries copied into library_messages.py: one not word for word would translate nothing."""
    site_packages = Path(django.__file__).parent.parent
    theirs = set()
    for package in packages:
        for path in (site_packages / package).rglob("*.py"):
            theirs |= translations.python_messages(path.read_text(encoding="utf-8"))
    ours = library_message_groups()[group]
    assert ours and ours <= theirs, sorted(message.msgid for message in ours - theirs)
