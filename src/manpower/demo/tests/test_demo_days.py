"""Whatever day the demo is loaded, each role has its main job to do: the employer can recruit
(a valid chamber membership, room under the Omanisation share) and has cards to renew and
invoices to pay, the officer has an application to decide, the Sanad operator an invoice to
take at the counter. Transactional: the partner simulators answer from committed rows."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from manpower.accounts.models import User
from manpower.core.actor import Actor
from manpower.demo import dataset
from manpower.labourcards import selectors as card_selectors
from manpower.labourcards import services as card_services
from manpower.licensing import selectors as licensing_selectors
from manpower.licensing import services as licensing_services
from manpower.licensing.models import Kind, Licence, LicenceApplication, VisaReservation
from manpower.payments.models import Invoice

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def debug(settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize("days_from_now", [0, 400])
def test_on_any_day_each_role_has_its_main_job(days_from_now, client):
    today = timezone.localdate() + dt.timedelta(days=days_from_now)
    now = timezone.now() + dt.timedelta(days=days_from_now)
    out = StringIO()
    call_command("load_demo", "--employers=30", "--workers=400", f"--today={today}", stdout=out)

    employer = User.objects.get(username="employer")
    main, second = [r.establishment for r in employer.representations.order_by("id")]
    main.refresh_from_db()
    second.refresh_from_db()
    assert main.chamber_expiry_date > today + dt.timedelta(days=30)  # valid, no warning
    assert today <= second.chamber_expiry_date <= today + dt.timedelta(days=30)  # expiring
    licence = Licence.objects.get(establishment=main, status=Licence.Status.ACTIVE)
    assert licence.valid_from <= today <= licence.valid_until
    assert f"/licences/{licence.number}/" in out.getvalue()
    client.force_login(employer)
    page = client.get(f"/licences/{licence.number}/").content.decode()  # Arabic, the default
    visas = VisaReservation.objects.filter(vacancy__licence=licence).order_by("visa_number")
    assert [v.status for v in visas] == [VisaReservation.Status.ARRIVED, "RESERVED"]
    assert "التأشيرات التي حجزتها الشرطة" in page
    for visa in visas:
        assert visa.visa_number in page
    assert visas[0].worker.name in page

    with dataset.agencies_simulated():  # the employer applies for 12 workers, as on the portal
        application = licensing_services.application_submit(
            actor=Actor.system("test"),
            applicant=employer,
            kind=Kind.COMMERCIAL,
            lines=[licensing_services.LineRequest("9313", "BGD", "M", 12)],
            establishment=main,
            now=now,
        )
    assert application.status == LicenceApplication.Status.IN_REVIEW
    assert sum(line.granted for line in application.lines.all()) == 12

    queue = licensing_selectors.officer_queue(user=User.objects.get(username="officer"))
    assert {a.establishment for a in queue} == {second, main}
    assert queue.get(establishment=second).number in out.getvalue()

    employer_cards = card_selectors.Employer(establishment=main)
    due = card_selectors.cards_due_for_renewal(employer=employer_cards, today=today)
    assert len(due) == 3
    renewal = card_services.card_renewal_request(actor=Actor.system("test"), now=now, card=due[0])
    assert renewal.invoice.status == Invoice.Status.UNPAID

    payable = Invoice.objects.filter(
        payer_cr_number=main.cr_number, status=Invoice.Status.UNPAID, expires_at__gt=now
    )
    assert payable.filter(service_code="DEPARTURE_FORM").exists()


def test_a_second_load_on_the_same_day_adds_no_application_card_licence_or_visa():
    call_command("load_demo", "--employers=30", "--workers=400", stdout=StringIO())
    officer = User.objects.get(username="officer")
    queued = list(licensing_selectors.officer_queue(user=officer).values_list("number", flat=True))

    call_command("load_demo", "--employers=30", "--workers=400", stdout=StringIO())

    assert (
        list(licensing_selectors.officer_queue(user=officer).values_list("number", flat=True))
        == queued
    )
    assert card_selectors.LabourCard.objects.count() == 3
    assert Licence.objects.count() == 1
    assert VisaReservation.objects.count() == dataset.RESERVED_VISAS
