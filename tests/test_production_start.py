"""Production start-up (`DEBUG=0`) and the browser-side policies of the portal.

A missing secret stops manage.py (and granian, and the task worker: they all import the
settings first) at once with one line naming it, instead of a KeyError traceback or a failure
when a document is first signed."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
SECRETS = {
    "SECRET_KEY": "production-test-" + "q7Zx" * 12,
    "ALLOWED_HOSTS": "manpower.example",
    "DOCUMENTS_SIGNING_KEY": "dGVzdC1vbmx5LWRvY3VtZW50LXNpZ25pbmcta2V5ISE=",
    "AUDIT_CHECKPOINT_KEY": "dGVzdC1vbmx5LWF1ZGl0LWNoZWNrcG9pbnQta2V5ISE=",
    "PAYMENTS_SANDBOX_SECRET": "production-test-sandbox-secret",
}


def manage(*args: str, tmp_path: Path, **environment: str) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ["PATH"],
        "DEBUG": "0",
        "MANPOWER_VAR_DIR": str(tmp_path),
        **environment,
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_any_secret_the_process_stops_with_one_line_naming_them(tmp_path):
    result = manage("check", tmp_path=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Manpower cannot start with DEBUG=0: set SECRET_KEY, ALLOWED_HOSTS, "
        "DOCUMENTS_SIGNING_KEY, AUDIT_CHECKPOINT_KEY, PAYMENTS_SANDBOX_SECRET in the "
        "environment (see docs/deployment.md)."
    ]
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize("missing", ["DOCUMENTS_SIGNING_KEY", "AUDIT_CHECKPOINT_KEY"])
def test_a_signing_key_is_checked_at_start_not_at_first_use(tmp_path, missing):
    given = {name: value for name, value in SECRETS.items() if name != missing}
    result = manage("check", tmp_path=tmp_path, **given)
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert f"set {missing} in the environment" in line


def test_with_every_secret_check_deploy_is_clean(tmp_path):
    result = manage("check", "--deploy", tmp_path=tmp_path, **SECRETS)
    assert (result.returncode, result.stderr) == (0, "")
    assert "System check identified no issues" in result.stdout


@pytest.mark.django_db
def test_portal_pages_forbid_inline_scripts_styles_and_unused_features(client):
    response = client.get("/")
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_the_api_documentation_loads_its_scripts_from_the_site(client):
    html = client.get("/api/v1/docs").content.decode()
    sources = re.findall(r'<script[^>]*src="([^"]+)"', html)
    assert sources and all(
        source.startswith(settings.STATIC_URL) or source.startswith("/") for source in sources
    )
    assert not re.search(r"<script(?![^>]*(src=|application/json))[^>]*>", html)


INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|javascript:", re.I)


def test_no_template_has_an_inline_script_style_or_event_handler():
    """The CSP would block them in the browser; this finds them before a user does."""
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "src" / "manpower").rglob("templates/**/*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if INLINE.search(line)
    ]
    assert found == []
