"""What the two Wage Protection benchmarks share: Django set up on the database of
DATABASE_URL (migrated and seeded here if it is empty), and salary files generated from the
employment ledger with a few per cent of each error kind."""

from __future__ import annotations

import datetime as dt
import os
import random
import resource
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "manpower.settings")

SEED_AS_OF = dt.date(2026, 11, 1)
YEAR, MONTH = 2026, 10  # the salary month: the one before the seed's day
NOW = dt.datetime(2026, 11, 3, 6, 0, tzinfo=dt.UTC)  # within the payment deadline
BIC, BANK = "BMUSOMRX", "BMUS"
# Per-line error kinds and the share of lines with each (about 1 % apiece).
LINE_ERRORS = {
    "id_invalid": 0.01, "bic_unknown": 0.01, "iban_invalid": 0.01, "money_invalid": 0.01,
    "worker_twice": 0.01, "notes_required": 0.01, "worker_unknown": 0.01,
    "net_below_wage": 0.01, "worker_missing": 0.01,
}  # fmt: skip
# Per-file error kinds and the share of files with each.
FILE_ERRORS = {
    "total_mismatch": 0.01, "truncated": 0.01, "sif_name_invalid": 0.005,
    "file_not_utf8": 0.005,
}  # fmt: skip


def setup(*, employers: int, workers: int, seed: int = 17) -> None:
    """Django, the schema, and the national seed of `employers`/`workers` if the registry is
    empty (untimed)."""
    import django

    django.setup()
    from django.core.management import call_command

    from manpower.demo.seeding import registry_is_empty, seed_registry

    call_command("migrate", verbosity=0)
    if registry_is_empty():
        result = seed_registry(employers=employers, workers=workers, seed=seed, as_of=SEED_AS_OF)
        print(f"seeded {result.establishments} establishments, {result.persons} workers "
              f"in {result.seconds:.1f} s")  # fmt: skip


def iban(serial: int) -> str:
    """A valid Omani IBAN (ISO 13616 check digits) for an account number."""
    bban = f"018{serial:016d}"
    digits = (bban + "OM00").translate({ord("O"): "24", ord("M"): "22"})
    return f"OM{98 - int(digits) % 97:02d}{bban}"


def ledger(*, limit_establishments: int | None = None) -> Iterator[tuple[str, list[tuple]]]:
    """(CR number, [(id type, ID, name, basic wage in baisa), …]) of each establishment with
    workers in the salary month, from the ledger, in one streamed query."""
    from django.db import connection

    sql = """
        SELECT s.cr_number, p.civil_number, p.passport_number, p.name_ar, p.name_en,
               e.basic_wage_baisa
          FROM registry_employment e
          JOIN registry_person p ON p.id = e.person_id
          JOIN registry_establishment s ON s.id = e.establishment_id
         WHERE e.start_date <= %s AND (e.end_date IS NULL OR e.end_date >= %s)
         ORDER BY e.establishment_id, p.civil_number
    """
    last, first = dt.date(YEAR, MONTH, 31), dt.date(YEAR, MONTH, 1)
    current, rows, count = None, [], 0
    with connection.cursor() as cursor:
        cursor.execute(sql, [last, first])
        while block := cursor.fetchmany(10_000):
            for cr, civil, passport, name_ar, name_en, wage in block:
                if cr != current:
                    if rows:
                        yield current, rows
                        count += 1
                        if limit_establishments and count >= limit_establishments:
                            return
                    current, rows = cr, []
                if civil:
                    rows.append(("C", civil, name_ar or name_en, wage))
                else:
                    rows.append(("P", passport, name_ar or name_en, wage))
    if rows:
        yield current, rows


def rials(baisa: int) -> str:
    return f"{baisa // 1000}.{baisa % 1000:03d}"


def sif(
    cr: str, workers: list[tuple], *, rng: random.Random, errors: bool
) -> tuple[str, bytes, list[str]]:
    """A SIF for the establishment's workers (its name, its bytes, its employee rows), with a
    few per cent of each error kind when `errors`."""

    def chance(kind, table=LINE_ERRORS):
        return errors and rng.random() < table[kind]

    lines, total = [], 0
    for index, (kind, worker_id, name, wage) in enumerate(workers):
        if chance("worker_missing"):
            continue
        net, basic, bic, account, notes = wage, wage, BIC, iban(index + 1), ""
        if chance("id_invalid"):
            worker_id = worker_id[:-1] + "X" if kind == "C" else worker_id.lower() + "#"
        if chance("worker_unknown"):
            worker_id = (
                f"9{rng.randrange(10**6, 10**7)}" if kind == "C" else f"Z{rng.randrange(10**7)}"
            )
        if chance("bic_unknown"):
            bic = "ABCDOMRX"
        if chance("iban_invalid"):
            account = account[:2] + f"{(int(account[2:4]) + 1) % 100:02d}" + account[4:]
        if chance("net_below_wage"):
            net = max(wage - 1000, 0)
        if chance("notes_required"):
            net = 0
        money = rials(net) + ("1" if chance("money_invalid") else "")
        total += net
        row = (f"{kind},{worker_id},R{index},{name.replace(',', ' ')},{bic},{account},M,30,"
               f"{money},{rials(basic)},0,0,0,0,{notes}")  # fmt: skip
        lines.append(row)
        if chance("worker_twice"):
            lines.append(row)
            total += net
    if chance("total_mismatch", FILE_ERRORS):
        total += 1000
    header = f"{cr},{cr},{BANK},0123456789,{YEAR},{MONTH},{rials(total)},{len(lines)},Salary"
    text = "\r\n".join([header, *lines]) + "\r\n"
    name = f"SIF_{cr}_{BANK}_{NOW:%Y%m%d}_001.csv"
    if chance("truncated", FILE_ERRORS):
        text = text[: len(text) - len(text) // 3]
    if chance("sif_name_invalid", FILE_ERRORS):
        name = f"SIF_{cr}_{NOW:%Y%m%d}.csv"
    data = text.encode()
    if chance("file_not_utf8", FILE_ERRORS):
        data = text.encode("cp1256", errors="replace")
        if data.isascii():
            data += "ملاحظة".encode("cp1256")
    return name, data, lines


def write_archive(
    path: Path, files: Iterator[tuple[str, bytes, list[str]]], rows_path: Path
) -> tuple[int, int]:
    """Write the files into one zip and their employee rows, concatenated, into one CSV (the
    baseline's input); how many files and rows."""
    count = rows = 0
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        open(rows_path, "w", encoding="utf-8") as out,
    ):
        for name, data, lines in files:
            archive.writestr(name, data)
            out.write("\n".join(lines) + "\n" if lines else "")
            count, rows = count + 1, rows + len(lines)
    return count, rows


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
