"""Benchmark: one establishment's salary file of 100,000 lines, from its receipt until its
error report is ready (target: 5 s).

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/mp_wps_one
    .venv/bin/python bench/wps_one_file.py [--workers 100000] [--rounds 3]

On an empty database it migrates and seeds one establishment with --workers workers (untimed).
Each round makes the establishment's file from the ledger (no errors, and a second variant
with about 1 % of each error kind), then times `salary_file_receive` (the bytes streamed in
64 KB pieces) + `salary_file_check` (as the background task runs it) + the CSV error report
read to its end. The round's file is deleted afterwards, so rounds and reruns start alike.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from wps_common import NOW, ledger, peak_rss_mib, setup, sif


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    setup(employers=1, workers=args.workers)

    from django.db import connection

    from manpower.core.actor import Actor, Channel
    from manpower.wages import selectors, services
    from manpower.wages.models import LineError, SalaryFile, SalaryLine

    actor = Actor(channel=Channel.PARTNER, label="partner:bench")
    cr, workers = max(ledger(), key=lambda item: len(item[1]))
    print(f"{connection.vendor}: establishment {cr}, {len(workers)} workers in the ledger")
    for errors in (False, True):
        times = []
        for round_number in range(args.rounds):
            name, data, lines = sif(cr, workers, rng=random.Random(round_number), errors=errors)
            started = time.perf_counter()
            received, _new = services.salary_file_receive(
                actor=actor,
                file_name=name,
                chunks=(data[i : i + 65536] for i in range(0, len(data), 65536)),
                now=NOW,
            )
            checked = services.salary_file_check(actor=actor, salary_file_id=received.pk, now=NOW)
            report = sum(len(piece) for piece in selectors.error_report_csv(salary_file=checked))
            times.append(time.perf_counter() - started)
            print(f"  {'with' if errors else 'without'} errors, round {round_number + 1}: "
                  f"{times[-1]:.2f} s, {checked.lines_total} lines, {checked.error_count} errors, "
                  f"report {report // 1024} KiB, status {checked.status}")  # fmt: skip
            LineError.objects.filter(file=checked).delete()
            SalaryLine.objects.filter(file=checked).delete()
            SalaryFile.objects.filter(pk=checked.pk).delete()
        print(f"{'with' if errors else 'without'} errors: median {statistics.median(times):.2f} s "
              f"(target 5 s)")  # fmt: skip
    print(f"peak RSS {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
