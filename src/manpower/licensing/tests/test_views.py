"""The licensing pages: the employer's licences, the application form, the officer's queue."""

from __future__ import annotations

import pytest
from django.urls import reverse

from manpower.accounts.models import Role
from manpower.licensing.models import Licence, LicenceApplication, LicenceVacancy
from manpower.registry.tests.factories import (
    PersonFactory,
    RepresentationFactory,
    UserFactory,
    india,
    oman,
)

from .conftest import domestic_cleaner, pay
from .factories import make_licence

pytestmark = pytest.mark.django_db


def household_client(client):
    PersonFactory(is_national=True, nationality=oman(), civil_number="71234567")
    user = UserFactory(civil_number="71234567", full_name_en="Salim")
    client.force_login(user)
    domestic_cleaner()
    india()
    return user


def apply_private(client, **line):
    data = {
        "kind": "PRIVATE",
        "establishment": "",
        "line-TOTAL_FORMS": "3",
        "line-INITIAL_FORMS": "0",
        "line-0-occupation_code": "9111",
        "line-0-nationality": "ind",
        "line-0-gender": "F",
        "line-0-count": "1",
        **line,
    }
    return client.post(reverse("licensing:apply"), data)


def test_the_employer_sees_its_licences_with_their_vacancy_counts(client):
    licence = make_licence(issued=5)
    LicenceVacancy.objects.filter(licence=licence).update(reserved=2, used=1)
    user = RepresentationFactory(establishment=licence.establishment).user
    client.force_login(user)

    page = client.get(reverse("licensing:licences"))

    assert page.status_code == 200
    assert licence.number in page.content.decode()
    counts = page.context["licences"][0].vacancies.all()[0]
    assert (counts.issued, counts.reserved, counts.used, counts.free) == (5, 2, 1, 2)


def test_another_employer_cannot_see_the_licence(client):
    licence = make_licence()
    client.force_login(RepresentationFactory().user)

    assert client.get(reverse("licensing:licence", args=[licence.number])).status_code == 404
    assert licence.number not in client.get(reverse("licensing:licences")).content.decode()
    assert client.get(reverse("licensing:pdf", args=[licence.number])).status_code == 404


def test_a_household_applies_pays_and_gets_its_licence_and_pdf(client, now):
    household_client(client)

    response = apply_private(client)

    application = LicenceApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("licensing:application", args=[application.number])
    assert application.status == LicenceApplication.Status.AWAITING_PAYMENT
    payment = reverse("licensing:payment", args=[application.number])
    unpaid = client.post(payment, follow=True)
    assert [m.level_tag for m in unpaid.context["messages"]][-1] == "error"
    assert not Licence.objects.exists()

    pay(application, now)
    paid = client.post(payment)

    licence = Licence.objects.get()
    assert paid["Location"] == reverse("licensing:licence", args=[licence.number])
    pdf = client.get(reverse("licensing:pdf", args=[licence.number]))
    assert pdf["Content-Type"] == "application/pdf"


def test_a_refused_application_shows_the_reason_and_saves_nothing(client):
    household_client(client)

    page = apply_private(client, **{"line-0-occupation_code": "7112"})

    assert page.status_code == 200
    assert page.context["form"].non_field_errors()
    assert not LicenceApplication.objects.exists()


def test_a_commercial_application_needs_an_establishment(client):
    household_client(client)

    page = apply_private(client, kind="COMMERCIAL")

    assert page.context["form"].errors["establishment"]


def test_a_line_takes_words_of_the_occupation_and_the_country_without_the_script(client):
    household_client(client)

    page = apply_private(
        client, **{"line-0-occupation_code": "domestic cleaners", "line-0-nationality": "الهند"}
    )

    assert page.status_code == 302
    line = LicenceApplication.objects.get().lines.get()
    assert (line.occupation_id, line.nationality_id) == ("9111", "IND")


