"""A document can carry a table (a licence's vacancies by occupation, nationality and gender):
signed with the rest, printed in both languages, shown on the verification page."""

import json
import shutil
import subprocess

import pytest

from manpower.documents import signing
from manpower.documents.models import Document
from manpower.documents.services import (
    DocumentField,
    DocumentTable,
    document_correct,
    document_issue,
    verify_url,
)

pytestmark = pytest.mark.django_db

VACANCIES = DocumentTable.of(
    "vacancies",
    ("Vacancies", "الشواغر"),
    [("Occupation", "المهنة"), ("Nationality", "الجنسية"), ("Gender", "الجنس"), "#"],
    [
        [("Bricklayer", "بنّاء"), ("India", "الهند"), ("Male", "ذكر"), "6"],
        [("Accountant", "محاسب"), ("Philippines", "الفلبين"), ("Female", "أنثى"), "1"],
    ],
)


@pytest.fixture
def licence(system_actor, now):
    return document_issue(
        actor=system_actor,
        now=now,
        kind=Document.Kind.LICENCE,
        subject_ref="LIC-2026-000042",
        fields=[DocumentField("licence", "Licence number", "رقم الترخيص", "LIC-2026-000042", "")],
        tables=[VACANCIES],
    )


def test_the_table_is_part_of_the_signed_payload(licence):
    table = json.loads(licence.payload)["tables"][0]
    assert table["title"] == {"en": "Vacancies", "ar": "الشواغر"}
    assert table["columns"][3] == {"en": "#", "ar": "#"}
    assert table["rows"][1][:3] == [
        {"en": "Accountant", "ar": "محاسب"},
        {"en": "Philippines", "ar": "الفلبين"},
        {"en": "Female", "ar": "أنثى"},
    ]
    assert signing.is_genuine(licence.payload, licence.signature)


def test_a_document_without_tables_has_no_tables_key(receipt):
    assert "tables" not in json.loads(receipt.payload)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_the_pdf_prints_the_table(licence, tmp_path):
    (tmp_path / "doc.pdf").write_bytes(bytes(licence.pdf))
    text = subprocess.run(
        ["pdftotext", "doc.pdf", "-"], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout
    for expected in ("Recruitment licence", "Occupation", "Bricklayer", "Philippines", "Female"):
        assert expected in text


def test_the_verification_page_shows_the_table_in_both_languages(client, licence):
    body = client.get(verify_url(licence), headers={"accept-language": "en"}).content.decode()
    assert "Genuine" in body
    assert "Bricklayer" in body and "بنّاء" in body and "Philippines" in body
    assert "الشواغر" in body


def test_a_correction_carries_the_corrected_table(licence, system_actor, now):
    fewer = DocumentTable.of("vacancies", ("Vacancies", "الشواغر"), ["#"], [["5"]])
    successor = document_correct(
        actor=system_actor,
        now=now,
        document=licence,
        fields=[],
        tables=[fewer],
        reason="One vacancy withdrawn",
    )
    assert json.loads(successor.payload)["tables"][0]["rows"] == [[{"en": "5", "ar": "5"}]]
