"""What the browser shows of the layout and the forms: the menu button on a phone, the licence
and data-change forms' server-side messages in the page's language, the error summary linking
to the field."""

import secrets

import pytest
from django.utils import timezone

from manpower.core import reference
from manpower.core.actor import Actor, Channel
from manpower.labourcards import services as labourcards
from manpower.licensing.tests.test_applications import employer
from manpower.payments.services import sanad_payment_record
from manpower.registry.tests.factories import EmploymentFactory, bricklayer, india


def test_on_a_phone_the_menu_folds_behind_a_keyboard_usable_button(visitor):
    establishment, representative = employer()
    visitor.sign_in(representative.username)
    page = visitor.page
    page.set_viewport_size({"width": 390, "height": 844})
    button = page.locator(".menu-button")
    menu = page.locator("#site-menu")
    assert button.is_visible() and button.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()
    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true" and menu.is_visible()
    assert page.locator("#site-menu a[aria-current=page]").is_visible()
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false" and not menu.is_visible()
    page.set_viewport_size({"width": 1366, "height": 900})
    assert not button.is_visible() and menu.is_visible()


def test_a_licence_line_with_an_unknown_occupation_says_so_in_arabic(visitor, simulator):
    establishment, representative = employer()
    bricklayer()
    india()
    visitor.sign_in(representative.username)
    visitor.open("/licences/apply/")
    page = visitor.page
    page.select_option("select[name=establishment]", establishment.cr_number)
    page.fill("input[name=line-0-occupation_code]", "9999")
    page.fill("input[name=line-0-nationality]", "IND")
    page.fill("input[name=line-0-count]", "0")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    text = summary.inner_text()
    assert "9999" in text and "لا توجد مهنة" in text  # the field and the value's problem
    assert "Enter" not in text and "valid" not in text  # no English, no browser message
    summary.locator("a[href='#id_line-0-occupation_code']").click()
    assert page.evaluate("document.activeElement.id") == "id_line-0-occupation_code"
    assert page.locator("#id_line-0-occupation_code").get_attribute("aria-invalid") == "true"
    visitor.check()


# Where the "0" and the "9" of the first "0-9" under `selector` are drawn (x of their left edges).
DIGIT_ORDER_JS = """
(selector) => {
  const walker = document.createTreeWalker(document.querySelector(selector), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const i = node.textContent.indexOf("0-9");
    if (i < 0) continue;
    const left = (k) => {
      const range = document.createRange();
      range.setStart(node, k);
      range.setEnd(node, k + 1);
      return range.getBoundingClientRect().left;
    };
    return {zero: left(i), nine: left(i + 2)};
  }
  return null;
}
"""


def a_card(establishment):
    """An issued labour card of a new worker of the establishment (its fee paid at Sanad)."""
    employment = EmploymentFactory(establishment=establishment)
    actor, now = Actor.system("e2e"), timezone.now()
    request = labourcards.card_issue_request(
        actor=actor, now=now, employment=employment, kind="COMMERCIAL"
    )
    sanad_payment_record(
        actor=Actor(channel=Channel.SANAD, label="e2e"),
        now=now,
        invoice_number=request.invoice.number,
        centre_code="S001",
        reference=secrets.token_hex(4),
        amount_baisa=request.invoice.amount_baisa,
    )
    return labourcards.card_request_complete(actor=actor, now=now, request=request).card


@pytest.mark.parametrize(
    ("language", "problem"),
    [("ar", "أرقام \u200e(0-9) فقط"), ("en", "has digits (0-9) only")],  # LRM: not "(9-0)"
    ids=["ar", "en"],
)
def test_a_bad_resident_card_number_in_the_data_change_form_is_named_by_its_field(
    visitor, language, problem
):
    establishment, representative = employer(nationals=2, non_nationals=1)
    card = a_card(establishment)
    visitor.sign_in(representative.username)
    visitor.open(f"/labour-cards/{establishment.cr_number}/cards/{card.number}/modify")
    page = visitor.page
    if language == "en":  # the header's language button
        page.locator(".language-switch button[name=language][value=en]").click()
        page.wait_for_load_state()
    page.fill("input[name=civil_number]", "12AB")
    visitor.submit()
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    link = summary.locator("a[href='#id_civil_number']")
    assert problem in link.inner_text()
    digits = page.evaluate(DIGIT_ORDER_JS, ".error-summary")
    assert digits["zero"] < digits["nine"]  # "(0-9)" on the Arabic page too, not "(9-0)"
    link.click()
    assert page.evaluate("document.activeElement.id") == "id_civil_number"
    assert page.locator("#id_civil_number").get_attribute("aria-invalid") == "true"
    assert problem in page.locator("#id_civil_number").locator("xpath=..").inner_text()
    visitor.check()


def test_the_workers_nationality_is_chosen_by_words_in_the_data_change_form(visitor):
    """The nationality select (a short list, the form without the script) becomes a search box:
    Arabic words, the keyboard, and the select holds the chosen country's code."""
    reference.load("nationalities")
    establishment, representative = employer(nationals=2, non_nationals=1)
    card = a_card(establishment)
    visitor.sign_in(representative.username)
    page = visitor.open(f"/labour-cards/{establishment.cr_number}/cards/{card.number}/modify")
    box = page.locator("#id_nationality_search")
    assert box.get_attribute("role") == "combobox" and box.input_value() == "الهند"
    assert page.locator("label[for=id_nationality_search]").inner_text() == "الجنسية"
    assert page.locator("#id_nationality").is_hidden()
    box.fill("")
    box.press_sequentially("باكس", delay=30)
    options = page.locator("#id_nationality_listbox [role=option]")
    options.first.wait_for()
    assert "باكستان" in options.first.inner_text()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert box.input_value() == "باكستان"
    assert page.locator("#id_nationality").input_value() == "PAK"
    visitor.submit()
    page.wait_for_url(f"**/labour-cards/{establishment.cr_number}/")
    card.employment.person.refresh_from_db()
    assert card.employment.person.nationality_id == "PAK"
