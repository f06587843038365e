"""Load the reference data shipped in `data/` (UTF-8 CSV) into the reference tables.

Migrations call `load(..., apps=apps)` with their historical models, so the data does not depend on
whatever release of pycountry or any other package is installed later. Loading is idempotent:
missing rows are inserted and changed names updated in place; rows are never deleted, because
other tables point at them with PROTECT. To ship corrected data, edit the CSV file and add a
migration that calls `load` again for that dataset.
"""

import csv
from pathlib import Path

from django.apps import apps as installed_apps

DATA_DIR = Path(__file__).parent / "data"


def read(filename: str) -> list[dict[str, str]]:
    with (DATA_DIR / filename).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _nationalities() -> list[dict]:
    return read("nationalities.csv")


def _governorates() -> list[dict]:
    return read("governorates.csv")


def _wilayats() -> list[dict]:
    return [
        {
            "code": r["code"],
            "governorate_id": r["governorate"],
            "name_en": r["name_en"],
            "name_ar": r["name_ar"],
        }
        for r in read("wilayats.csv")
    ]


def _economic_activities() -> list[dict]:
    """ISIC Rev.4: sections are letters (no parent); a division's parent is its section."""
    return [
        {
            "code": r["code"],
            "level": "SECTION" if r["code"].isalpha() else "DIVISION",
            "parent_id": r["section"] or None,
            "name_en": r["name_en"],
            "name_ar": r["name_ar"],
        }
        for r in read("economic_activities.csv")
    ]


def _occupations() -> list[dict]:
    """ISCO-08: the level is the number of digits and the parent is the code less its last."""
    return [
        {
            "code": r["code"],
            "level": len(r["code"]),
            "parent_id": r["code"][:-1] or None,
            "name_en": r["name_en"],
            "name_ar": r["name_ar"],
        }
        for r in sorted(read("occupations.csv"), key=lambda r: (len(r["code"]), r["code"]))
    ]


DATASETS = {
    "nationalities": ("Nationality", _nationalities),
    "governorates": ("Governorate", _governorates),
    "wilayats": ("Wilayat", _wilayats),
    "economic_activities": ("EconomicActivity", _economic_activities),
    "occupations": ("Occupation", _occupations),
}


def load(*names: str, apps=installed_apps) -> dict[str, tuple[int, int]]:
    """Load the named datasets (all when none is named), parents before children.

    Returns {dataset: (inserted, updated)}.
    """
    result = {}
    for name in names or DATASETS:
        model_name, rows = DATASETS[name]
        result[name] = _sync(apps.get_model("core", model_name), rows())
    return result


def _sync(model, rows: list[dict]) -> tuple[int, int]:
    fields = [f for f in rows[0] if f != "code"]
    existing = model.objects.in_bulk([r["code"] for r in rows])
    new, changed = [], []
    for row in rows:
        obj = existing.get(row["code"])
        if obj is None:
            new.append(model(**row))
        elif any(getattr(obj, f) != row[f] for f in fields):
            for f in fields:
                setattr(obj, f, row[f])
            changed.append(obj)
    model.objects.bulk_create(new)
    model.objects.bulk_update(changed, fields)
    return len(new), len(changed)
