"""Benchmark: recomputing every establishment's Omanisation share against one grouped count.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mp_omanisation_bench \
        .venv/bin/python bench/omanisation_recompute.py [--rounds 3]

The target (issue 14): `registry.services.omanisation_recompute_all` over the national dataset
(`manage.py seed --employers 180000 --workers 2000000`) takes at most 10x the time of one
`SELECT establishment_id, count(*) ... GROUP BY establishment_id` over the employment ledger,
measured in one run on the same database.

Each round times, in this order:
- the grouped count alone, its rows fetched (the baseline);
- the recompute when every establishment's stored figures are wrong (set to zero and vacuumed
  beforehand, untimed): every one of the 180,000 rows is rewritten, the worst case;
- the recompute when the figures are already right (a repair sweep): the same grouped count,
  compared, nothing written.
The median of each over the rounds is printed with its ratio to the baseline; the stored
figures are then checked against the grouped count. The database must be PostgreSQL, migrated
and seeded; the script changes only the derived figures, which it leaves right.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "manpower.settings")

TARGET = 10.0
GROUPED = """
SELECT establishment_id, count(*) FROM {employment}
 WHERE status = 'ACTIVE' AND establishment_id IS NOT NULL
 GROUP BY establishment_id
"""


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    from manpower.registry.models import Employment, Establishment, EstablishmentWorkforce
    from manpower.registry.services import omanisation_recompute_all

    assert connection.vendor == "postgresql", "run it on PostgreSQL (DATABASE_URL)"
    figures = EstablishmentWorkforce._meta.db_table
    grouped_sql = GROUPED.format(employment=Employment._meta.db_table)
    establishments = Establishment.objects.count()
    employments = Employment.objects.filter(status=Employment.Status.ACTIVE).count()
    print(f"{establishments:,} establishments, {employments:,} active employments")

    def grouped() -> list[tuple[int, int]]:
        with connection.cursor() as cursor:
            cursor.execute(grouped_sql)
            return cursor.fetchall()

    def spoil() -> None:
        """Every stored figure wrong, and the dead rows vacuumed away (untimed)."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {figures} SET nationals = 0, workforce = 0, share_permyriad = 0"
            )
        connection.cursor().execute(f"VACUUM {figures}")

    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {Employment._meta.db_table}, {figures}")
    omanisation_recompute_all()  # the figures right before the first round
    grouped()  # warm the cache
    results: dict[str, list[float]] = {"grouped": [], "stale": [], "current": []}
    changed = {}
    for _round in range(args.rounds):
        results["grouped"].append(timed(grouped))
        spoil()
        results["stale"].append(timed(lambda: changed.update(stale=omanisation_recompute_all())))
        results["current"].append(
            timed(lambda: changed.update(current=omanisation_recompute_all()))
        )

    base = statistics.median(results["grouped"])
    print(f"one grouped count (SELECT ... GROUP BY, rows fetched): {base * 1000:8.0f} ms")
    for key, label in (
        ("stale", f"recompute, every figure wrong ({changed['stale']:,} rows rewritten)"),
        ("current", f"recompute, figures already right ({changed['current']:,} rewritten)"),
    ):
        median = statistics.median(results[key])
        print(f"{label}: {median * 1000:8.0f} ms  = {median / base:4.1f}x")
    worst = statistics.median(results["stale"]) / base
    print(
        f"target: at most {TARGET:g}x -> {'met' if worst <= TARGET else 'NOT met'} ({worst:.1f}x)"
    )

    stored = dict(EstablishmentWorkforce.objects.values_list("establishment_id", "workforce"))
    counted = dict(grouped())
    assert all(stored.get(pk, 0) == n for pk, n in counted.items()), "figures differ"
    assert sum(stored.values()) == sum(counted.values()), "figures differ"
    print("stored figures equal the grouped count")


if __name__ == "__main__":
    main()
