"""The browser as the judge: Playwright drives Debian's chromium (launched by path; nothing is
downloaded) against pytest-django's live server, on PostgreSQL in CI.

Every page a journey visits goes through `check_page`, which looks at it in Arabic and in
English, at 1366 px and at 390 px: axe-core finds no serious or critical violation, the page is
no wider than the screen, and no text of the other language shows outside proper names. With
SCREENSHOTS=1 (`make screenshots`) it also saves each of the four views into docs/screenshots/.

The journeys' data is made with the project's own factories and services, as the other tests do.
"""

from __future__ import annotations

import importlib
import os
import re
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Page, sync_playwright

from manpower.licensing.tests.conftest import simulator  # noqa: F401  (the partner simulators)

# Playwright's sync API keeps an event loop in the test's thread; the test's own database calls
# (factories, fixtures) are plain synchronous calls all the same.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HERE = Path(__file__).parent
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = HERE.parent.parent / "docs" / "screenshots"
SIZES = {"desktop": 1366, "phone": 390}
PASSWORD = "correct-horse-battery-9"  # the password of every UserFactory user

# Text of the other language: on an Arabic page two Latin words in a row, on an English page two
# Arabic words in a row. Not counted: text inside <bdi>, an element marked dir="ltr" or with a
# lang of its own (a proper name, a code, the language switch), the site's .ltr-data (CSS
# direction: ltr, unicode-bidi: isolate), <code>, and what is not shown.
# One foreign word is allowed (an abbreviation such as "PDF" or "OMR"), and so are codes
# (INV-…, WP-…: letters joined to digits or hyphens read as one left-to-right run); two words in
# a row are a sentence or a name that should have been translated or isolated.
OTHER_LANGUAGE_JS = """
(lang) => {
  const foreign = lang === "ar"
    ? /(?<![\\w-])[A-Za-z]{2,},?\\s+[A-Za-z]{2,}(?![\\w-])/
    : /[\\u0600-\\u06FF]{2,}[\\s،]+[\\u0600-\\u06FF]{2,}/;
  const skip = "bdi, .ltr-data, [dir=ltr], [dir=rtl]:not(html), [lang]:not(html), code, "
    + "script, style, "
    + "noscript, template, [hidden], .visually-hidden";
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    if (!text || !foreign.test(text)) continue;
    const element = node.parentElement;
    const hidden = element.offsetParent === null && element.tagName !== "BODY";
    if (hidden || element.closest(skip)) continue;
    found.push(text.slice(0, 80));
  }
  for (const element of document.querySelectorAll("input[placeholder], [aria-label], [title]")) {
    if (element.closest(skip)) continue;
    for (const attr of ["placeholder", "aria-label", "title"]) {
      const value = element.getAttribute(attr);
      if (value && foreign.test(value)) found.push(`${attr}: ${value}`);
    }
  }
  return found;
}
"""

AXE_JS = """
async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => {
      const where = v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ");
      return `${v.id} (${v.impact}): ${where}`;
    });
}
"""


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def served_as_in_development(settings):
    """The live server serves static files from the apps (no collectstatic in a test run)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def seeded(transactional_db):
    """What the migrations seed (agencies, fees, services, lookups), again after each journey's
    flush: a journey that ran first must not take another's reference data with it."""
    for migration, function in (
        ("integration.migrations.0002_seed_agencies", "seed"),
        ("payments.migrations.0002_seed_fee_schedule", "seed"),
        ("payments.migrations.0005_seed_licence_fee_categories", "seed"),
        ("portal.migrations.0002_seed_services", "seed"),
        ("jobs.migrations.0002_qualification_levels", "seed"),
        ("colleges.migrations.0002_seed_colleges", "seed"),
        ("labourcare.migrations.0002_complaint_categories", "load"),
        ("labourcare.migrations.0004_seed_objection_fine_fee", "seed"),
        ("wages.migrations.0002_seed_banks", "load"),
        ("wages.migrations.0006_seed_fine_fee", "seed"),
    ):
        getattr(importlib.import_module(f"manpower.{migration}"), function)(django_apps, None)


class Browser:
    """One visitor's browser on the live server; `check` judges the page it is on."""

    def __init__(self, page: Page, base_url: str, journey: str) -> None:
        self.page = page
        self.base_url = base_url
        self.journey = journey
        self.visited = 0

    def open(self, path: str) -> Page:
        self.page.goto(self.base_url + path)
        self.check()
        return self.page

    def sign_in(self, username: str, code: str | None = None) -> None:
        self.open("/accounts/sign-in/")
        self.page.fill("input[name=identifier]", username)
        self.page.fill("input[name=password]", PASSWORD)
        self.page.locator("main form button[type=submit]").click()
        if code is not None:
            self.check()
            self.page.fill("input[name=code]", code())
            self.page.locator("main form button[type=submit]").click()
        self.page.wait_for_url(re.compile(r"/dashboard/$"))
        self.check()

    def submit(self, form: str = "main form.stacked, main form.card") -> None:
        self.page.locator(form).first.locator("button[type=submit]").last.click()
        self.page.wait_for_load_state()

    def check(self) -> None:
        check_page(self.page, f"{self.journey}-{self.visited:02d}")
        self.visited += 1


def language_of(page: Page) -> str:
    return page.evaluate("document.documentElement.lang")


def switch_language(page: Page, language: str) -> None:
    """The header's language button (it keeps the choice on a signed-in user's account)."""
    if language_of(page) != language:
        page.locator(f".language-switch button[name=language][value={language}]").click()
        page.wait_for_load_state()
        assert language_of(page) == language


def axe_violations(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate(AXE_JS)


@pytest.fixture
def axe():
    """`axe_violations`, for a test that judges a state `check_page` does not see (an open list)."""
    return axe_violations


def check_page(page: Page, name: str) -> None:
    """The page as it is, in both languages and at both widths; then back to where it was."""
    started_in = language_of(page)
    problems = []
    for language in (started_in, "en" if started_in == "ar" else "ar"):
        switch_language(page, language)
        for size, width in SIZES.items():
            page.set_viewport_size({"width": width, "height": 900})
            where = f"{page.url} [{language}, {width}px]"
            wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if wide > 0:
                problems.append(f"{where}: {wide}px wider than the screen")
            foreign = page.evaluate(OTHER_LANGUAGE_JS, language)
            if foreign:
                problems.append(f"{where}: text of the other language: {foreign}")
            for violation in axe_violations(page):
                problems.append(f"{where}: axe {violation}")
            if os.environ.get("SCREENSHOTS"):
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=SCREENSHOTS / f"{name}-{language}-{size}.png", full_page=True)
    switch_language(page, started_in)
    page.set_viewport_size({"width": SIZES["desktop"], "height": 900})
    assert not problems, "\n".join(problems)


@pytest.fixture
def visitor(browser, live_server, request):
    """A fresh browser context (no cookies) at desktop width, Arabic first as most users."""
    context = browser.new_context(  # bypass_csp: axe is injected inline (the site allows none)
        viewport={"width": SIZES["desktop"], "height": 900}, locale="ar-OM", bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield Browser(page, live_server.url, request.node.name.removeprefix("test_"))
    context.close()
