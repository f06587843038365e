"""A technical college's registrar signs in with an authenticator code, adds a course to the
college's catalogue, imports students (a first file with mistakes, read in the error report,
then the corrected one) and their grades on the portal, graduates a student and reads the
college's report; the graduate agrees to be registered as a job seeker; an employment officer
reads every college's figures. Every page through `check_page`."""

from __future__ import annotations

import datetime as dt

from django.apps import apps as django_apps
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from manpower.accounts.models import Department, Role
from manpower.colleges.models import College, Course, ImportBatch, Intake, Programme, Student
from manpower.colleges.tests.conftest import grades_file, students_file
from manpower.registry.tests.factories import PersonFactory, UserFactory, oman


def test_colleges_import_graduate_consent_and_reports(visitor, tmp_path):
    college = College.objects.get(code="HCT")
    Programme.objects.create(
        college=college, code="IT-DIP", level="DIPLOMA", specialisation_en="Information technology",
        specialisation_ar="تقنية المعلومات", credits_required=6,
    )  # fmt: skip
    Intake.objects.create(college=college, code="2023-FALL", start_date=dt.date(2023, 9, 1))
    for code, title_en, title_ar in (
        ("IT101", "Programming", "البرمجة"),
        ("IT102", "Networks", "الشبكات"),
    ):
        Course.objects.create(
            college=college, code=code, title_en=title_en, title_ar=title_ar, credits=3
        )
    registrar = UserFactory(
        username="registrar", role=Role.COLLEGE_REGISTRAR, college_code="HCT",
        full_name_en="Aziza Al Rawahi", full_name_ar="عزيزة الرواحية",
    )  # fmt: skip
    registrar_device = TOTPDevice.objects.create(user=registrar, name="phone", confirmed=True)
    PersonFactory(civil_number="96123456", is_national=True, nationality=oman(), passport_number="")
    UserFactory(
        username="salim", civil_number="96123456", full_name_en="Salim Al Amri",
        full_name_ar="سالم العامري",
    )  # fmt: skip
    good = "96123456,سالم العامري,Salim Al Amri,IT-DIP,2023-FALL"
    files = {
        "bad.csv": students_file(good, good, "96123457,مريم,Maryam,NOPE,2023-FALL"),
        "students.csv": students_file(
            good, "96123457,مريم الهنائية,Maryam Al Hinai,IT-DIP,2023-FALL"
        ),  # fmt: skip
        "grades.csv": grades_file(
            "96123456,IT101,2024-1,A", "96123456,IT102,2024-1,B+", "96123457,IT101,2024-1,F"
        ),
    }
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    page = visitor.page

    def upload(name: str, kind: str) -> ImportBatch:
        page.select_option("select[name=kind]", kind)
        page.set_input_files("input[name=file]", str(tmp_path / name))
        visitor.submit("main form.stacked")
        batch = ImportBatch.objects.get(file_name=name)
        assert page.url.endswith(f"/colleges/HCT/imports/{batch.pk}/")
        visitor.check()
        return batch

    # The registrar: their college, a file with mistakes, its report, the corrected files.
    visitor.sign_in("registrar", code=lambda: f"{totp(registrar_device.bin_key):06d}")
    visitor.open("/colleges/")
    assert page.url.endswith("/colleges/HCT/")
    # The catalogue: the registrar adds a course that the grades file could then name.
    visitor.open("/colleges/HCT/catalogue/")
    course_form = page.locator("main form:has(input[name=add][value=course])")
    course_form.locator("input[name=course-code]").fill("it103")
    course_form.locator("input[name=course-title_ar]").fill("قواعد البيانات")
    course_form.locator("input[name=course-title_en]").fill("Databases")
    course_form.locator("input[name=course-credits]").fill("3")
    with page.expect_navigation():
        course_form.locator("button[type=submit]").click()
    visitor.check()
    assert Course.objects.filter(college=college, code="IT103").exists()
    assert page.locator("main table tbody tr", has_text="IT103").count() == 1
    visitor.open("/colleges/HCT/")
    bad = upload("bad.csv", "STUDENTS")
    assert bad.status == "REJECTED" and page.locator("main table tbody tr").count() == 2
    report = page.request.get(visitor.base_url + f"/colleges/HCT/imports/{bad.pk}/errors.csv")
    assert report.status == 200 and "duplicate_line" in report.text()
    visitor.open("/colleges/HCT/")
    assert upload("students.csv", "STUDENTS").status == "IMPORTED"
    visitor.open("/colleges/HCT/")
    assert upload("grades.csv", "GRADES").lines_loaded == 3
    visitor.open("/colleges/HCT/")
    assert page.locator("main a[href='/colleges/HCT/students/96123456/']").count() == 1

    # A student's record and graduation, then the college's report.
    visitor.open("/colleges/HCT/students/96123456/")
    with page.expect_navigation():  # the form's answer, before the page is read
        page.locator("main button[name=graduate]").click()
    visitor.check()
    assert Student.objects.get(civil_number="96123456").status == "GRADUATED"
    visitor.open("/colleges/HCT/students/96123457/")
    visitor.open("/colleges/HCT/report/")

    # The graduate agrees to be registered as a job seeker.
    page.context.clear_cookies()
    visitor.sign_in("salim")
    visitor.open("/colleges/mine/")
    with page.expect_navigation():
        page.locator("main form[action$='/consent/'] button").click()
    visitor.check()
    assert Student.objects.get(civil_number="96123456").job_seeker_consent_at is not None
    seeker = django_apps.get_model("jobs", "JobSeeker").objects.get(person__civil_number="96123456")
    assert seeker.highest_level_id == "DIPLOMA"

    # An employment officer: every college's figures.
    page.context.clear_cookies()
    officer = UserFactory(username="officer", role=Role.OFFICER, department=Department.EMPLOYMENT)
    device = TOTPDevice.objects.create(user=officer, name="phone", confirmed=True)
    visitor.sign_in(officer.username, code=lambda: f"{totp(device.bin_key):06d}")
    visitor.open("/colleges/")
    assert page.locator("main table tbody tr").count() == 7
