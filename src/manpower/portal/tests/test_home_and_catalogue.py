"""The public pages: home and the service catalogue, in Arabic (default) and English."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from manpower.portal.models import Service
from manpower.registry.models import Employment
from manpower.registry.tests.factories import EmploymentFactory, EstablishmentFactory

pytestmark = pytest.mark.django_db


def test_home_is_arabic_and_right_to_left_by_default(client):
    response = client.get(reverse("portal:home"))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    assert "خدمات وزارة القوى العاملة الإلكترونية" in html
    assert "تسجيل الدخول" in html


def test_home_in_english_is_left_to_right(english):
    html = english.get(reverse("portal:home")).content.decode()
    assert 'dir="ltr"' in html and 'lang="en"' in html
    assert "Ministry of Manpower e-services" in html
    assert "Sign in to the portal" in html


def test_home_shows_registry_and_catalogue_figures(english, figure):
    establishment = EstablishmentFactory()
    EstablishmentFactory(status="CLOSED")
    EmploymentFactory.create_batch(3, establishment=establishment)
    EmploymentFactory(
        establishment=establishment, status=Employment.Status.ENDED, end_date="2025-01-01"
    )
    online = Service.objects.filter(is_online=True).count()
    html = english.get(reverse("portal:home")).content.decode()
    assert figure("1", "registered") in html
    assert figure("3", "workers") in html
    assert figure(online, "e-services") in html


def test_catalogue_lists_the_seeded_services_with_fees_in_omr(english):
    response = english.get(reverse("portal:catalogue"))
    html = response.content.decode()
    assert response.status_code == 200
    assert Service.objects.count() >= 20
    for name in [
        "Licence to recruit non-national workers (commercial)",
        "Labour card renewal for non-national workers (private)",
        "Departure form",
        "Wage Protection System: salary information file",
        "Open data portal",
    ]:
        assert name in html
    assert "OMR 301.000" in html
    assert "Free" in html


def test_catalogue_in_arabic_shows_arabic_names(client):
    html = client.get(reverse("portal:catalogue")).content.decode()
    assert 'dir="rtl"' in html
    assert "ترخيص استقدام قوى عاملة غير عمانية (تجاري)" in html
    assert "دليل الخدمات" in html


def test_catalogue_filters_by_audience(english):
    html = english.get(reverse("portal:catalogue"), {"audience": "JOB_SEEKER"}).content.decode()
    assert "E-candidacy for private-sector vacancies" in html
    assert "Departure form" not in html


def test_catalogue_filters_by_channel(english):
    html = english.get(reverse("portal:catalogue"), {"channel": "SANAD"}).content.decode()
    assert "Departure form" in html
    assert "Work-abandonment report" not in html  # online only, by decision


def test_catalogue_searches_both_languages(english):
    html = english.get(reverse("portal:catalogue"), {"q": "labour card"}).content.decode()
    assert "Labour card renewal for non-national workers (commercial)" in html
    assert "Open data portal" not in html
    html = english.get(reverse("portal:catalogue"), {"q": "الشكاوى"}).content.decode()
    assert "Labour complaints" in html
    assert "Departure form" not in html


def test_catalogue_says_so_when_nothing_matches(english):
    html = english.get(reverse("portal:catalogue"), {"q": "zzzz"}).content.decode()
    assert "No service matches" in html


def test_catalogue_ignores_unknown_filter_codes(english):
    response = english.get(reverse("portal:catalogue"), {"audience": "ALIENS", "channel": "FAX"})
    assert response.status_code == 200
    assert "Departure form" in response.content.decode()


def test_catalogue_paginates_a_long_list(english, settings):
    settings.PAGE_SIZE = 5
    html = english.get(reverse("portal:catalogue")).content.decode()
    assert html.count('class="card service-card"') == 5
    assert 'rel="next"' in html
    second = english.get(reverse("portal:catalogue"), {"page": 2}).content.decode()
    assert 'rel="prev"' in second


def test_service_page_shows_fee_note_channels_and_required_data(english):
    html = english.get(reverse("portal:service", args=["LICENCE_COMMERCIAL"])).content.decode()
    assert "OMR 301.000" in html
    assert "second OMR 251.000, third OMR 201.000" in html
    assert "Sanad centres" in html and "Mobile app" in html
    assert "A valid commercial registration number" in html


def test_service_code_is_case_insensitive_in_the_url(english):
    assert english.get(reverse("portal:service", args=["departure_form"])).status_code == 200


def test_unknown_service_is_404_with_a_message_in_each_language(english):
    response = english.get(reverse("portal:service", args=["NO_SUCH"]))
    assert response.status_code == 404
    assert "No service with code NO_SUCH is in the catalogue." in response.content.decode()
    english.cookies["manpower_language"] = "ar"
    response = english.get(reverse("portal:service", args=["NO_SUCH"]))
    assert response.status_code == 404
    assert "لا توجد في الدليل خدمة بالرمز NO_SUCH." in response.content.decode()


def test_service_code_must_be_upper_case_in_the_database():
    with pytest.raises(IntegrityError):
        Service.objects.create(
            code="lower",
            name_ar="خدمة",
            name_en="Service",
            description_ar="وصف",
            description_en="Description",
            category=Service.Category.JOBS,
        )


def test_home_features_services_from_different_categories(english):
    html = english.get(reverse("portal:home")).content.decode()
    assert "Licence to recruit non-national workers (commercial)" in html
    kickers = [part.split("</p>")[0] for part in html.split('<p class="card-kicker">')[1:]]
    # One online service of each category (only online services are featured), at most six.
    categories = Service.objects.filter(is_online=True).values("category").distinct().count()
    assert len(kickers) == min(6, categories) and len(set(kickers)) == len(kickers)
    assert categories >= 3
