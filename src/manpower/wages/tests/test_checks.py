"""The header, line and ledger rules of a salary file, through the services as a channel calls
them: receive, then the background check."""

import datetime as dt

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from manpower.core.actor import Actor, Channel
from manpower.core.audit import chain_problems
from manpower.core.models import AuditEvent
from manpower.registry.tests.factories import EmploymentFactory, EstablishmentFactory, PersonFactory
from manpower.wages import services, sif, storage
from manpower.wages.models import LineError, SalaryFile, SalaryLine
from manpower.wages.services import files

from .conftest import NAME, line, sif_text

BANK = Actor(channel=Channel.PARTNER, label="bank-muscat")


def submit(text, *, name=NAME, now=None, establishment=None):
    now = now or dt.datetime(2026, 11, 3, 6, 0, tzinfo=dt.UTC)
    data = text.encode() if isinstance(text, str) else text
    received, new = services.salary_file_receive(
        actor=BANK,
        file_name=name,
        chunks=[data[i : i + 7] for i in range(0, len(data), 7)],
        now=now,
        establishment=establishment,
    )
    if new:
        received = services.salary_file_check(actor=BANK, salary_file_id=received.pk, now=now)
    return received


def codes(salary_file):
    return sorted(
        (error.line_number or 0, error.code) for error in LineError.objects.filter(file=salary_file)
    )


def test_a_correct_file_with_labels_is_checked_without_errors_and_published(workers):
    checked = submit(
        sif_text([line(), line("61234568", name="فاطمة الحارثي", net="400", basic="400")])
    )
    assert (checked.status, checked.error_count) == ("CHECKED", 0)
    assert (checked.lines_total, checked.lines_checked) == (2, 2)
    assert (checked.salary_year, checked.salary_month) == (2026, 10)
    assert checked.lines.get(line_number=4).employee_name == "أحمد البلوشي"
    assert checked.lines.get(line_number=5).net_baisa == 400_000
    event = apps.get_model("integration", "OutboxEvent").objects.get(
        event_type="salary_file.checked"
    )
    assert event.payload["status"] == "CHECKED"
    assert chain_problems() == []
    assert AuditEvent.objects.filter(action="salary_file.checked").count() == 1


def test_a_file_without_label_rows_is_read_the_same(workers):
    text = sif_text([line(), line("61234568", net="400", basic="400")], labels=False)
    checked = submit(text)
    assert (checked.status, checked.error_count, checked.lines_total) == ("CHECKED", 0, 2)
    assert checked.lines.get(employee_id="61234568").line_number == 3


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ({"total": "999.000"}, "total_mismatch"),
        ({"records": 5}, "records_mismatch"),
        ({"month": "13"}, "salary_month_invalid"),
        ({"month": "12"}, "salary_month_future"),
        ({"payment_type": "Bonus"}, "payment_type_invalid"),
        ({"bank": "ZZZZ"}, "bank_unknown"),
        ({"cr": "7654321"}, "header_cr_mismatch"),
    ],
)
def test_a_wrong_employer_row_rejects_the_file(workers, header, code):
    rejected = submit(sif_text([line(), line("61234568", net="400", basic="400")], **header))
    assert rejected.status == "REJECTED"
    assert (2, code) in codes(rejected)
    error = rejected.errors.get(code=code)
    assert error.message_en and error.message_ar != error.message_en


def test_a_suspended_establishment_has_its_file_rejected(workers, establishment):
    type(establishment).objects.filter(pk=establishment.pk).update(status="SUSPENDED")
    assert (2, "employer_not_active") in codes(
        submit(sif_text([line(), line("61234568", net="400", basic="400")]))
    )


