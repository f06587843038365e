"""Evidence files: type by content, not by name; size and number limits; stored on disk, not in
the rows; downloadable by the parties and the complaint's officers only."""

from __future__ import annotations

import pytest
from django.test import Client

from manpower.labourcare import services, storage
from manpower.labourcare.models import ComplaintEvidence
from manpower.registry.tests.factories import UserFactory

from .conftest import EXE, PDF, PNG

pytestmark = pytest.mark.django_db


def _attach(actor, complaint, now, *files):
    return services.evidence_attach(actor=actor, now=now, complaint=complaint, files=list(files))


def test_a_pdf_and_a_png_are_kept_on_disk_by_their_content(
    file_complaint, worker_actor, now, settings
):
    complaint = file_complaint(evidence=[("payslip.pdf", [PDF])])
    _attach(worker_actor, complaint, now, ("photo.png", [PNG]))
    kinds = list(complaint.evidence.values_list("content_type", flat=True))
    assert kinds == ["application/pdf", "image/png"]
    first = complaint.evidence.first()
    assert (storage.evidence_dir() / first.sha256).read_bytes() == PDF


def test_a_renamed_executable_is_refused_and_nothing_is_kept(file_complaint, worker_actor, now):
    complaint = file_complaint()
    with pytest.raises(services.EvidenceTypeRefused) as refused:
        _attach(worker_actor, complaint, now, ("payslip.pdf", [EXE]))
    assert refused.value.status == 415
    assert not ComplaintEvidence.objects.exists()
    assert not any(storage.evidence_dir().iterdir())


def test_a_refused_file_refuses_the_complaint_it_came_with(file_complaint):
    from manpower.labourcare.models import Complaint

    with pytest.raises(services.EvidenceTypeRefused):
        file_complaint(evidence=[("ok.pdf", [PDF]), ("virus.jpg", [EXE])])
    assert not Complaint.objects.exists()


def test_an_oversized_file_is_refused(file_complaint, worker_actor, now, settings):
    settings.COMPLAINT_EVIDENCE_MAX_BYTES = 1024
    complaint = file_complaint()
    with pytest.raises(services.EvidenceTooLarge) as refused:
        _attach(worker_actor, complaint, now, ("big.pdf", [PDF, b"x" * 1024]))
    assert refused.value.status == 413
    assert not ComplaintEvidence.objects.exists()


def test_at_most_ten_files_per_complaint(file_complaint, worker_actor, now):
    complaint = file_complaint()
    files = [(f"{n}.pdf", [PDF + str(n).encode()]) for n in range(10)]
    _attach(worker_actor, complaint, now, *files)
    with pytest.raises(services.TooManyEvidenceFiles):
        _attach(worker_actor, complaint, now, ("eleventh.pdf", [PDF + b"11"]))
    assert complaint.evidence.count() == 10


def test_the_same_file_twice_is_refused(file_complaint, worker_actor, now):
    complaint = file_complaint(evidence=[("a.pdf", [PDF])])
    with pytest.raises(services.EvidenceAlreadyAttached):
        _attach(worker_actor, complaint, now, ("again.pdf", [PDF]))


def test_only_the_parties_add_evidence_and_not_to_a_closed_complaint(
    file_complaint, worker_actor, now
):
    from manpower.core.actor import Actor

    complaint = file_complaint()
    stranger = Actor.for_user(UserFactory(civil_number="61234567"))
    with pytest.raises(services.NotComplainant):
        _attach(stranger, complaint, now, ("a.pdf", [PDF]))
    services.complaint_withdraw(actor=worker_actor, now=now, complaint=complaint)
    with pytest.raises(services.ComplaintStatusConflict):
        _attach(worker_actor, complaint, now, ("a.pdf", [PDF]))


def test_the_parties_and_the_officer_download_another_party_cannot(
    file_complaint, worker, representative, officer
):
    complaint = file_complaint(evidence=[("payslip.pdf", [PDF])])
    evidence = complaint.evidence.get()
    url = f"/labour-care/complaints/{complaint.number}/evidence/{evidence.pk}"
    for user in (worker, representative, officer):
        client = Client()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
    other_worker = UserFactory(civil_number="61234567")
    client = Client()
    client.force_login(other_worker)
    assert client.get(url).status_code == 404
    api = client.get(f"/api/v1/complaints/{complaint.number}/evidence/{evidence.pk}")
    assert api.status_code == 404
    assert api.json()["code"] == "complaint_not_found"
