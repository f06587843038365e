import datetime as dt

import pytest

from manpower.accounts.models import Role
from manpower.registry.tests.factories import (
    EmploymentFactory,
    EstablishmentFactory,
    PersonFactory,
    RepresentationFactory,
    UserFactory,
)

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
IBAN = "OM810180000001299123456"  # a valid Omani IBAN (mod-97)


@pytest.fixture(autouse=True)
def wages_files(settings, tmp_path):
    """Each test keeps its received files in its own folder and runs the check at once."""
    settings.WAGES_FILE_DIR = tmp_path / "wages"
    settings.TASKS = IMMEDIATE


@pytest.fixture
def establishment(db):
    return EstablishmentFactory(
        cr_number="1234567", name_en="Al Noor Trading", name_ar="النور للتجارة"
    )


@pytest.fixture
def representative(establishment):
    user = UserFactory(role=Role.ESTABLISHMENT_REP)
    RepresentationFactory(user=user, establishment=establishment)
    return user


@pytest.fixture
def workers(establishment):
    """Two workers in the ledger, on 325 and 400 rials."""
    return [
        EmploymentFactory(
            establishment=establishment,
            person=PersonFactory(civil_number=civil, name_ar=name_ar, name_en=name_en),
            start_date=dt.date(2025, 1, 1),
            basic_wage_baisa=wage,
        )
        for civil, name_ar, name_en, wage in (
            ("61234567", "أحمد البلوشي", "Ahmed Al Balushi", 325_000),
            ("61234568", "فاطمة الحارثي", "Fatma Al Harthi", 400_000),
        )
    ]


def line(civil="61234567", *, name="أحمد البلوشي", net="325.000", basic="325.000", **over):
    cells = {
        "id_type": "C",
        "id": civil,
        "ref": "R1",
        "name": name,
        "bic": "BMUSOMRX",
        "account": IBAN,
        "frequency": "M",
        "days": "30",
        "net": net,
        "basic": basic,
        "hours": "0",
        "extra": "0",
        "deductions": "0",
        "social": "0",
        "notes": "",
    }
    cells.update(over)
    return ",".join(cells.values())


def sif_text(lines, *, cr="1234567", year="2026", month="10", total=None, records=None,
             labels=True, payment_type="Salary", bank="BMUS"):  # fmt: skip
    if total is None:
        total = f"{sum(float(row.split(',')[8]) for row in lines):.3f}"
    header = (
        f"{cr},{cr},{bank},0123456789,{year},{month},{total},{records or len(lines)},{payment_type}"
    )
    rows = []
    if labels:
        rows.append(
            "Employer CR-NO,Payer CR-NO,Payer Bank Short Name,Payer Account Number,Salary Year,"
            "Salary Month,Total Salaries,Number Of Records,Payment Type"
        )
    rows.append(header)
    if labels:
        rows.append(
            "Employee ID Type,Employee ID,Reference Number,Employee Name,Employee BIC Code,"
            "Employee Account,Salary Frequency,Number Of Working Days,Net Salary,Basic Salary,"
            "Extra Hours,Extra Income,Deductions,Social Security Deductions,Notes"
        )
    return "\r\n".join(rows + list(lines)) + "\r\n"


NAME = "SIF_1234567_BMUS_20261103_001.csv"
