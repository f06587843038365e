"""A representative sends the month's salary file on the portal, follows its check and reads
the errors found (Arabic and English; every page through `check_page`)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from manpower.licensing.tests.test_applications import employer
from manpower.registry.tests.factories import EmploymentFactory, PersonFactory
from manpower.wages.models import SalaryFile
from manpower.wages.tests.conftest import IMMEDIATE, line, sif_text


def test_wages_a_representative_uploads_a_salary_file_and_reads_its_errors(
    visitor, settings, tmp_path
):
    settings.TASKS = IMMEDIATE
    settings.WAGES_FILE_DIR = tmp_path / "wages"
    establishment, representative = employer(nationals=0, non_nationals=0)
    for civil, wage in (("61234567", 325_000), ("61234568", 400_000)):
        EmploymentFactory(
            establishment=establishment,
            person=PersonFactory(civil_number=civil),
            start_date=dt.date(2025, 1, 1),
            basic_wage_baisa=wage,
        )
    today = timezone.localdate()
    month = today.replace(day=1) - dt.timedelta(days=1)
    cr = establishment.cr_number
    name = f"SIF_{cr}_BMUS_{month:%Y%m%d}_001.csv"  # dated in the month: paid on time
    path = tmp_path / name
    path.write_text(
        sif_text(
            [line(net="300", basic="300"), line("91234567", name="Unknown Worker")],
            cr=cr,
            year=str(month.year),
            month=str(month.month),
        ),
        encoding="utf-8",
    )

    visitor.sign_in(representative.username)
    visitor.open(f"/wages/{cr}/")
    page = visitor.page
    page.set_input_files("input[name=file]", str(path))
    visitor.submit()
    received = SalaryFile.objects.get()
    assert page.url.endswith(f"/wages/{cr}/files/{received.pk}/")
    visitor.check()
    assert received.status == "CHECKED" and received.error_count == 4
    assert page.locator("main table tbody tr").count() == 4
    assert page.locator("main a[download]").count() == 1
    visitor.open(f"/wages/{cr}/")
    assert page.locator("main table tbody tr").count() == 1
