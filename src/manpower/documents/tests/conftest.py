import pytest

from manpower.documents.models import Document
from manpower.documents.services import DocumentField, document_issue


@pytest.fixture
def receipt_fields():
    return [
        DocumentField("invoice", "Invoice number", "رقم الفاتورة", "INV-000123", "INV-000123"),
        DocumentField(
            "payer", "Payer", "الدافع", "Al Noor Trading LLC", "شركة النور للتجارة ش.م.م"
        ),
        DocumentField("amount", "Amount paid", "المبلغ المدفوع", "OMR 201.000", "OMR 201.000"),
    ]


@pytest.fixture
def receipt(db, system_actor, now, receipt_fields):
    return document_issue(
        actor=system_actor,
        now=now,
        kind=Document.Kind.RECEIPT,
        subject_ref="INV-000123",
        fields=receipt_fields,
    )
