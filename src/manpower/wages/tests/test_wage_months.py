"""The worker's salary months as the Wage Protection System holds them, for another app's
proof (labour care's work-abandonment report): which months the establishment's checked files
pay the worker, among those due."""

import datetime as dt

from manpower.wages.selectors import WageMonth, wage_months_paid

from .conftest import line, sif_text
from .test_checks import submit

LAST_DAY = dt.date(2026, 11, 15)


def pay(month, **header):
    """The establishment's file of a 2026 month, paying both workers on the 2nd after it."""
    rows = [line(), line("61234568", name="فاطمة الحارثي", net="400", basic="400")]
    return submit(
        sif_text(rows, month=str(month), **header),
        name=f"SIF_1234567_BMUS_2026{month + 1:02d}02_001.csv",
    )


def test_the_checked_files_pay_the_months_and_a_rejected_one_proves_nothing(workers):
    assert pay(8).status == pay(9).status == "CHECKED"
    assert pay(10, total="999.000").status == "REJECTED"
    months = wage_months_paid(
        employment=workers[0], before=LAST_DAY, today=dt.date(2026, 11, 29), count=3
    )
    assert months == [
        WageMonth(2026, 8, True),
        WageMonth(2026, 9, True),
        WageMonth(2026, 10, False),
    ]
    assert [month.label for month in months] == ["08/2026", "09/2026", "10/2026"]


def test_a_month_whose_wages_are_not_due_yet_is_left_out(workers):
    pay(9)
    months = wage_months_paid(
        employment=workers[0], before=dt.date(2026, 10, 30), today=dt.date(2026, 11, 2), count=2
    )
    assert months == [WageMonth(2026, 8, False), WageMonth(2026, 9, True)]
    months = wage_months_paid(
        employment=workers[0], before=dt.date(2026, 10, 31), today=dt.date(2026, 11, 2), count=2
    )
    assert months == [WageMonth(2026, 9, True)]  # October's wages are due on 3 November