@pytest.mark.parametrize(
    ("cells", "code"),
    [
        ({"id_type": "X"}, "id_type_invalid"),
        ({"civil": "61A4567"}, "id_invalid"),
        ({"civil": "6123456789012345678"}, "id_too_long"),
        ({"bic": "BMUS"}, "bic_invalid"),
        ({"bic": "ABCDOMRX"}, "bic_unknown"),
        ({"account": "OM810180000001299123457"}, "iban_invalid"),
        ({"account": "1" * 31}, "account_invalid"),
        ({"frequency": "W"}, "frequency_invalid"),
        ({"net": "325.0001", "basic": "325"}, "money_invalid"),
        ({"hours": "1.005"}, "hours_invalid"),
        ({"net": "0", "basic": "325"}, "notes_required"),
        ({"days": "32"}, "working_days_invalid"),
        ({"name": ""}, "name_invalid"),
    ],
)
def test_each_line_rule_is_reported_at_its_line(workers, cells, code):
    civil = cells.pop("civil", "61234567")
    bad = line(civil, **cells)
    total = "400.000" if code in ("money_invalid",) else None
    checked = submit(sif_text([bad, line("61234568", net="400", basic="400")], total=total))
    assert (4, code) in codes(checked)
    assert checked.status == "CHECKED"  # the file stands; the line is wrong


def test_a_passport_id_and_notes_for_a_zero_salary_are_accepted(workers, establishment):
    person = PersonFactory(passport_number="K1234567")
    EmploymentFactory(establishment=establishment, person=person, start_date=dt.date(2025, 1, 1),
                      basic_wage_baisa=0)  # fmt: skip
    rows = [
        line(), line("61234568", net="400", basic="400"),
        line("K1234567", id_type="P", net="0", basic="0", notes="إجازة بدون راتب"),
    ]  # fmt: skip
    checked = submit(sif_text(rows))
    assert (checked.status, codes(checked)) == ("CHECKED", [])


def test_the_same_worker_twice_is_an_error_on_the_second_line(workers):
    checked = submit(sif_text([line(), line(), line("61234568", net="400", basic="400")]))
    assert codes(checked) == [(5, "worker_twice")]
    assert "4" in checked.errors.get().message_en


def test_a_truncated_file_is_rejected_with_its_short_line(workers):
    text = sif_text([line(), line("61234568", net="400", basic="400")])
    checked = submit(text[: text.rindex("400") + 2])
    assert checked.status == "REJECTED"
    assert (5, "line_fields") in codes(checked)
    assert (2, "total_mismatch") in codes(checked)


def test_ledger_rules_unknown_other_employer_below_wage_and_missing(workers, establishment):
    other = EstablishmentFactory()
    EmploymentFactory(establishment=other, person=PersonFactory(civil_number="71234567"),
                      start_date=dt.date(2025, 1, 1), basic_wage_baisa=300_000)  # fmt: skip
    PersonFactory(civil_number="81234567")  # in the registry, employed by nobody
    rows = [
        line(net="300", basic="300"),  # below the ledger's 325
        line("91234567"),  # nobody in the registry
        line("71234567"),  # another establishment's worker
        line("81234567"),  # not employed
    ]
    checked = submit(sif_text(rows))
    assert checked.status == "CHECKED"
    assert codes(checked) == [
        (0, "worker_missing"),
        (4, "basic_below_wage"),
        (4, "net_below_wage"),
        (5, "worker_unknown"),
        (6, "worker_other_employer"),
        (7, "worker_not_employed"),
    ]
    assert checked.errors.get(code="worker_missing").employee_id == "61234568"
    assert "325.000" in checked.errors.get(code="net_below_wage").message_en


def test_a_worker_who_left_before_the_month_is_not_missing(workers):
    workers[1].status, workers[1].end_date = "ENDED", dt.date(2026, 9, 30)
    workers[1].save()
    assert codes(submit(sif_text([line()]))) == []


def test_a_replay_by_name_or_content_answers_with_the_first_file(workers):
    first = submit(sif_text([line(), line("61234568", net="400", basic="400")]))
    again = submit(sif_text([line(), line("61234568", net="400", basic="401")]))
    same_content = submit(
        sif_text([line(), line("61234568", net="400", basic="400")]),
        name="SIF_1234567_BMUS_20261103_002.csv",
    )
    assert again.pk == first.pk == same_content.pk
    assert SalaryFile.objects.count() == 1


@pytest.mark.parametrize(
    ("data", "error", "code"),
    [
        ("الاسم".encode("cp1256"), storage.FileUnreadable, "file_not_utf8"),
        (b"1234567,\x00", storage.FileUnreadable, "invalid_characters"),
        (b"", storage.FileUnreadable, "file_empty"),
    ],
)
def test_unreadable_files_are_refused_and_nothing_is_kept(db, establishment, data, error, code):
    with pytest.raises(error) as refused:
        submit(data)
    assert refused.value.code == code
    assert SalaryFile.objects.count() == 0
    assert not list(storage.file_dir().iterdir())


