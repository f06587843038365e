"""Staff look at the archives as the services wrote them: nothing is added, edited or deleted
in the admin."""

import pytest
from django.contrib.auth.models import Permission

from manpower.accounts.models import Role
from manpower.registry.tests.factories import UserFactory
from manpower.wages.models import SalaryArchive

from .conftest import NAME
from .test_archives import CENTRAL_BANK, check, good_file, zipped

ARCHIVES = "/admin/wages/salaryarchive/"


@pytest.mark.parametrize("superuser", [True, False])
def test_salary_archives_are_read_only_in_the_admin(client, workers, superuser):
    staff = UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=superuser,
                        language="en")  # fmt: skip
    if not superuser:
        staff.user_permissions.add(Permission.objects.get(codename="view_salaryarchive"))
    client.force_login(staff)
    archive = check(zipped([(NAME, good_file()), ("bad.csv", "x")]))
    listed = client.get(ARCHIVES)
    assert listed.status_code == 200
    page = listed.content.decode()
    assert archive.file_name in page and CENTRAL_BANK.label in page
    assert f"{ARCHIVES}add/" not in page
    changed = client.get(f"{ARCHIVES}{archive.pk}/change/")
    assert changed.status_code == 200
    form = changed.content.decode()
    assert archive.sha256 in form
    assert 'name="file_name"' not in form and 'name="_save"' not in form
    assert client.post(f"{ARCHIVES}{archive.pk}/change/", {"status": "CHECKING"}).status_code == 403
    assert client.post(f"{ARCHIVES}{archive.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.get(f"{ARCHIVES}add/").status_code == 403
    archive.refresh_from_db()
    assert (archive.status, SalaryArchive.objects.count()) == ("CHECKED", 1)
