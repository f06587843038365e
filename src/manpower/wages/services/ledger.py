"""The employment-ledger half of a salary file's check: the statements that say where a batch of
files disagrees with the ledger (each rule one statement over all the files of a salary month),
and the bilingual error rows they make."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from manpower.registry.models import Employment, Person

from .. import conf, sif
from ..models import Exemption, SalaryFile, SalaryLine
from .compliance import due_date

# Each message's words in Arabic and English, looked up once (a batch has many findings).
_WORDS: dict[int, tuple[object, str, str]] = {}


def _words(message) -> tuple[str, str]:
    if id(message) not in _WORDS:
        said = []
        for language in ("ar", "en"):
            with translation.override(language):
                said.append(str(message))
        _WORDS[id(message)] = (message, *said)  # the message kept, so its id stays its own
    return _WORDS[id(message)][1:]


def error_row(file_id: int, finding: sif.Finding) -> dict:
    arabic, english = _words(finding.message)
    if finding.params:
        arabic, english = arabic % finding.params, english % finding.params
    return {
        "file_id": file_id,
        "line_number": finding.line,
        "field": finding.field[:40],
        "code": finding.code,
        "employee_id": finding.employee_id[:17],
        "message_ar": arabic[:300],
        "message_en": english[:300],
    }


# The ledger's findings: (code, field, message) with the SQL that finds them over a batch of
# files of one salary month (the files' ids, then the month's last and first day, as `{ids}`,
# %(last)s and %(first)s); each row is (file id, line number, employee ID[, ledger wage]).
WORKING = "e.start_date <= %(last)s AND (e.end_date IS NULL OR e.end_date >= %(first)s)"
# Not a new hire of the month's last days, nor exempted by an officer for part of the month: the
# checks of pay (below the wage, paid late, not paid) leave the others out.
NOT_EXEMPT = (
    "e.start_date <= %(new_hire_after)s AND NOT EXISTS (SELECT 1 FROM {exemption} x "
    "WHERE x.employment_id = e.id AND x.start_date <= %(last)s AND x.end_date >= %(first)s)"
)
LEDGER_RULES = (
    (
        "worker_unknown",
        "Employee ID",
        _("No worker with this ID is in the registry."),
        "SELECT l.file_id, l.line_number, l.employee_id FROM {line} l "
        "WHERE l.file_id IN ({ids}) AND l.id_ok AND l.person_id IS NULL",
    ),
    (
        "worker_other_employer",
        "Employee ID",
        _("This worker works for another employer in the salary month, not for yours."),
        "SELECT l.file_id, l.line_number, l.employee_id FROM {line} l "
        "WHERE l.file_id IN ({ids}) AND l.id_ok AND l.person_id IS NOT NULL "
        "AND l.employment_id IS NULL AND EXISTS (SELECT 1 FROM {employment} e, {file} f "
        "WHERE f.id = l.file_id AND e.person_id = l.person_id AND " + WORKING + " AND "
        "(e.establishment_id IS NULL OR e.establishment_id <> f.establishment_id))",
    ),
    (
        "worker_not_employed",
        "Employee ID",
        _("This worker is not employed by your establishment in the salary month."),
        "SELECT l.file_id, l.line_number, l.employee_id FROM {line} l "
        "WHERE l.file_id IN ({ids}) AND l.id_ok AND l.person_id IS NOT NULL "
        "AND l.employment_id IS NULL AND NOT EXISTS (SELECT 1 FROM {employment} e, {file} f "
        "WHERE f.id = l.file_id AND e.person_id = l.person_id AND " + WORKING + " AND "
        "(e.establishment_id IS NULL OR e.establishment_id <> f.establishment_id))",
    ),
    *(
        (
            code,
            field,
            message,
            f"SELECT l.file_id, l.line_number, l.employee_id, e.basic_wage_baisa FROM {{line}} l "
            "JOIN {employment} e ON e.id = l.employment_id WHERE l.file_id IN ({ids}) "
            f"AND l.id_ok AND e.basic_wage_baisa > 0 AND l.{column} < e.basic_wage_baisa "
            "AND " + NOT_EXEMPT,
        )
        for column, field, code, message in (
            (
                "net_baisa",
                "Net Salary",
                "net_below_wage",
                _("The net salary is below the basic wage of %(wage)s rials in the ledger."),
            ),
            (
                "basic_baisa",
                "Basic Salary",
                "basic_below_wage",
                _("The basic salary is below the basic wage of %(wage)s rials in the ledger."),
            ),
        )
    ),
    (
        "paid_late",
        "Salary Month",
        _("Paid on %(paid)s, after the due date of %(due)s."),
        "SELECT l.file_id, l.line_number, l.employee_id, f.name_date FROM {line} l "
        "JOIN {file} f ON f.id = l.file_id JOIN {employment} e ON e.id = l.employment_id "
        "WHERE l.file_id IN ({ids}) AND f.name_date > %(due)s AND " + NOT_EXEMPT,
    ),
    (
        "worker_missing",
        "Employee ID",
        _("This worker of your establishment is not paid in the file."),
        "SELECT f.id, NULL, COALESCE(p.civil_number, '') FROM {file} f "
        "JOIN {employment} e ON e.establishment_id = f.establishment_id "
        "JOIN {person} p ON p.id = e.person_id WHERE f.id IN ({ids}) AND " + WORKING + " "
        "AND " + NOT_EXEMPT + " AND NOT EXISTS (SELECT 1 FROM {line} l WHERE l.file_id = f.id "
        "AND l.person_id = e.person_id) ORDER BY f.id, p.civil_number",
    ),
)


def tables() -> dict[str, str]:
    quote = connection.ops.quote_name
    return {
        name: quote(model._meta.db_table)
        for name, model in (
            ("line", SalaryLine), ("person", Person), ("employment", Employment),
            ("file", SalaryFile), ("exemption", Exemption),
        )
    }  # fmt: skip


def ledger_findings(
    salary_files: list[SalaryFile],
    headers: dict[int, sif.Header | None],
    *,
    table: str,
    rules: tuple = LEDGER_RULES,
) -> list[dict]:
    """Say where the files' lines in `table` (the lines, or those being staged), matched with
    the ledger, disagree with it, by `rules`: unknown workers, another employer's or nobody's
    workers, pay below the ledger's basic wage or after the due date, and the establishment's
    workers whom the file does not pay (exempt workers left out of the last three). Each rule is
    one statement over all the files of a salary month (a national batch is one month), not one
    per file or line."""
    months: dict[tuple[int, int], list[int]] = {}
    for salary_file in salary_files:
        header = headers[salary_file.pk]
        if header is not None and header.month_valid:
            months.setdefault((header.salary_year, header.salary_month), []).append(salary_file.pk)
    rows = []
    with connection.cursor() as cursor:
        for (year, month), file_ids in sorted(months.items()):
            first, last = sif.month_bounds(year, month)
            names = {**tables(), "line": table, "ids": ", ".join(str(int(pk)) for pk in file_ids)}
            new_hire_after = last - dt.timedelta(days=conf.NEW_HIRE_EXEMPT_DAYS.value)
            due = due_date(year, month)
            dates = {"first": first, "last": last, "new_hire_after": new_hire_after, "due": due}
            for code, field, message, query in rules:
                cursor.execute(query.format(**names), dates)
                for file_id, line_number, employee_id, *extra in cursor.fetchall():
                    params = _finding_params(code, extra, due)
                    finding = sif.Finding(line_number, field, code, message, params, employee_id)
                    rows.append(error_row(file_id, finding))
    return rows


def _finding_params(code: str, extra: list, due: dt.date) -> dict:
    """The message's values of a ledger finding from the rule's extra column, if any."""
    if code == "paid_late":
        paid = extra[0] if isinstance(extra[0], dt.date) else dt.date.fromisoformat(extra[0])
        return {"paid": paid.strftime("%d/%m/%Y"), "due": due.strftime("%d/%m/%Y")}
    return {"wage": sif.rials(extra[0])} if extra else {}
