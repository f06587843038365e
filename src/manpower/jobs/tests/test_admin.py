"""The back office shows the job market read-only: lists and records open, nothing is added,
changed or deleted there."""

import pytest

from manpower.jobs.models import Vacancy
from manpower.registry.tests.test_admin import staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["vacancy", "jobseeker", "candidacy", "qualificationlevel"])
def test_the_lists_open_and_nothing_is_added(client, model):
    staff(client)
    assert client.get(f"/admin/jobs/{model}/").status_code == 200
    assert client.get(f"/admin/jobs/{model}/add/").status_code == 403


def test_a_vacancy_opens_and_cannot_be_changed_or_deleted(client, post):
    vacancy = post()
    staff(client)
    url = f"/admin/jobs/vacancy/{vacancy.pk}/change/"
    assert client.get(url).status_code == 200
    client.post(url, {"title_en": "Changed"})
    client.post(f"/admin/jobs/vacancy/{vacancy.pk}/delete/", {"post": "yes"})
    assert Vacancy.objects.get().title_en == "Senior accountant"