def test_an_oversized_file_is_refused(db, establishment, settings):
    settings.WAGES_MAX_FILE_BYTES = 100
    with pytest.raises(storage.FileTooLarge):
        submit(sif_text([line(), line(), line()]))
    assert not list(storage.file_dir().iterdir())


def test_a_file_named_for_another_employer_is_refused_for_a_portal_user(db, establishment):
    with pytest.raises(services.OtherEmployersFile):
        submit(sif_text([line()]), establishment=EstablishmentFactory(cr_number="7654321"))


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("salaries.csv", sif.FileNameInvalid),
        ("SIF_1234567_BMUS_20261399_001.csv", sif.FileNameInvalid),
        ("SIF_1234567_BMUS_20261103_000.csv", sif.FileNameInvalid),
        ("SIF_9999999_BMUS_20261103_001.csv", services.EmployerUnknown),
        ("SIF_1234567_ZZZZ_20261103_001.csv", services.BankUnknown),
    ],
)
def test_bad_file_names_are_refused(db, establishment, name, error):
    with pytest.raises(error):
        submit(sif_text([line()]), name=name)


def test_omani_iban_check_digits():
    assert sif.iban_valid("OM810180000001299123456")
    assert not sif.iban_valid("OM820180000001299123456")
    assert not sif.iban_valid("OM81018000000129912345")


def test_a_bom_written_by_excel_is_skipped(workers):
    text = "\ufeff" + sif_text([line(), line("61234568", net="400", basic="400")])
    checked = submit(text)
    assert (checked.status, checked.error_count) == ("CHECKED", 0)


def test_the_ledger_check_does_not_query_per_line(workers):
    """The ledger is read in bulk, not row by row: a hundred times the lines costs only the
    extra statements of the bulk inserts (SQLite binds at most 999 values in one)."""

    def queries(count, serial):
        rows = [line(f"7{serial}{n:06d}") for n in range(count)]  # unknown workers
        received, _new = services.salary_file_receive(
            actor=BANK, file_name=NAME.replace("_001", f"_00{serial}"),
            chunks=[sif_text(rows).encode()], now=dt.datetime(2026, 11, 3, tzinfo=dt.UTC),
        )  # fmt: skip
        with CaptureQueriesContext(connection) as captured:
            checked = services.salary_file_check(
                actor=BANK, salary_file_id=received.pk, now=dt.datetime(2026, 11, 3, tzinfo=dt.UTC)
            )
        assert checked.error_count == count + 2  # each line unknown; both workers missing
        return len(captured.captured_queries)

    assert queries(300, 2) <= queries(3, 1) + 15


def test_a_check_stopped_half_way_is_resumed_from_the_start(workers, settings):
    from manpower.wages import tasks

    received_at = dt.datetime(2026, 11, 3, 6, 0, tzinfo=dt.UTC)
    text = sif_text([line(), line("61234568", net="400", basic="400")])
    received, _new = services.salary_file_receive(
        actor=BANK, file_name=NAME, chunks=[text.encode()], now=received_at
    )
    lost, _new = services.salary_file_receive(
        actor=BANK, file_name=NAME.replace("_001", "_002"), chunks=[text.encode() + b"\r\n"],
        now=received_at,
    )  # fmt: skip
    # A worker took the first file, stored a line, and stopped.
    started = files._check_start(actor=BANK, salary_file_id=received.pk, now=received_at)
    SalaryLine.objects.create(file=started, line_number=4, employee_id="61234567")
    later = received_at + dt.timedelta(minutes=31)
    assert services.salary_files_resume(actor=BANK, now=received_at) == []  # not stale yet
    assert services.salary_files_resume(actor=BANK, now=later) == [received.pk, lost.pk]
    for salary_file_id in (received.pk, lost.pk):
        assert tasks.salary_file_check.enqueue(salary_file_id).return_value == "CHECKED"
    received.refresh_from_db()
    assert (received.lines_checked, received.lines.count(), received.error_count) == (2, 2, 0)
    assert tasks.salary_file_check.enqueue(received.pk).return_value == "TAKEN"
    assert AuditEvent.objects.filter(action="salary_file.check_restarted").count() == 1
