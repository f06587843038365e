"""The Wage Protection System's demo: last month's salary file of the employer's establishment,
sent by its bank with one worker paid below the wage and checked, and the month's compliance
of every establishment computed, so the employer, the wage protection officer (`wages`) and
the workers see a month. Through the domain services; nothing more when the file is there."""

from __future__ import annotations

import datetime as dt

from manpower.core.actor import Actor, Channel
from manpower.registry import selectors as registry_selectors
from manpower.registry.models import Establishment
from manpower.wages import services as wages
from manpower.wages import sif

BANK = Actor(channel=Channel.PARTNER, label="partner:central-bank")
HEADER_LABELS = (
    "Employer CR-NO,Payer CR-NO,Payer Bank Short Name,Payer Account Number,Salary Year,"
    "Salary Month,Total Salaries,Number Of Records,Payment Type"
)
LINE_LABELS = (
    "Employee ID Type,Employee ID,Reference Number,Employee Name,Employee BIC Code,"
    "Employee Account,Salary Frequency,Number Of Working Days,Net Salary,Basic Salary,"
    "Extra Hours,Extra Income,Deductions,Social Security Deductions,Notes"
)
IBAN = "OM810180000001299123456"


def last_month_keep(*, establishment: Establishment, today: dt.date, now: dt.datetime) -> None:
    last = today.replace(day=1) - dt.timedelta(days=1)
    paid_on = last + dt.timedelta(days=1)
    cr = establishment.cr_number
    rows, paid = [], 0
    workers = registry_selectors.establishment_workers(establishment=establishment)
    for number, employment in enumerate(workers.select_related("person")[:200]):
        person = employment.person
        id_type, identifier = ("C", person.civil_number) if person.civil_number else (
            "P", person.passport_number)  # fmt: skip
        wage = employment.basic_wage_baisa // 2 if number == 0 else employment.basic_wage_baisa
        money, paid = sif.rials(wage), paid + wage
        rows.append(
            f"{id_type},{identifier},R{number + 1},{person.name_en[:70]},BMUSOMRX,{IBAN},M,30,"
            f"{money},{money},0,0,0,0,"
        )
    header = (
        f"{cr},{cr},BMUS,0123456789,{last.year},{last.month},{sif.rials(paid)},{len(rows)},Salary"
    )
    text = "\r\n".join([HEADER_LABELS, header, LINE_LABELS, *rows]) + "\r\n"
    received, new = wages.salary_file_receive(
        actor=BANK,
        file_name=f"SIF_{cr}_BMUS_{paid_on:%Y%m%d}_001.csv",
        chunks=[text.encode()],
        now=now,
    )
    if new:
        wages.salary_file_check(actor=BANK, salary_file_id=received.pk, now=now)
    wages.compliance_compute(actor=BANK, year=last.year, month=last.month, now=now)
