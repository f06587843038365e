"""Staff roles change only through `staff_role_change` (issue 11, defect 3): the user page of
the admin shows role and department read-only, and its action asks for a reason, checks the
permissions table, refuses an administrator's own account and audits who did it."""

import pytest

from manpower.accounts.models import Role, User
from manpower.core.audit import chain_problems
from manpower.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def make_user(role=Role.INDIVIDUAL, **fields) -> User:
    return User.objects.create_user(f"{role.lower()}{User.objects.count()}", role=role, **fields)


USERS = "/admin/accounts/user/"


def staff(client, role=Role.ADMINISTRATOR, **fields):
    user = make_user(role=role, is_staff=True, is_superuser=True, language="en", **fields)
    client.force_login(user)
    return user


def change_role(client, user, **data):
    return client.post(
        USERS,
        {"action": "change_role", "_selected_action": [user.pk], "apply": "1", **data},
        follow=True,
    )


def test_an_administrator_makes_a_user_an_officer_and_the_audit_names_them(client):
    administrator = staff(client)
    user = make_user(role=Role.INDIVIDUAL)

    response = change_role(
        client, user, role="OFFICER", department="LICENSING", reason="Joined licensing"
    )

    assert "1 done." in response.content.decode()
    user.refresh_from_db()
    assert (user.role, user.department) == ("OFFICER", "LICENSING")
    event = AuditEvent.objects.get(action="user.role_changed")
    assert (event.channel, event.actor_user_id, event.object_id) == (
        "STAFF",
        administrator.pk,
        str(user.pk),
    )
    assert event.changes == {
        "role": ["INDIVIDUAL", "OFFICER"],
        "department": ["", "LICENSING"],
        "reason": [None, "Joined licensing"],
    }
    assert chain_problems() == []


@pytest.mark.parametrize(
    ("actor_role", "target", "data", "message"),
    [
        (Role.OFFICER, "other", {"role": "ADMINISTRATOR"}, "manage staff accounts and roles"),
        (Role.ADMINISTRATOR, "self", {"role": "ADMINISTRATOR"}, "your own role"),
        (Role.ADMINISTRATOR, "other", {"role": "OFFICER"}, "belongs to a department"),
    ],
)
def test_a_role_change_that_is_not_allowed_changes_nothing(
    client, actor_role, target, data, message
):
    actor = staff(client, role=actor_role, department="LICENSING")
    user = actor if target == "self" else make_user(role=Role.INDIVIDUAL)
    before = (user.role, user.department)

    response = change_role(client, user, reason="Promotion", department="", **data)

    assert message in response.content.decode()
    user.refresh_from_db()
    assert (user.role, user.department) == before
    assert not AuditEvent.objects.filter(action="user.role_changed").exists()


def test_a_role_change_without_a_reason_is_refused(client):
    staff(client)
    user = make_user(role=Role.INDIVIDUAL)
    response = change_role(client, user, role="INSPECTOR", department="", reason=" ")
    assert "This field is required." in response.content.decode()
    assert User.objects.get(pk=user.pk).role == Role.INDIVIDUAL


def test_the_user_page_cannot_edit_the_role(client):
    staff(client)
    user = make_user(role=Role.INDIVIDUAL)
    page = client.get(f"{USERS}{user.pk}/change/").content.decode()
    assert 'name="role"' not in page and 'name="department"' not in page
    assert 'name="role"' not in client.get(f"{USERS}add/").content.decode()
