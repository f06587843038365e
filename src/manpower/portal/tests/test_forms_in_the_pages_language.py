"""Forms speak the page's language: the browser's own validation (a bubble in the browser's
language, English on an Arabic page) is off on every portal form; the server's messages say
what is wrong, by the field, in the page's language."""

import re
from pathlib import Path

APPS = Path(__file__).resolve().parents[2]
FORM_TAG = re.compile(r"<form\b[^>]*>", re.S)


def test_every_form_of_the_portal_leaves_validation_to_the_server():
    without = [
        f"{template.relative_to(APPS)}: {tag}"
        for template in sorted(APPS.glob("*/templates/**/*.html"))
        if "admin" not in template.relative_to(APPS).parts  # Django's admin pages
        for tag in FORM_TAG.findall(template.read_text(encoding="utf-8"))
        if "novalidate" not in tag
    ]
    assert without == []
