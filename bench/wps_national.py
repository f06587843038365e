"""Benchmark: a month of the country's salary files in one zip archive, validated and
cross-checked end to end, against polars only reading the same employee rows.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/mp_wps_national
    .venv/bin/python bench/wps_national.py --employers 18000 --workers 200000   # 10 %

The target (issue 17): the whole country (180,000 SIFs, 2,000,000 lines, a few per cent of each
error kind, one zip) checked on PostgreSQL in at most 5x the time `polars.read_csv` takes to
read the files' employee rows concatenated into one CSV, both measured in one run (10x on
SQLite); peak memory (`resource.getrusage`) under 2 GiB.

On an empty database it migrates and seeds --employers/--workers (untimed). It then makes one
SIF per establishment from the ledger (bench/wps_common.py: about 1 % of lines with each line
error kind, 0.5-1 % of files with each file error kind: a wrong total, truncated, a bad name,
not UTF-8) into one zip and the employee rows into one CSV (untimed), times the baseline (the
median of 3 reads), then the archive: `salary_archive_receive` (streamed from disk in 64 KB
pieces) and `salary_archive_check` (as its background task runs it, in one process). The
archive's files are deleted at the end, so a rerun starts alike.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from wps_common import NOW, ledger, peak_rss_mib, setup, sif, write_archive

TARGET = {"postgresql": 5.0, "sqlite": 10.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--employers", type=int, default=18_000)
    parser.add_argument("--workers", type=int, default=200_000)
    args = parser.parse_args()
    setup(employers=args.employers, workers=args.workers)

    import polars as pl
    from django.db import connection

    from manpower.core.actor import Actor, Channel
    from manpower.wages import services
    from manpower.wages.models import LineError, SalaryArchive, SalaryFile, SalaryLine

    with tempfile.TemporaryDirectory() as folder:
        zip_path, rows_path = Path(folder) / "WPS_202610.zip", Path(folder) / "rows.csv"
        started = time.perf_counter()
        rng = random.Random(2026)
        files, rows = write_archive(
            zip_path,
            (sif(cr, workers, rng=rng, errors=True) for cr, workers in ledger()),
            rows_path,
        )
        print(f"{connection.vendor}: {files} files, {rows} employee rows, zip "
              f"{zip_path.stat().st_size // 2**20} MiB, made in "
              f"{time.perf_counter() - started:.1f} s")  # fmt: skip

        def baseline() -> float:
            started = time.perf_counter()
            frame = pl.read_csv(rows_path, has_header=False, infer_schema=False)
            assert frame.height == rows
            return time.perf_counter() - started

        read = statistics.median(baseline() for _ in range(3))
        print(f"baseline: polars.read_csv of the rows (as text): {read:.3f} s")

        actor = Actor(channel=Channel.PARTNER, label="partner:central-bank")
        started = time.perf_counter()
        with open(zip_path, "rb") as body:
            archive, _new = services.salary_archive_receive(
                actor=actor,
                file_name=zip_path.name,
                chunks=iter(lambda: body.read(65536), b""),
                now=NOW,
            )
        received = time.perf_counter() - started
        archive = services.salary_archive_check(actor=actor, archive_id=archive.pk, now=NOW)
        total = time.perf_counter() - started
    errors = LineError.objects.filter(file__archive=archive).count()
    print(f"archive: received in {received:.2f} s, checked end to end in {total:.1f} s: "
          f"{archive.files_total} files ({len(archive.refused)} members refused), "
          f"{archive.lines_checked} lines, {errors} errors, status {archive.status}")  # fmt: skip
    ratio = total / read
    print(f"ratio {ratio:.0f}x (target {TARGET[connection.vendor]:.0f}x); "
          f"{archive.lines_checked / total:,.0f} lines/s; peak RSS {peak_rss_mib():.0f} MiB "
          "(target < 2048)")  # fmt: skip
    files = SalaryFile.objects.filter(archive=archive)
    LineError.objects.filter(file__in=files).delete()
    SalaryLine.objects.filter(file__in=files).delete()
    files.delete()
    SalaryArchive.objects.filter(pk=archive.pk).delete()


if __name__ == "__main__":
    main()
