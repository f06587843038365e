"""On a phone: the dashboard's alerts are boxes without a bullet hanging outside them, counted in
the plural of the page's language, and a breadcrumb that wraps never starts a line with "/"."""

import pytest
from django.utils import timezone

from manpower.core.actor import Actor
from manpower.licensing.tests.test_applications import employer
from manpower.payments.services import invoice_create

PHONE = {"width": 390, "height": 844}

ALERTS_INSIDE_THEIR_LIST_JS = """
() => [...document.querySelectorAll(".alerts > li")].map((li) => {
  const box = li.getBoundingClientRect(), list = li.parentElement.getBoundingClientRect();
  return {
    bullet: getComputedStyle(li).listStyleType,
    inside: box.left >= list.left - 0.5 && box.right <= list.right + 0.5,
  };
})
"""

# Each breadcrumb item that begins a line (the first, or one the list wrapped onto): the text it
# starts with, separators included.
LINE_STARTS_JS = """
() => {
  const items = [...document.querySelectorAll(".breadcrumbs li")];
  return items.filter((li, i) => i === 0 || li.offsetTop > items[i - 1].offsetTop)
    .map((li) => (getComputedStyle(li, "::before").content.replace(/^none$|^normal$/, "")
      .replace(/"/g, "") + li.textContent).trim());
}
"""


@pytest.mark.parametrize("language", ["ar", "en"])
def test_on_a_phone_alerts_sit_in_their_boxes_and_breadcrumbs_wrap_cleanly(visitor, language):
    establishment, representative = employer(
        name_en="Al Wadi Al Kabir General Trading and Contracting LLC",
        name_ar="شركة الوادي الكبير للتجارة العامة والمقاولات ش.م.م",
    )
    invoice_create(
        actor=Actor.system("e2e"),
        now=timezone.now(),
        service_code="DEPARTURE_FORM",
        payer_cr_number=establishment.cr_number,
    )
    representative.language = language
    representative.save()
    visitor.sign_in(representative.username)
    page = visitor.page
    page.set_viewport_size(PHONE)

    alerts = page.evaluate(ALERTS_INSIDE_THEIR_LIST_JS)
    assert alerts and all(a["bullet"] == "none" and a["inside"] for a in alerts), alerts
    expected = {"ar": "فاتورة واحدة تنتظر الدفع.", "en": "1 invoice is waiting to be paid."}
    assert expected[language] in page.locator(".alerts").inner_text()

    page.goto(f"{visitor.base_url}/labour-cards/{establishment.cr_number}/")
    starts = page.evaluate(LINE_STARTS_JS)
    assert len(starts) > 1, "the long name should wrap the breadcrumb on a phone"
    assert not any(start.startswith("/") for start in starts), starts
    visitor.check()
