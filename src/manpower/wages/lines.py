"""The employee-line rules of salary files, judged column-wise over many files at once.

The rows of every file in a batch go into one polars DataFrame (file, line number, the row as
read); each rule of DOMAIN-RULES.md is a vectorised expression over its columns, so a national
batch of two million lines costs a few passes of compiled code, not two million Python calls.
What comes out is the lines ready to store, the findings with their messages already worded in
both languages, and each file's totals for the header's Total Salaries and Number Of Records.
Only the rare IDs that fail the quick format test go through core's validators one by one, for
the validator's own words.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import polars as pl
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from manpower.core import conf
from manpower.core.identifiers import validate_civil_number, validate_passport_number

from .sif import LINE_FIELDS, MONEY_FIELDS, is_label_row

# Rows that the csv module must read (quoted cells, bare carriage returns) are joined with this
# separator, which a plain row does not hold, so that polars splits them like the others.
UNIT = "\x1f"
_NEEDS_CSV = re.compile(r'["\x1f]|\r(?!\n)')
_MONEY = r"^([0-9]{1,12})(?:\.([0-9]{1,3}))?$"
_HOURS = r"^([0-9]{1,6})(?:\.([0-9]{1,2}))?$"
_BIC = r"^[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$"
_LETTERS = [chr(code) for code in range(65, 91)]
_LETTER_DIGITS = [str(code - 55) for code in range(65, 91)]  # A=10 … Z=35 (ISO 13616)

ROWS_SCHEMA = {"file_id": pl.Int64, "line_number": pl.Int64, "raw": pl.String, "csv": pl.Boolean}


@dataclass
class ReadFile:
    """One file's employer row (line number, cells) and its other rows, unjudged: their line
    numbers and raw text (cells joined by UNIT when the csv module read them)."""

    header: tuple[int, list[str]] | None
    numbers: Sequence[int] = ()
    raws: list[str] = field(default_factory=list)
    csv: bool = False
    unreadable: bool = False


def read_text(text: str) -> ReadFile:
    """Split a file into its employer row and the rest; the rest stay raw text for polars,
    except in the rare file with quotes, which the csv module reads."""
    if _NEEDS_CSV.search(text):
        return _read_with_csv(text)
    physical = text.split("\n")
    for index, raw in enumerate(physical):
        cells = raw.rstrip("\r").split(",")
        if any(cell.strip() for cell in cells) and not is_label_row(cells):
            rest = physical[index + 1 :]
            return ReadFile((index + 1, cells), range(index + 2, index + 2 + len(rest)), rest)
    return ReadFile(None)


def _read_with_csv(text: str) -> ReadFile:
    reader = csv.reader(io.StringIO(text, newline=""))
    read = ReadFile(None, [], [], csv=True)
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells) or is_label_row(cells):
                continue
            if read.header is None:
                read.header = (reader.line_num, cells)
            else:
                read.numbers.append(reader.line_num)
                read.raws.append(UNIT.join(cells))
    except csv.Error:
        read.unreadable = True
    return read


def rows_frame(reads: list[tuple[int, ReadFile]]) -> pl.DataFrame:
    """The rows of many files in one frame (ROWS_SCHEMA), built from plain lists at once."""
    file_ids, numbers, raws, quoted = [], [], [], []
    for file_id, read in reads:
        file_ids += [file_id] * len(read.raws)
        numbers += read.numbers
        raws += read.raws
        quoted += [read.csv] * len(read.raws)
    return pl.DataFrame(
        {"file_id": file_ids, "line_number": numbers, "raw": raws, "csv": quoted},
        schema=ROWS_SCHEMA,
    )


# Each line rule: its code, the SIF field it is about and its message. The order is the order
# in which a line's findings are reported.
RULES: dict[str, tuple[str, object]] = {
    "line_fields": (
        "line",
        _("The line has %(count)d fields; it should have %(expected)d."),
    ),
    "id_type_invalid": (
        "Employee ID Type",
        _("The ID type is C (civil or resident card number) or P (passport)."),
    ),
    "id_too_long": ("Employee ID", _("The employee ID has at most 17 characters.")),
    "id_invalid": ("Employee ID", None),  # the validator's own message
    "worker_twice": (
        "Employee ID",
        _("This worker is already paid on line %(first)d of the file."),
    ),
    "name_invalid": (
        "Employee Name",
        _("The employee's name is required, at most 70 characters."),
    ),
    "bic_invalid": (
        "Employee BIC Code",
        _("The BIC code has 8 or 11 letters and digits (e.g. BMUSOMRX)."),
    ),
    "bic_unknown": (
        "Employee BIC Code",
        _("The BIC code %(bic)s is not of a bank that pays wages."),
    ),
    "account_invalid": (
        "Employee Account",
        _("The employee's account is required, at most 30 characters."),
    ),
    "iban_invalid": (
        "Employee Account",
        _("The account %(account)s is not a valid Omani IBAN (its check digits fail)."),
    ),
    "frequency_invalid": (
        "Salary Frequency",
        _("The salary frequency is M (monthly) or B (bi-weekly)."),
    ),
    "working_days_invalid": (
        "Number Of Working Days",
        _("The number of working days is a whole number from 0 to 31."),
    ),
    "money_invalid": (
        "",  # the money column's own name
        _("%(field)s is not an amount in rials with at most 3 decimals."),
    ),
    "hours_invalid": (
        "Extra Hours",
        _("Extra hours are a number of hours with at most 2 decimals."),
    ),
    "notes_required": ("Notes", _("Say in Notes why the net salary is 0.")),
}
RANK = {code: rank for rank, code in enumerate(RULES)}
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
FINDING_COLUMNS = ("file_id", "line_number", "rank", "field", "code", "employee_id")


def worded(message, params: dict[str, pl.Expr]) -> dict[str, pl.Expr]:
    """`message` in Arabic and English as polars expressions, its placeholders filled from
    `params` (each an expression of the row's value)."""
    out = {}
    for language in ("ar", "en"):
        with translation.override(language):
            template = str(message)
        pieces, at = [], 0
        for match in _PLACEHOLDER.finditer(template):
            pieces.append(pl.lit(template[at : match.start()]))
            pieces.append(params[match[1]].cast(pl.String))
            at = match.end()
        pieces.append(pl.lit(template[at:]))
        out[f"message_{language}"] = pl.concat_str(pieces).str.slice(0, 300)
    return out


def _money(column: pl.Expr, pattern: str, digits: int) -> pl.Expr:
    """An amount in its smallest unit (baisa, or hundredths of an hour); null when not one."""
    whole = column.str.extract(pattern, 1).cast(pl.Int64)
    fraction = column.str.extract(pattern, 2).fill_null("").str.pad_end(digits, "0")
    return pl.when(column.str.contains(pattern)).then(
        whole * 10**digits + fraction.cast(pl.Int64, strict=False)
    )


def _iban_remainder(account: pl.Expr) -> pl.Expr:
    """ISO 13616 mod 97 of an IBAN: the first four characters moved to the end, letters
    written as two digits, the number reduced seven digits at a time."""
    digits = (account.str.slice(4) + account.str.slice(0, 4)).str.replace_many(
        _LETTERS, _LETTER_DIGITS
    )
    remainder = pl.lit(0, pl.Int64)
    for start in range(0, 46, 7):
        chunk = digits.str.slice(start, 7)
        width = chunk.str.len_chars()
        remainder = (
            pl.when(width > 0)
            .then((remainder * pl.lit(10, pl.Int64).pow(width) + chunk.cast(pl.Int64)) % 97)
            .otherwise(remainder)
        )
    return remainder


@dataclass
class Checked:
    """What the line rules found in a batch of files."""

    lines: pl.DataFrame  # SalaryLine columns (person and employment not matched yet)
    findings: pl.DataFrame  # FINDING_COLUMNS with message_ar, message_en
    totals: dict[int, tuple[int, int]]  # file id -> (lines, sum of net salaries in baisa)


def check(rows: pl.DataFrame, *, bics: set[str]) -> Checked:
    """Judge every row of `rows` (ROWS_SCHEMA), blank and label rows left out."""
    cells = (
        pl.when(pl.col("csv"))
        .then(pl.col("raw").str.split(UNIT))
        .otherwise(pl.col("raw").str.strip_suffix("\r").str.split(","))
        .list.eval(pl.element().str.strip_chars())
    )
    frame = rows.with_columns(cells=cells).drop("raw", "csv")
    first = pl.col("cells").list.first().str.to_lowercase()
    frame = frame.filter(
        pl.col("cells").list.eval(pl.element().str.len_chars() > 0).list.any()
        & ~first.str.starts_with("employer")
        & ~first.str.starts_with("employee")
    ).with_columns(count=pl.col("cells").list.len())
    frame = frame.with_columns(
        fields_ok=pl.col("count").is_in([len(LINE_FIELDS) - 1, len(LINE_FIELDS)]),
        employee_id=pl.col("cells").list.get(1, null_on_oob=True).fill_null("").str.slice(0, 17),
        **{
            f"f{index}": pl.col("cells").list.get(index, null_on_oob=True).fill_null("")
            for index in range(len(LINE_FIELDS))
        },
    ).drop("cells")
    totals = {
        file_id: (count, net or 0)
        for file_id, count, net in frame.group_by("file_id")
        .agg(pl.len(), pl.col("f8").filter(pl.col("fields_ok")).pipe(_baisa).sum())
        .iter_rows()
    }
    bad_fields, good = frame.filter(~pl.col("fields_ok")), frame.filter(pl.col("fields_ok"))
    good, id_findings = _check_ids(good)
    good = _line_values(good)
    findings = [
        _finding(
            bad_fields,
            "line_fields",
            count=pl.col("count"),
            expected=pl.lit(len(LINE_FIELDS)),
        ),
        id_findings,
        *_line_findings(good, bics=bics),
    ]
    defaults = bad_fields.select(
        "file_id",
        "line_number",
        "employee_id",
        id_type=pl.lit(""),
        id_ok=pl.lit(False),
        **{name: pl.lit("") for name in ("reference", "employee_name", "bic", "account")},
        frequency=pl.lit(""),
        notes=pl.lit(""),
    )
    return Checked(
        lines=pl.concat([good.select(LINE_COLUMNS), defaults], how="diagonal_relaxed"),
        findings=pl.concat([found for found in findings if found.height], how="diagonal_relaxed")
        if any(found.height for found in findings)
        else pl.DataFrame(schema=dict.fromkeys(FINDING_COLUMNS, pl.String)),
        totals=totals,
    )


def _baisa(column: pl.Expr) -> pl.Expr:
    return _money(column, _MONEY, 3)


def _check_ids(good: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Each row's `id_ok` and the ID findings: the type, the length, then the format, which
    core's validators word for the IDs that fail the quick test."""
    shortest, longest = conf.CIVIL_NUMBER_MIN_LENGTH.value, conf.CIVIL_NUMBER_MAX_LENGTH.value
    id_type, employee_id = pl.col("f0").str.to_uppercase(), pl.col("f1")
    good = good.with_columns(
        kind=id_type,
        type_ok=id_type.is_in(["C", "P"]),
        length_ok=employee_id.str.len_chars() <= 17,
        surely=pl.when(id_type == "C")
        .then(employee_id.str.contains(f"^[1-9][0-9]{{{shortest - 1},{longest - 1}}}$"))
        .otherwise(employee_id.str.contains("^[A-Z0-9]{1,9}$")),
    )
    doubtful = good.filter(pl.col("type_ok") & pl.col("length_ok") & ~pl.col("surely"))
    refused = []
    for file_id, line_number, kind, value, short_id in doubtful.select(
        "file_id", "line_number", "kind", "f1", "employee_id"
    ).iter_rows():
        validate = validate_civil_number if kind == "C" else validate_passport_number
        try:
            validate(value)
        except ValidationError as error:
            refused.append(
                {"file_id": file_id, "line_number": line_number, "rank": RANK["id_invalid"],
                 "field": "Employee ID", "code": "id_invalid", "employee_id": short_id,
                 **_said(error.message, error.params)}
            )  # fmt: skip
    refused_keys = pl.DataFrame(
        [(row["file_id"], row["line_number"]) for row in refused],
        schema={"file_id": pl.Int64, "line_number": pl.Int64},
        orient="row",
    ).with_columns(refused=pl.lit(True))
    good = (
        good.join(refused_keys, on=["file_id", "line_number"], how="left")
        .with_columns(id_ok=pl.col("type_ok") & pl.col("length_ok") & pl.col("refused").is_null())
        .drop("refused")
    )
    findings = pl.concat(
        [
            _finding(good.filter(~pl.col("type_ok")), "id_type_invalid"),
            _finding(good.filter(pl.col("type_ok") & ~pl.col("length_ok")), "id_too_long"),
            pl.DataFrame(refused, schema_overrides={"file_id": pl.Int64, "line_number": pl.Int64}),
        ],
        how="diagonal_relaxed",
    )
    return good, findings


def _said(message, params) -> dict[str, str]:
    out = {}
    for language in ("ar", "en"):
        with translation.override(language):
            text = str(message)
            out[f"message_{language}"] = (text % params if params else text)[:300]
    return out


def _finding(frame: pl.DataFrame, code: str, about: str = "", **params) -> pl.DataFrame:
    """A finding of rule `code` for each row of `frame`, about its SIF field `about` (by
    default the rule's)."""
    default_field, message = RULES[code]
    return frame.select(
        "file_id",
        "line_number",
        "employee_id",
        rank=pl.lit(RANK[code]),
        field=pl.lit(about or default_field),
        code=pl.lit(code),
        **worded(message, params),
    )


LINE_COLUMNS = (
    "file_id", "line_number", "id_type", "employee_id", "id_ok", "reference", "employee_name",
    "bic", "account", "frequency", "working_days", "net_baisa", "basic_baisa",
    "extra_hours_centi", "extra_income_baisa", "deductions_baisa", "social_security_baisa",
    "notes",
)  # fmt: skip


def _line_values(good: pl.DataFrame) -> pl.DataFrame:
    """The rows with all their fields, with the SalaryLine columns added (LINE_COLUMNS)."""
    days = pl.col("f7")
    working_days = (
        pl.when(days.str.contains(r"^0*[0-9]{1,2}$"))
        .then(days.str.slice(-2).cast(pl.Int64, strict=False))
        .otherwise(None)
    )
    first_line = (
        pl.when(pl.col("id_ok"))
        .then(pl.col("line_number").min().over("file_id", "kind", "f1"))
        .otherwise(None)
    )
    return good.with_columns(
        id_type=pl.col("kind").str.slice(0, 1),
        reference=pl.col("f2").str.slice(0, 40),
        employee_name=pl.col("f3").str.slice(0, 70),
        bic=pl.col("f4").str.slice(0, 11).str.to_uppercase(),
        account=pl.col("f5").str.slice(0, 30),
        frequency=pl.col("f6").str.slice(0, 1).str.to_uppercase(),
        working_days=pl.when(working_days <= 31).then(working_days),
        net_baisa=_baisa(pl.col("f8")),
        basic_baisa=_baisa(pl.col("f9")),
        extra_hours_centi=_money(
            pl.when(pl.col("f10") == "").then(pl.lit("0")).otherwise(pl.col("f10")), _HOURS, 2
        ),
        extra_income_baisa=_baisa(pl.col("f11")),
        deductions_baisa=_baisa(pl.col("f12")),
        social_security_baisa=_baisa(pl.col("f13")),
        notes=pl.col("f14").str.slice(0, 200),
        first_line=first_line,
    )


def _line_findings(frame: pl.DataFrame, *, bics: set[str]) -> list[pl.DataFrame]:
    """The rules after the ID's, over the rows joined with their parsed values."""
    name, bic, account = pl.col("f3"), pl.col("f4").str.to_uppercase(), pl.col("f5")
    bic_ok = bic.str.contains(_BIC)
    account_ok = (account != "") & (account.str.len_chars() <= 30)
    iban_ok = (
        (account.str.len_chars() == 23)
        & account.str.contains("^[A-Za-z0-9]+$")
        & (_iban_remainder(account.str.to_uppercase()) == 1)
    )
    found = [
        _finding(
            frame.filter(pl.col("id_ok") & (pl.col("line_number") != pl.col("first_line"))),
            "worker_twice",
            first=pl.col("first_line"),
        ),
        _finding(frame.filter((name == "") | (name.str.len_chars() > 70)), "name_invalid"),
        _finding(frame.filter(~bic_ok), "bic_invalid"),
        _finding(
            frame.filter(bic_ok & ~bic.str.slice(0, 8).is_in({code[:8] for code in bics})),
            "bic_unknown",
            bic=bic,
        ),
        _finding(frame.filter(~account_ok), "account_invalid"),
        _finding(
            frame.filter(account_ok & account.str.to_uppercase().str.starts_with("OM") & ~iban_ok),
            "iban_invalid",
            account=account,
        ),
        _finding(
            frame.filter(~pl.col("f6").str.to_uppercase().is_in(["M", "B"])), "frequency_invalid"
        ),  # fmt: skip
        _finding(frame.filter(pl.col("working_days").is_null()), "working_days_invalid"),
    ]
    for column, attribute in MONEY_FIELDS.items():
        found.append(
            _finding(
                frame.filter(pl.col(attribute).is_null()),
                "money_invalid",
                about=column,
                field=pl.lit(column),
            )
        )
    found += [
        _finding(frame.filter(pl.col("extra_hours_centi").is_null()), "hours_invalid"),
        _finding(
            frame.filter((pl.col("net_baisa") == 0) & (pl.col("f14") == "")), "notes_required"
        ),  # fmt: skip
    ]
    return found
