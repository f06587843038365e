"""Reports people open in a spreadsheet, streamed as CSV text in pieces."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence

from django.db.models import QuerySet


def csv_pieces(rows: QuerySet, columns: Sequence[tuple[str, str]]) -> Iterator[str]:
    """The rows' `columns` (attribute, label) as CSV: UTF-8 with a byte-order mark, so that
    Excel shows the Arabic, a header of the labels, an empty cell for a missing value, and a
    piece every 500 rows so that a large report streams without being held in memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flushed() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow([str(label) for _attribute, label in columns])
    yield "\ufeff" + flushed()
    values = rows.values_list(*(attribute for attribute, _label in columns))
    for number, row in enumerate(values.iterator(chunk_size=2000), start=1):
        writer.writerow(["" if value is None else value for value in row])
        if number % 500 == 0:
            yield flushed()
    yield flushed()
