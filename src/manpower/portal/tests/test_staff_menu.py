"""The menu offers staff only the queues the permission table lets them work on."""

import pytest
from django.urls import reverse

from manpower.accounts.models import Department, Role
from manpower.registry.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("licensing:queue")
BACK_OFFICE = reverse("admin:index")


def menu_of(client, user) -> str:
    client.force_login(user)
    html = client.get(reverse("portal:catalogue")).content.decode()
    return html.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]


def test_a_licensing_officer_is_offered_the_applications_to_decide(client):
    officer = UserFactory(role=Role.OFFICER, department=Department.LICENSING, language="en")
    menu = menu_of(client, officer)
    assert QUEUE in menu and "Applications to decide" in menu
    assert BACK_OFFICE not in menu


def test_an_inspector_is_not_offered_a_queue_that_would_refuse_them(client):
    inspector = UserFactory(role=Role.INSPECTOR, language="en")
    assert QUEUE not in menu_of(client, inspector)
    assert client.get(QUEUE).status_code == 403


def test_an_administrator_is_offered_the_back_office_in_both_languages(client):
    admin = UserFactory(role=Role.ADMINISTRATOR, is_staff=True, language="en")
    menu = menu_of(client, admin)
    assert BACK_OFFICE in menu and "Back office" in menu and QUEUE not in menu
    admin.language = "ar"
    admin.save()
    client.cookies.load({"django_language": "ar"})
    assert "لوحة الإدارة" in menu_of(client, admin)
