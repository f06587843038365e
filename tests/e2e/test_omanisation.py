"""The Omanisation compliance certificate in the browser: a representative whose establishment
falls short is told why with the figures; one that meets its share requests the certificate,
sees it and opens its verification page. Every page is checked in Arabic and English."""

from manpower.licensing.tests.test_applications import employer
from manpower.registry.models import Establishment
from manpower.registry.tests.factories import RepresentationFactory


def test_omanisation_certificate_refused_then_issued_and_verified(visitor):
    compliant, representative = employer(nationals=2, non_nationals=8)
    short, _other = employer(nationals=0, non_nationals=3)
    RepresentationFactory(user=representative, establishment=short)
    visitor.sign_in(representative.username)
    page = visitor.page

    visitor.open("/licences/omanisation/")
    page.locator(f"a[href='/licences/omanisation/{short.cr_number}/']").click()
    page.wait_for_load_state()
    visitor.check()
    visitor.submit("main form")
    summary = page.locator(".error-summary")
    assert summary.is_visible() and "10%" in summary.inner_text()
    visitor.check()

    visitor.open(f"/licences/omanisation/{compliant.cr_number}/")
    visitor.submit("main form")
    number = page.locator("dl.facts bdi").first.inner_text()
    assert number.startswith("OC-")
    assert page.locator(".messages").is_visible()
    visitor.check()

    with page.expect_navigation():
        page.locator("a[href^='/verify/']").click()
    assert number in page.content()
    visitor.check()
    assert Establishment.objects.get(pk=compliant.pk).omanisation_certificates.count() == 1