@pytest.mark.parametrize(
    ("language", "typed", "expected"),
    [
        ("en", "cleaners", "Several occupations match “cleaners”: 9112 Cleaners and helpers in"),
        ("ar", "عمال النظافة", "تطابق «عمال النظافة» عدة مهن: 9111 عمال النظافة والمساعدون"),
        ("en", "9999", "No occupation has the ISCO-08 code 9999."),
        ("ar", "9999", "لا توجد مهنة برمز ISCO-08 \u200f9999."),
    ],
)
def test_a_line_whose_occupation_is_not_one_code_says_so_by_the_field(
    client, language, typed, expected
):
    user = household_client(client)
    user.language = language
    user.save(update_fields=["language"])

    page = apply_private(client, **{"line-0-occupation_code": typed})

    html = page.content.decode()
    assert page.status_code == 200 and html.count(expected) == 2  # in the summary and by the field
    assert 'href="#id_line-0-occupation_code"' in html
    assert not LicenceApplication.objects.exists()


@pytest.mark.parametrize(
    ("language", "decision", "reason"),
    [
        (
            "en",
            "Choose whether to approve or reject the application.",
            "Give the reason for the decision: the employer reads it.",
        ),
        ("ar", "اختر الموافقة على الطلب أو رفضه.", "اذكر سبب القرار، فصاحب العمل يطّلع عليه."),
    ],
)
def test_a_decision_without_a_choice_or_a_reason_says_what_is_missing(
    client, language, decision, reason
):
    household_client(client)
    apply_private(client)
    application = LicenceApplication.objects.get()
    LicenceApplication.objects.filter(pk=application.pk).update(
        status=LicenceApplication.Status.IN_REVIEW, invoice_number=""
    )
    client.force_login(UserFactory(role=Role.OFFICER, department="LICENSING", language=language))

    page = client.post(reverse("licensing:decide", args=[application.number]), {})

    html = page.content.decode()
    assert decision in html and reason in html
    application.refresh_from_db()
    assert application.status == LicenceApplication.Status.IN_REVIEW


def test_the_holder_gives_up_unused_vacancies(client):
    licence = make_licence(issued=3)
    client.force_login(RepresentationFactory(establishment=licence.establishment).user)

    client.post(reverse("licensing:cancel", args=[licence.number]), {"reason": "Done."})

    licence.refresh_from_db()
    assert licence.status == Licence.Status.CANCELLED


def test_only_deciding_staff_see_the_queue_and_decide(client, now):
    household_client(client)
    apply_private(client, **{"line-0-count": "2"})
    application = LicenceApplication.objects.get()
    LicenceApplication.objects.filter(pk=application.pk).update(
        status=LicenceApplication.Status.IN_REVIEW, invoice_number=""
    )
    assert client.get(reverse("licensing:queue")).status_code == 403
    assert client.get(reverse("licensing:decide", args=[application.number])).status_code == 403

    client.force_login(UserFactory(role=Role.OFFICER, department="LICENSING"))
    queue = client.get(reverse("licensing:queue"))
    assert application.number in queue.content.decode()
    line = application.lines.get()
    response = client.post(
        reverse("licensing:decide", args=[application.number]),
        {"decision": "approve", "reason": "One is enough.", f"granted_{line.pk}": "1"},
    )

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == LicenceApplication.Status.AWAITING_PAYMENT
    assert application.granted_total == 1 and application.invoice_number


def test_the_back_office_shows_licences_and_changes_nothing(client):
    licence = make_licence()
    client.force_login(UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True))

    listing = client.get("/admin/licensing/licence/", {"q": licence.establishment.cr_number})
    detail = client.get(f"/admin/licensing/licence/{licence.pk}/change/")

    assert listing.status_code == 200 and licence.number in listing.content.decode()
    assert detail.status_code == 200
    assert client.get("/admin/licensing/licence/add/").status_code == 403
    assert client.post(f"/admin/licensing/licence/{licence.pk}/delete/").status_code == 403
