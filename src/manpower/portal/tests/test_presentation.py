"""What the pages say and how, where a browser adds nothing: one word with two meanings, the
API docs' own assets, the bilingual error pages, left-to-right codes, the gold labels' contrast.
(The layout, axe and the menu button are judged in a real browser: tests/e2e.)"""

import re
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import pgettext

from manpower.licensing.tests.factories import make_licence

pytestmark = pytest.mark.django_db
CSS = Path(__file__).parents[1] / "static" / "portal" / "site.css"


def test_free_of_charge_and_free_vacancies_are_two_words_in_arabic():
    with translation.override("ar"):
        assert pgettext("fee", "Free") == "مجانية"
        assert pgettext("vacancies", "Free") == "المتاح"


def test_a_free_service_reads_free_of_charge_in_the_arabic_catalogue(client):
    html = client.get(reverse("portal:catalogue")).content.decode()
    assert "مجانية" in html and "المتاح" not in html


def test_the_api_docs_load_swagger_ui_from_this_site_not_a_cdn(client):
    html = client.get("/api/v1/docs").content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+swagger-ui[^"]*)"', html)
    assert assets and all(asset.startswith("/static/ninja/") for asset in assets)
    assert "cdn" not in html.lower()


def test_an_unknown_page_is_the_404_in_both_languages(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "الصفحة غير موجودة" in html and "Page not found" in html
    assert 'lang="en" dir="ltr"' in html


@override_settings(DEBUG=True)
def test_with_debug_on_in_the_demo_an_unknown_page_is_still_the_bilingual_404(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html and "الصفحة غير موجودة" in html
    assert "URLconf" not in html and "DEBUG = True" not in html


@override_settings(DEBUG=True, PORTAL_NOT_FOUND_PAGE_IN_DEBUG=False)
def test_a_developer_may_keep_djangos_debug_page():
    from django.test import Client

    assert "DEBUG = True" in Client().get("/no-such-page/").content.decode()


@override_settings(DEBUG=True)
def test_the_apis_keep_their_own_not_found_answer(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404 and "Page not found" not in response.content.decode()


def test_the_403_and_500_pages_are_bilingual():
    from django.template.loader import render_to_string

    for name, arabic, english in [
        ("403.html", "غير مسموح", "Not allowed"),
        ("500.html", "خطأ في الخادم", "Server error"),
    ]:
        html = render_to_string(name)
        assert arabic in html and english in html


def test_the_sandbox_test_card_numbers_are_isolated_left_to_right():
    from types import SimpleNamespace

    from django.template.loader import render_to_string

    session = SimpleNamespace(
        status="OPEN", invoice=SimpleNamespace(number="INV-1"), amount_display="OMR 1.000"
    )
    with translation.override("ar"):
        html = render_to_string("payments/sandbox_pay.html", {"session": session})
    assert '<bdi dir="ltr">4111 1111 1111 1111</bdi>' in html
    assert '<bdi dir="ltr">4000 0000 0000 0002</bdi>' in html
    assert '<form method="post" novalidate>' in html and " required" not in html


def test_the_licence_dates_are_isolated_but_stay_on_the_reading_side(client):
    from manpower.registry.tests.factories import RepresentationFactory

    licence = make_licence(issued=1)
    client.force_login(RepresentationFactory(establishment=licence.establishment).user)
    html = client.get(reverse("licensing:licence", args=[licence.number])).content.decode()
    until = licence.valid_until.strftime("%d/%m/%Y")
    assert f'<dd><span class="ltr-data">{until}</span></dd>' in html
    assert '<dd class="ltr-data">' not in html


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_the_gold_labels_meet_wcag_aa_contrast_on_white():
    css = CSS.read_text()
    gold = re.search(r"--accent-text: (#[0-9a-f]{6})", css).group(1)
    assert re.search(r"\.card-kicker \{[^}]*color: var\(--accent-text\)", css)
    ratio = (1.0 + 0.05) / (luminance(gold) + 0.05)
    assert ratio >= 4.5
