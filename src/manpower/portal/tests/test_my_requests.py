"""My requests (page and API) and the dashboard's alerts: every request of the user's
establishments across services, with its next step and link, never another employer's."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from manpower.accounts.models import Department, Role
from manpower.core.actor import Actor
from manpower.labourcards import services as card_services
from manpower.licensing.models import Kind, LicenceApplication
from manpower.licensing.tests.factories import make_licence
from manpower.payments import services as payment_services
from manpower.payments.gateways import SANDBOX
from manpower.payments.services import invoice_create
from manpower.registry.tests.factories import (
    EmploymentFactory,
    EstablishmentFactory,
    PersonFactory,
    RepresentationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

REQUESTS = reverse("portal:requests")
API = "/api/v1/requests"


def representative_of(establishment, username):
    user = UserFactory(username=username, role=Role.ESTABLISHMENT_REP, language="en")
    RepresentationFactory(user=user, establishment=establishment)
    return user


def application(establishment, status, number):
    return LicenceApplication.objects.create(
        number=number,
        kind=Kind.COMMERCIAL,
        establishment=establishment,
        applicant=UserFactory(),
        status=status,
        omanisation_met=True,
        submitted_at=timezone.now() - dt.timedelta(days=1),
    )


@pytest.fixture
def ours():
    return EstablishmentFactory(name_en="Al Noor Trading", name_ar="النور للتجارة")


@pytest.fixture
def theirs():
    return EstablishmentFactory(name_en="Other Works", name_ar="أعمال أخرى")


@pytest.fixture
def employer(client, ours, theirs):
    """Our establishment has an issued licence, an approved application to pay, a labour card
    request and its invoice; the other establishment has its own application and invoice."""
    actor = Actor.system("test")
    now = timezone.now()
    make_licence(establishment=ours, number="WP-OURS00001")
    application(ours, LicenceApplication.Status.AWAITING_PAYMENT, "LA-OURS000002")
    worker = EmploymentFactory(person=PersonFactory(), establishment=ours)
    card_services.card_issue_request(actor=actor, now=now, employment=worker, kind="COMMERCIAL")
    application(theirs, LicenceApplication.Status.IN_REVIEW, "LA-THEIRS0001")
    invoice_create(
        actor=actor, now=now, service_code="DEPARTURE_FORM", payer_cr_number=theirs.cr_number
    )
    representative_of(theirs, "other-rep")
    user = representative_of(ours, "our-rep")
    client.force_login(user)
    return user


def pay_in_sandbox(*, actor, invoice, now):
    session = payment_services.payment_session_start(actor=actor, now=now, invoice=invoice)
    _charge, callback = payment_services.sandbox_charge(
        now=now, session=session, card_number="4111 1111 1111 1111"
    )
    payment_services.gateway_callback_receive(
        actor=actor, now=now, gateway=SANDBOX, body=callback.body, signature=callback.signature
    )


def page(client, **query):
    response = client.get(REQUESTS, query)
    assert response.status_code == 200
    return response.content.decode()


def test_every_request_of_the_establishment_shows_with_its_next_step_and_link(client, employer):
    html = page(client)
    assert "LA-OURS000002" in html and "Pay the licence fee" in html
    assert reverse("licensing:application", args=["LA-OURS000002"]) in html
    assert "Licence issued" in html and "See the licence" in html
    assert "Labour card issue" in html and "Pay the invoice" in html
    assert html.count("Pay online or at a Sanad centre") == 1  # the card request's invoice
    assert "Al Noor Trading" in html


def test_another_establishments_requests_never_show(client, employer, theirs):
    html = page(client)
    assert "LA-THEIRS0001" not in html and "Other Works" not in html
    assert client.get(REQUESTS, {"establishment": theirs.cr_number}).status_code == 404
    api = client.get(API).json()
    assert all(item["establishment"] != "Other Works" for item in api["items"])
    assert "LA-THEIRS0001" not in str(api)
    assert client.get(API, {"cr_number": theirs.cr_number}).status_code == 404


def test_requests_are_filtered_by_kind_and_state(client, employer):
    invoices = page(client, kind="INVOICE")
    assert "Pay online or at a Sanad centre" in invoices and "LA-OURS000002" not in invoices
    closed = page(client, state="CLOSED")
    assert "Licence issued" in closed and "LA-OURS000002" not in closed
    assert "No request matches." in page(client, kind="TRANSFER")


def test_requests_are_paged(client, employer, settings):
    settings.PAGE_SIZE = 2
    assert "Page 1 of 2" in page(client)
    assert "Page 2 of 2" in page(client, page="2")
    assert "Page 2 of 2" in page(client, page="999999999999")  # past the end: the last page


def test_the_api_answers_the_same_requests_paged(client, employer):
    answer = client.get(API, {"limit": 2}).json()
    assert answer["count"] == 4
    assert len(answer["items"]) == 2
    kinds = {item["kind"] for item in client.get(API).json()["items"]}
    assert kinds == {"LICENCE_APPLICATION", "CARD_REQUEST", "INVOICE"}
    paying = client.get(API, {"kind": "LICENCE_APPLICATION", "state": "OPEN"}).json()
    assert [(i["number"], i["next_step"], i["needs_user"]) for i in paying["items"]] == [
        ("LA-OURS000002", "Pay the licence fee", True)
    ]
    assert client.get(API, {"offset": 1000}).json()["items"] == []
    assert client.get(API, {"offset": 10**12}).status_code == 422  # past core.api.MAX_OFFSET
    bad = client.get(API, {"kind": "NOPE"})
    assert bad.status_code == 422


def test_a_page_reads_only_its_own_rows_whatever_the_number_of_requests(client, employer, ours):
    """The database pages the union of every service's requests: the same queries for a
    handful of requests as for many, and the oldest page holds the oldest request."""

    def queries(**query):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(API, {"limit": 2, **query}).status_code == 200
        return len(captured)

    few = queries()
    for n in range(30):
        application(ours, LicenceApplication.Status.IN_REVIEW, f"LA-MANY{n:06d}")
    assert queries() <= few
    everything = client.get(API, {"limit": 100}).json()
    assert everything["count"] == 34
    paged = []
    for offset in range(0, 34, 5):
        paged += client.get(API, {"limit": 5, "offset": offset}).json()["items"]
    assert paged == everything["items"]  # pages neither repeat nor skip a request
    dates = [item["date"] for item in paged]
    assert dates == sorted(dates, reverse=True)


def test_the_api_needs_a_signed_in_user(client):
    assert client.get(API).status_code in (401, 403)


def test_the_dashboard_alerts_with_an_action_each(client, employer, ours):
    ours.chamber_expiry_date = timezone.localdate() - dt.timedelta(days=3)
    ours.save()
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert "Needs your attention" in html
    assert "The Chamber of Commerce membership of Al Noor Trading expired on" in html
    assert reverse("portal:establishment", args=[ours.cr_number]) in html
    assert "1 invoice is waiting to be paid." in html
    assert f'href="{reverse("payments:invoices")}"' in html
    assert "Licence application LA-OURS000002: Pay the licence fee." in html
    assert reverse("licensing:application", args=["LA-OURS000002"]) in html


def a_card_due(establishment):
    worker = EmploymentFactory(person=PersonFactory(), establishment=establishment)
    issued_at = timezone.now() - dt.timedelta(days=720)
    actor = Actor.system("test")
    request = card_services.card_issue_request(
        actor=actor, now=issued_at, employment=worker, kind="COMMERCIAL"
    )
    pay_in_sandbox(actor=actor, invoice=request.invoice, now=issued_at)
    card_services.card_request_complete(actor=actor, now=issued_at, request=request)


def test_cards_due_for_renewal_are_an_alert(client, employer, ours):
    a_card_due(ours)

    html = client.get(reverse("portal:dashboard")).content.decode()
    assert "Al Noor Trading: 1 labour card is due for renewal or has expired." in html
    assert reverse("labourcards:cards", args=[ours.cr_number]) in html


@pytest.mark.parametrize(
    ("language", "cards", "expected"),
    [
        ("en", 1, "Al Noor Trading: 1 labour card is due for renewal or has expired."),
        ("en", 3, "Al Noor Trading: 3 labour cards are due for renewal or have expired."),
        ("ar", 1, "النور للتجارة: بطاقة عمل واحدة مستحقة التجديد أو منتهية."),
        ("ar", 2, "النور للتجارة: بطاقتا عمل مستحقتا التجديد أو منتهيتان."),
        ("ar", 3, "النور للتجارة: 3 بطاقات عمل مستحقة التجديد أو منتهية."),
    ],
)
def test_the_cards_alert_counts_in_the_plural_of_the_users_language(
    client, employer, ours, language, cards, expected
):
    for _ in range(cards):
        a_card_due(ours)
    employer.language = language
    employer.save()
    assert expected in client.get(reverse("portal:dashboard")).content.decode()


@pytest.mark.parametrize(
    ("language", "waiting", "expected"),
    [
        ("en", 1, "1 licence application is waiting for a decision."),
        ("en", 2, "2 licence applications are waiting for a decision."),
        ("ar", 1, "طلب ترخيص واحد ينتظر القرار."),
        ("ar", 2, "طلبا ترخيص ينتظران القرار."),
        ("ar", 4, "4 طلبات ترخيص تنتظر القرار."),
    ],
)
def test_the_officers_alert_counts_in_the_plural_of_the_users_language(
    client, theirs, language, waiting, expected
):
    for n in range(waiting):
        application(theirs, LicenceApplication.Status.IN_REVIEW, f"LA-WAITING00{n}")
    officer = UserFactory(role=Role.OFFICER, department=Department.LICENSING, language=language)
    client.force_login(officer)
    assert expected in client.get(reverse("portal:dashboard")).content.decode()


def test_the_establishment_page_flags_an_expiring_membership_in_arabic_too(client, employer, ours):
    ours.chamber_expiry_date = timezone.localdate() + dt.timedelta(days=10)
    ours.save()
    url = reverse("portal:establishment", args=[ours.cr_number])
    assert "renew it with the Chamber of Commerce and Industry" in client.get(url).content.decode()
    employer.language = "ar"
    employer.save()
    assert "غرفة تجارة وصناعة عمان" in client.get(url).content.decode()


def test_an_officer_is_told_of_applications_waiting(client, theirs):
    application(theirs, LicenceApplication.Status.IN_REVIEW, "LA-WAITING001")
    officer = UserFactory(role=Role.OFFICER, department=Department.LICENSING, language="en")
    client.force_login(officer)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert "1 licence application is waiting for a decision." in html
    assert f'href="{reverse("licensing:queue")}"' in html


def test_the_dashboard_alerts_take_as_many_queries_for_many_establishments(
    client, employer, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("portal:dashboard"))
    for n in range(5):
        establishment = EstablishmentFactory()
        RepresentationFactory(user=employer, establishment=establishment)
        application(establishment, LicenceApplication.Status.AWAITING_PAYMENT, f"LA-MANY0000{n}")
    with django_assert_max_num_queries(len(few) + 2):  # the applications' prefetched lines
        html = client.get(reverse("portal:dashboard")).content.decode()
    assert "LA-MANY00004" in html
