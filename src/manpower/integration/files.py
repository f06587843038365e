"""The CSV files exchanged with agencies: their columns, and the line-by-line check of imports.

Pure functions (no database): the services decide what to export and apply what passed.
Files are UTF-8 CSV with a header line, comma-separated, dates ISO 8601, times ISO 8601 in UTC.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from manpower.core.errors import DomainError
from manpower.core.identifiers import normalise_cr_number, validate_cr_number
from manpower.core.middleware import UNSTORABLE
from manpower.core.problems import INVALID_CHARACTERS, InvalidCharacters

from .models import FileExchange, Scope

Kind = FileExchange.Kind

EXPORT_COLUMNS: dict[str, list[str]] = {
    Kind.EVENTS: ["id", "created_at", "type", "subject", "payload"],
    Kind.ESTABLISHMENTS: [
        "cr_number", "name_ar", "name_en", "status", "legal_form", "size", "activity_code",
        "governorate_code", "wilayat_code", "chamber_number", "chamber_expiry_date",
        "registered_at",
    ],
}  # fmt: skip
IMPORT_COLUMNS: dict[str, list[str]] = {
    Kind.CHAMBER_RENEWALS: ["cr_number", "chamber_number", "chamber_expiry_date"],
}
# The scopes that open a kind of file (one of them is enough). Events need none: an agency gets
# the events of the subscriptions the ministry registered for it.
KIND_SCOPES: dict[str, set[str]] = {
    Kind.EVENTS: set(),
    Kind.ESTABLISHMENTS: {Scope.REGISTRY},
    Kind.CHAMBER_RENEWALS: {Scope.CHAMBER},
    Kind.WPS_ARCHIVE: {Scope.WPS},
}
# Imports too large to check here, handed as they stream in to the app that takes them: the
# dotted path of its `(*, actor, name, chunks, now) -> StreamedImport` (named, not imported,
# as those apps build on this one).
STREAMED_IMPORTS: dict[str, str] = {
    Kind.WPS_ARCHIVE: "manpower.wages.exchange.archive_import",
}
# Where a streamed import's bytes are read back to download it (its exchange row keeps none):
# the dotted path of the app's `(*, sha256) -> binary file`, and the download's content type.
STREAMED_CONTENT: dict[str, tuple[str, str]] = {
    Kind.WPS_ARCHIVE: ("manpower.wages.exchange.archive_content", "application/zip"),
}
MAX_IMPORT_LINES = 50_000


@dataclass(frozen=True)
class StreamedImport:
    """What the app that took a streamed import says of it: the content's SHA-256, its size,
    whether it is new to the app, and the path where its progress is seen."""

    sha256: str
    size: int
    new: bool
    status_path: str


CHAMBER_NUMBER_MAX_LENGTH = 12


class FileInvalid(DomainError):
    """The file as a whole cannot be read (not UTF-8 CSV, wrong header, too long)."""

    code = "file_invalid"
    status = 422


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return str(value)


def write_csv(kind: str, rows: Iterable[dict]) -> tuple[bytes, int]:
    """The CSV bytes of an export of `kind`, and its number of data lines."""
    columns = EXPORT_COLUMNS[kind]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow([_csv_value(row[c]) for c in columns])
        count += 1
    return out.getvalue().encode(), count


def _problem(line: int, field: str, code: str, message, params: dict | None = None) -> dict:
    """One rejected field of one line, its message in both languages."""
    texts = {}
    for language in ("ar", "en"):
        with translation.override(language):
            texts[language] = str(message) % params if params else str(message)
    return {
        "line": line,
        "field": field,
        "code": code,
        "message_ar": texts["ar"],
        "message_en": texts["en"],
    }


def _read_lines(kind: str, content: bytes) -> list[tuple[int, dict | None]]:
    """(line number, {column: value}) of each data line, None for a line with a value longer
    than the csv module reads (csv.field_size_limit()); FileInvalid when unreadable, and
    InvalidCharacters (as for any request) when it holds what the database cannot store."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileInvalid(_("The file is not UTF-8 text.")) from exc
    if UNSTORABLE.search(text):
        raise InvalidCharacters(INVALID_CHARACTERS)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    expected = IMPORT_COLUMNS[kind]
    if header != expected:
        raise FileInvalid(
            _("The first line must be the header: %(columns)s."), columns=",".join(expected)
        )
    lines = []
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error:  # a value over the field size limit; the reader goes on after it
            lines.append((reader.line_num, None))
            continue
        if not any(v.strip() for v in values):
            continue  # blank lines are not data
        if len(lines) >= MAX_IMPORT_LINES:
            raise FileInvalid(
                _("A file may have at most %(max)s lines of data."), max=MAX_IMPORT_LINES
            )
        lines.append((reader.line_num, values))
    return [
        (number, values and dict(zip(expected, values, strict=False)) | {"_count": len(values)})
        for number, values in lines
    ]


