"""The occupation and nationality code boxes in a real browser: a person types words in Arabic
or English, moves through the matches with the keyboard, chooses one, and the line is sent with
its code. The combobox follows ARIA 1.2, passes axe while its list is open, fits a phone and
runs under the site's Content Security Policy (no inline script)."""

from __future__ import annotations

import os
import re

import pytest

from manpower.core import reference
from manpower.licensing.models import LicenceApplication
from manpower.licensing.tests.test_applications import employer

OCCUPATION = "#id_line-0-occupation_code"
NATIONALITY = "#id_line-0-nationality"


@pytest.fixture
def reference_lists():
    """The whole ISCO-08 and country lists (a browser test's flush empties them)."""
    reference.load("occupations", "nationalities")


def choose(page, box: str, words: str, option_text: str) -> None:
    """Type `words`, wait for the matches, go down to the one showing `option_text`, Enter."""
    field = page.locator(box)
    field.click()
    field.press_sequentially(words, delay=30)
    listbox = page.locator(f"{box}_listbox")
    listbox.locator("[role=option]").first.wait_for()
    assert field.get_attribute("aria-expanded") == "true"
    assert field.get_attribute("aria-controls") == listbox.get_attribute("id")
    options = listbox.locator("[role=option]")
    wanted = next(i for i in range(options.count()) if option_text in options.nth(i).inner_text())
    for _ in range(wanted + 1):
        page.keyboard.press("ArrowDown")
    active = field.get_attribute("aria-activedescendant")
    assert active == options.nth(wanted).get_attribute("id")
    assert options.nth(wanted).get_attribute("aria-selected") == "true"
    page.keyboard.press("Enter")
    assert field.get_attribute("aria-expanded") == "false" and listbox.is_hidden()


@pytest.mark.usefixtures("simulator", "reference_lists")
def test_a_licence_line_is_filled_by_choosing_words_in_arabic_and_english(visitor, axe):
    establishment, representative = employer(nationals=2, non_nationals=8)
    visitor.sign_in(representative.username)
    page = visitor.open("/licences/apply/")  # check_page: both languages, both widths
    page.select_option("select[name=establishment]", establishment.cr_number)
    occupation = page.locator(OCCUPATION)
    assert occupation.get_attribute("role") == "combobox"
    assert occupation.get_attribute("aria-autocomplete") == "list"

    # Arabic words for the occupation, with the list open on a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    occupation.click()
    occupation.press_sequentially("البناؤون", delay=30)
    page.locator(f"{OCCUPATION}_listbox [role=option]").first.wait_for()
    status = page.locator(f"{OCCUPATION}_status")
    assert status.get_attribute("role") == "status"
    assert re.search(r"النتائج المطابقة: \d+", status.inner_text())
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe(page) == []
    page.screenshot(path=os.environ.get("AUTOCOMPLETE_SHOT", "/tmp/autocomplete-ar-390.png"))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert occupation.input_value() == "7112"
    assert page.locator("#id_line-0-occupation_code_choice").inner_text() == (
        "البناؤون ومن في حكمهم"
    )
    assert "الاختيار: 7112" in status.inner_text()
    page.set_viewport_size({"width": 1366, "height": 900})

    # English words for the nationality; Escape closes the list without choosing.
    nationality = page.locator(NATIONALITY)
    nationality.click()
    nationality.press_sequentially("indi", delay=30)
    page.locator(f"{NATIONALITY}_listbox [role=option]").first.wait_for()
    page.keyboard.press("Escape")
    assert nationality.get_attribute("aria-expanded") == "false"
    assert nationality.input_value() == "indi"
    nationality.fill("")
    choose(page, NATIONALITY, "India", "الهند")
    assert nationality.input_value() == "IND"

    page.select_option("select[name=line-0-gender]", "M")
    page.fill("input[name=line-0-count]", "2")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/licences/applications/**")
    line = LicenceApplication.objects.get(establishment=establishment).lines.get()
    assert (line.occupation_id, line.nationality_id, line.requested) == ("7112", "IND", 2)
    assert "7112" in page.content()
    visitor.check()


@pytest.mark.usefixtures("reference_lists")
def test_the_code_boxes_work_in_english_and_under_the_content_security_policy(visitor, browser):
    establishment, representative = employer()
    visitor.sign_in(representative.username)
    visitor.page.locator(".language-switch button[name=language][value=en]").click()
    visitor.page.wait_for_load_state()
    # A second browser with the site's CSP enforced (the visitor's bypasses it for axe).
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.add_cookies(visitor.page.context.cookies())
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    page.goto(visitor.base_url + "/licences/apply/")
    assert page.evaluate("document.documentElement.lang") == "en"
    choose(page, OCCUPATION, "domestic clean", "Domestic cleaners and helpers")
    assert page.locator(OCCUPATION).input_value() == "9111"
    choose(page, NATIONALITY, "الهند", "India")
    assert page.locator(NATIONALITY).input_value() == "IND"
    assert violations == []
    context.close()
