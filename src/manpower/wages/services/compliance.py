"""The payment deadline and the monthly compliance of every establishment.

Wages are due `WAGES_PAYMENT_DEADLINE_DAYS` after the wage period (the salary month) ends; a
file dated later pays each of its (non-exempt) workers late, a line error like any other. A
month's compliance is, per establishment, the share of its ledger workers (the exempt left out)
paid correctly and on time: with a line of a checked file of that month that has no error. It
is computed for every establishment of a month at once, in one grouped query over the ledger.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction

from manpower.core.actor import Actor
from manpower.registry.models import Employment

from .. import conf, sif
from ..models import Exemption, LineError, MonthlyCompliance, SalaryFile, SalaryLine


def due_date(year: int, month: int) -> dt.date:
    """The last day the month's wages may be paid on time."""
    return sif.month_bounds(year, month)[1] + dt.timedelta(days=conf.PAYMENT_DEADLINE_DAYS.value)


# Per establishment of the ledger: its workers in the month, the exempt among them (the rule of
# a file's ledger check, `files.NOT_EXEMPT`: new hires, or a recorded exemption overlapping the
# month), and the others paid correctly and on time (a line of a checked file of the month
# without an error).
# Joins rather than a subquery per worker, so each database reads each table once (PostgreSQL
# hashes the month's correct lines and exemptions, then scans the ledger).
MONTH_FIGURES_SQL = """
WITH correct AS (
    SELECT DISTINCT l.employment_id FROM {line} l JOIN {file} f ON f.id = l.file_id
    WHERE f.status = %s AND f.salary_year = %s AND f.salary_month = %s
      AND l.employment_id IS NOT NULL
      AND NOT EXISTS (
          SELECT 1 FROM {error} e WHERE e.file_id = l.file_id AND e.line_number = l.line_number
      )
), excused AS (
    SELECT DISTINCT employment_id FROM {exemption} WHERE start_date <= %s AND end_date >= %s
)
SELECT m.establishment_id, COUNT(*) AS total,
       SUM(CASE WHEN m.start_date > %s OR x.employment_id IS NOT NULL THEN 1 ELSE 0 END)
           AS exempt,
       SUM(CASE WHEN m.start_date <= %s AND x.employment_id IS NULL
                 AND c.employment_id IS NOT NULL THEN 1 ELSE 0 END) AS paid
FROM {employment} m
LEFT JOIN excused x ON x.employment_id = m.id
LEFT JOIN correct c ON c.employment_id = m.id
WHERE m.establishment_id IS NOT NULL AND m.start_date <= %s
  AND (m.end_date IS NULL OR m.end_date >= %s)
GROUP BY m.establishment_id
"""
# The month's rows written from the figures in the same statement (no round trip per row); a
# row another run wrote meanwhile (two daily runs at once) is updated, not written twice.
INSERT_SQL = """
INSERT INTO {compliance} (establishment_id, salary_year, salary_month, workers, paid_ok, exempt,
                          share_permyriad, compliant, computed_at)
SELECT establishment_id, %s, %s, total - exempt, paid, exempt, paid * 10000 / (total - exempt),
       CASE WHEN paid * 10000 / (total - exempt) >= %s THEN TRUE ELSE FALSE END, %s
FROM ({figures}) AS figures
WHERE total - exempt > 0
ON CONFLICT (establishment_id, salary_year, salary_month) DO UPDATE SET
    workers = excluded.workers, paid_ok = excluded.paid_ok, exempt = excluded.exempt,
    share_permyriad = excluded.share_permyriad, compliant = excluded.compliant,
    computed_at = excluded.computed_at
"""


def _figures(year: int, month: int) -> tuple[str, list]:
    first, last = sif.month_bounds(year, month)
    new_hire_after = last - dt.timedelta(days=conf.NEW_HIRE_EXEMPT_DAYS.value)
    quote = connection.ops.quote_name
    sql = MONTH_FIGURES_SQL.format(
        line=quote(SalaryLine._meta.db_table),
        file=quote(SalaryFile._meta.db_table),
        error=quote(LineError._meta.db_table),
        exemption=quote(Exemption._meta.db_table),
        employment=quote(Employment._meta.db_table),
    )
    params = [SalaryFile.Status.CHECKED, year, month, last, first, new_hire_after,
              new_hire_after, last, first]  # fmt: skip
    return sql, params


def compliance_compute(*, actor: Actor, year: int, month: int, now: dt.datetime) -> int:
    """(Re)compute the month's compliance of every establishment with workers to pay, in one
    statement over the ledger; how many rows. The month's old rows are replaced in the same
    transaction, so readers see the old figures or the new, never half. Figures derived from
    the files, not a decision: the sanctions they lead to are audited."""
    figures, params = _figures(year, month)
    sql = INSERT_SQL.format(
        compliance=connection.ops.quote_name(MonthlyCompliance._meta.db_table), figures=figures
    )
    with transaction.atomic():
        MonthlyCompliance.objects.filter(salary_year=year, salary_month=month).delete()
        with connection.cursor() as cursor:
            cursor.execute(sql, [year, month, conf.COMPLIANT_PERMYRIAD.value, now, *params])
            return cursor.rowcount