def check_chamber_renewals(
    content: bytes, *, existing: Callable[[set[str]], set[str]], today: dt.date
) -> tuple[list[dict], list[dict], int]:
    """Check each line of a chamber renewals file: (valid lines, rejected fields, data lines).

    A valid line is `{"line", "cr_number", "chamber_number", "chamber_expiry_date"}` with the
    values normalised. `existing(crs)` answers which of the file's CR numbers the registry has
    (asked once for the whole file).
    """
    lines = _read_lines(Kind.CHAMBER_RENEWALS, content)
    known_crs = existing({normalise_cr_number(v.get("cr_number", "")) for _n, v in lines if v})
    valid, rejected, seen = [], [], {}
    for number, values in lines:
        if values is None:
            rejected.append(
                _problem(
                    number,
                    "line",
                    "value_too_long",
                    _("A value may have at most %(max)s characters."),
                    {"max": csv.field_size_limit()},
                )
            )
            continue
        problems = []
        if values.pop("_count") != 3:
            problems.append(
                _problem(number, "line", "column_count", _("A line has exactly 3 values."))
            )
            rejected.extend(problems)
            continue
        cr = normalise_cr_number(values["cr_number"])
        try:
            validate_cr_number(cr)
        except ValidationError as exc:
            problems.append(_problem(number, "cr_number", exc.code, exc.message, exc.params))
        else:
            if cr in seen:
                problems.append(
                    _problem(
                        number,
                        "cr_number",
                        "duplicate_line",
                        _("This commercial registration is already on line %(line)s."),
                        {"line": seen[cr]},
                    )
                )
            elif cr not in known_crs:
                problems.append(
                    _problem(
                        number,
                        "cr_number",
                        "establishment_not_found",
                        _("No establishment with commercial registration %(cr)s."),
                        {"cr": cr},
                    )
                )
        chamber = values["chamber_number"].strip()
        if (
            not chamber.isascii()
            or not chamber.isdigit()
            or len(chamber) > CHAMBER_NUMBER_MAX_LENGTH
        ):
            problems.append(
                _problem(
                    number,
                    "chamber_number",
                    "chamber_number_invalid",
                    _("A chamber membership number has 1 to %(max)s digits (0-9)."),
                    {"max": CHAMBER_NUMBER_MAX_LENGTH},
                )
            )
        try:
            expiry = dt.date.fromisoformat(values["chamber_expiry_date"].strip())
        except ValueError:
            problems.append(
                _problem(
                    number,
                    "chamber_expiry_date",
                    "date_invalid",
                    _("Write the date as YYYY-MM-DD, e.g. 2027-03-31."),
                )
            )
        else:
            if expiry <= today:
                problems.append(
                    _problem(
                        number,
                        "chamber_expiry_date",
                        "expiry_not_in_future",
                        _("A renewed membership expires after today (%(today)s)."),
                        {"today": today.isoformat()},
                    )
                )
        if problems:
            rejected.extend(problems)
            continue
        seen[cr] = number
        valid.append(
            {
                "line": number,
                "cr_number": cr,
                "chamber_number": chamber,
                "chamber_expiry_date": expiry,
            }
        )
    return valid, rejected, len(lines)
