"""Every app's Arabic catalogue is complete, its compiled .mo matches the .po, and its numbers
read in order in a right-to-left line."""

import ast
import gettext
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "manpower"
CATALOGUES = sorted(SRC.glob("*/locale/ar/LC_MESSAGES/django.po"))


def entries(po: Path):
    """(context, msgid, msgstr, fuzzy) for each singular entry after the header."""
    for block in po.read_text(encoding="utf-8").split("\n\n")[1:]:
        fields, current = {}, None
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            if line.startswith('"'):
                fields[current] += ast.literal_eval(line)
                continue
            key, _, value = line.partition(" ")
            current = key
            fields[key] = ast.literal_eval(value) if value else ""
        if "msgid" in fields and "msgid_plural" not in fields:
            yield (
                fields.get("msgctxt"),
                fields["msgid"],
                fields.get("msgstr", ""),
                "#, fuzzy" in block,
            )


def test_there_are_catalogues():
    assert {po.parts[-5] for po in CATALOGUES} >= {"core", "accounts", "registry", "portal"}


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: po.parts[-5])
def test_catalogue_is_translated_and_compiled(po):
    with open(po.with_suffix(".mo"), "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    problems = []
    for context, msgid, msgstr, fuzzy in entries(po):
        if fuzzy or not msgstr:
            problems.append(f"untranslated: {msgid!r}")
        elif (compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)) != msgstr:
            problems.append(f"not compiled: {msgid!r}")
    assert problems == []


# A number range or a date written with hyphens after Arabic words is drawn backwards in a
# right-to-left line ("(0-9)" shows as "(9-0)", 2027-03-31 as 31-03-2027): the hyphen does not
# join numbers that follow Arabic letters. A left-to-right mark before it keeps it in order.
HYPHENATED_NUMBERS = re.compile(r"(?<![\u200e\w(-])\(?\d+(?:-\d+)+\)?")
ARABIC_WORD = re.compile("[\u0600-\u06ff]")


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: po.parts[-5])
def test_number_ranges_in_arabic_keep_their_order(po):
    backwards = []
    for _context, msgid, msgstr, _fuzzy in entries(po):
        for match in HYPHENATED_NUMBERS.finditer(msgstr):
            before = msgstr[: match.start()]
            latin_word_before = re.search(r"[A-Za-z][\w-]*\s*$", before)
            if ARABIC_WORD.search(before) and not latin_word_before:
                backwards.append(f"{msgid!r}: {match.group()}")
    assert backwards == []
