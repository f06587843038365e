"""The column-wise line rules against their one-value forms, and a file whose cells are
quoted (read by the csv module, judged like the others)."""

import random

import polars as pl

from manpower.wages import lines, sif

from .conftest import IBAN, line, sif_text


def test_the_vectorised_iban_check_agrees_with_the_one_value_check():
    rng = random.Random(17)
    accounts = [IBAN, "OM820180000001299123456", "om810180000001299123456", "OM81"]
    for _ in range(500):
        digits = "".join(rng.choice("0123456789") for _ in range(19))
        accounts.append(f"OM{digits[:2]}{digits[2:]}")
    frame = pl.DataFrame({"account": accounts})
    remainder = frame.select(lines._iban_remainder(pl.col("account").str.to_uppercase()))
    vectorised = [
        len(account) == 23 and account.isalnum() and value == 1
        for account, value in zip(accounts, remainder.to_series(), strict=True)
    ]
    assert vectorised == [sif.iban_valid(account) for account in accounts]
    assert sum(vectorised) > 0


def test_quoted_cells_are_read_by_the_csv_module_and_judged_alike(settings):
    plain = sif_text([line(), line("61234568", name="Fatma, Al Harthi", net="0")])
    quoted = plain.replace("Fatma, Al Harthi", '"Fatma, Al Harthi"')
    read = lines.read_text(quoted)
    assert read.csv and read.header[0] == 2
    judged = lines.check(lines.rows_frame([(1, read)]), bics={"BMUSOMRX"})
    assert judged.lines["employee_name"].to_list() == ["أحمد البلوشي", "Fatma, Al Harthi"]
    assert judged.findings["code"].to_list() == ["notes_required"]
    assert judged.totals == {1: (2, 325_000)}
