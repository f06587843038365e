"""The README's tables of settings tell the truth: every `Setting` an app's `conf.py` declares
is listed with its default, and the table of rules lists nothing that is not declared."""

import ast
import json
import re
from pathlib import Path

from manpower.core.conf import declared_settings

README = Path(__file__).resolve().parents[4] / "README.md"
RULES_INTRO = "Rules that change by ministerial decision"


def _tables() -> tuple[list[str], list[str]]:
    """The rows of the Configuration table (environment variables, some of them rules too) and
    of the table of rules."""
    text = README.read_text(encoding="utf-8")
    configuration = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    before, rules = configuration.split(RULES_INTRO, 1)
    return _rows(before), _rows(rules)


def _rows(text: str) -> list[str]:
    table = re.search(r"(?:^\|.*\|\n)+", text, re.M).group(0)
    return table.splitlines()[2:]  # after the heading and the |---| line


def _listed(rows: list[str]) -> dict[str, str]:
    """Setting name → the default the table shows; a row naming several settings shows their
    defaults in the same order, separated by commas (or one text that applies to all)."""
    listed = {}
    for row in rows:
        names_cell, defaults_cell = (cell.strip() for cell in row.strip("|").split("|")[:2])
        names = re.findall(r"`([A-Z][A-Z0-9_]*)`", names_cell)
        defaults = defaults_cell.split(", ") if len(names) > 1 else [defaults_cell]
        if len(defaults) != len(names):
            defaults = [defaults_cell] * len(names)
        listed.update(zip(names, (d.strip().strip("`") for d in defaults), strict=True))
    return listed


def _shows(shown: str, default) -> bool:
    if shown == str(default):
        return True
    for parse in (json.loads, ast.literal_eval):
        try:
            if parse(shown) == default:
                return True
        except (ValueError, SyntaxError):
            continue
    return False


def test_every_declared_setting_is_in_the_readme_with_its_default():
    configuration, rules = _tables()
    listed = {**_listed(configuration), **_listed(rules)}
    wrong = {
        setting.name: (listed.get(setting.name), setting.default)
        for setting in declared_settings()
        if setting.name not in listed or not _shows(listed[setting.name], setting.default)
    }
    assert wrong == {}, "README shows (default, declared default)"


def test_the_readme_table_of_rules_lists_only_declared_settings():
    declared = {setting.name for setting in declared_settings()}
    _configuration, rules = _tables()
    assert set(_listed(rules)) - declared == set()


def test_each_setting_is_declared_once():
    names = [setting.name for setting in declared_settings()]
    assert len(names) == len(set(names))
