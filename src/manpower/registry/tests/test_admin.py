"""The registry's back-office (issue 11, defect 3): establishment status, a person's record and
representations change only through admin actions that call the services, so each change is
checked against the staff permissions table and audited with the staff member's name."""

import datetime as dt

import pytest

from manpower.accounts.models import Role
from manpower.core.audit import chain_problems
from manpower.core.models import AuditEvent
from manpower.registry.models import Establishment, Person, Representation

from .factories import EstablishmentFactory, PersonFactory, RepresentationFactory, UserFactory

pytestmark = pytest.mark.django_db

ESTABLISHMENTS = "/admin/registry/establishment/"
PERSONS = "/admin/registry/person/"
REPRESENTATIONS = "/admin/registry/representation/"


def staff(client, role=Role.ADMINISTRATOR, language="en", **fields):
    """A staff member who may open every admin page; what they may do is the services' call."""
    user = UserFactory(role=role, is_staff=True, is_superuser=True, language=language, **fields)
    client.force_login(user)
    return user


def act(client, url, action, obj, **data):
    return client.post(
        url,
        {"action": action, "_selected_action": [obj.pk], "apply": "1", **data},
        follow=True,
    )


def last_event(action):
    return AuditEvent.objects.filter(action=action).order_by("-occurred_at", "-id").first()


@pytest.mark.parametrize(
    ("action", "start", "end"),
    [
        ("suspend", "ACTIVE", "SUSPENDED"),
        ("reactivate", "SUSPENDED", "ACTIVE"),
        ("close", "SUSPENDED", "CLOSED"),
    ],
)
def test_staff_change_an_establishments_status_with_a_reason(client, action, start, end):
    administrator = staff(client)
    establishment = EstablishmentFactory(status=start)

    response = act(client, ESTABLISHMENTS, action, establishment, reason="Court order 12/2026")

    assert response.status_code == 200 and "1 done." in response.content.decode()
    establishment.refresh_from_db()
    assert establishment.status == end
    event = last_event(f"establishment.{action}{'d' if action.endswith('e') else 'ed'}")
    assert event.object_id == str(establishment.pk)
    assert (event.channel, event.actor_user_id, event.actor_label) == (
        "STAFF",
        administrator.pk,
        administrator.username,
    )
    assert event.changes == {"status": [start, end], "reason": [None, "Court order 12/2026"]}
    assert chain_problems() == []


def test_a_closed_establishment_stays_closed(client):
    staff(client)
    establishment = EstablishmentFactory(status=Establishment.Status.CLOSED)
    response = act(client, ESTABLISHMENTS, "reactivate", establishment, reason="Reopened")
    assert "cannot change that way" in response.content.decode()
    establishment.refresh_from_db()
    assert establishment.status == Establishment.Status.CLOSED
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Your role and department do not allow you to"),
        ("ar", "لا يسمح لك دورك وقسمك بـإيقاف المنشآت"),
    ],
)
def test_an_inspector_may_not_suspend_an_establishment(client, language, text):
    staff(client, role=Role.INSPECTOR, language=language)
    establishment = EstablishmentFactory()
    response = act(client, ESTABLISHMENTS, "suspend", establishment, reason="Unpaid fines")
    assert text in response.content.decode()
    establishment.refresh_from_db()
    assert establishment.status == Establishment.Status.ACTIVE
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_status_change_without_a_reason_is_refused(client, reason):
    staff(client)
    establishment = EstablishmentFactory()
    response = act(client, ESTABLISHMENTS, "suspend", establishment, reason=reason)
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    establishment.refresh_from_db()
    assert establishment.status == Establishment.Status.ACTIVE
    assert not AuditEvent.objects.exists()


def test_the_change_pages_cannot_edit_a_status_a_person_or_a_representation(client):
    staff(client)
    establishment = EstablishmentFactory()
    person = PersonFactory(name_en="Ravi Kumar")
    representation = RepresentationFactory(establishment=establishment)
    client.post(f"{ESTABLISHMENTS}{establishment.pk}/change/", {"status": "CLOSED"})
    client.post(f"{PERSONS}{person.pk}/change/", {"name_en": "Someone Else"})
    assert client.post(f"{REPRESENTATIONS}{representation.pk}/delete/").status_code == 403
    establishment.refresh_from_db()
    person.refresh_from_db()
    assert establishment.status == "ACTIVE" and person.name_en == "Ravi Kumar"
    assert Representation.objects.filter(pk=representation.pk).exists()


def correction(person, **changes):
    return {
        "name_ar": person.name_ar,
        "name_en": person.name_en,
        "nationality": person.nationality_id,
        "birth_date": person.birth_date.isoformat(),
        "gender": person.gender,
        "passport_number": person.passport_number,
        "passport_expiry_date": "",
        **changes,
    }


def test_staff_correct_a_persons_record_and_the_audit_keeps_before_and_after(client):
    administrator = staff(client)
    person = PersonFactory(name_en="Ravi Kumr", birth_date=dt.date(1990, 1, 1))

    page = client.post(PERSONS, {"action": "correct", "_selected_action": [person.pk]})
    assert 'value="Ravi Kumr"' in page.content.decode()
    data = correction(person, name_en="Ravi Kumar", reason="Misspelt at the border")
    response = act(client, PERSONS, "correct", person, **data)

    assert "1 done." in response.content.decode()
    person.refresh_from_db()
    assert person.name_en == "Ravi Kumar" and person.birth_date == dt.date(1990, 1, 1)
    event = last_event("person.corrected")
    assert event.actor_user_id == administrator.pk and event.channel == "STAFF"
    assert event.changes == {
        "name_en": ["Ravi Kumr", "Ravi Kumar"],
        "reason": [None, "Misspelt at the border"],
    }
    assert chain_problems() == []


def test_an_officer_may_not_correct_a_person(client):
    staff(client, role=Role.OFFICER, department="LICENSING")
    person = PersonFactory(name_en="Ravi Kumr")
    data = correction(person, name_en="Ravi Kumar", reason="Misspelt")
    response = act(client, PERSONS, "correct", person, **data)
    assert "correct a person" in response.content.decode()
    person.refresh_from_db()
    assert person.name_en == "Ravi Kumr"
    assert not AuditEvent.objects.exists()


def test_a_correction_without_a_reason_changes_nothing(client):
    staff(client)
    person = PersonFactory(name_en="Ravi Kumr")
    response = act(client, PERSONS, "correct", person, **correction(person, name_en="Ravi"))
    assert "This field is required." in response.content.decode()
    person.refresh_from_db()
    assert person.name_en == "Ravi Kumr"
    assert not Person.objects.filter(name_en="Ravi").exists()


def test_staff_grant_and_revoke_a_representation(client):
    administrator = staff(client)
    establishment = EstablishmentFactory()
    user = UserFactory(role=Role.ESTABLISHMENT_REP)

    response = client.post(
        f"{REPRESENTATIONS}add/", {"username": user.username, "cr_number": establishment.cr_number}
    )
    assert response.status_code == 302
    representation = Representation.objects.get(user=user, establishment=establishment)
    granted = last_event("representation.granted")
    assert granted.actor_user_id == administrator.pk and granted.channel == "STAFF"

    response = act(client, REPRESENTATIONS, "revoke", representation, reason="Left the firm")
    assert "1 done." in response.content.decode()
    assert not Representation.objects.filter(pk=representation.pk).exists()
    revoked = last_event("representation.revoked")
    assert revoked.actor_user_id == administrator.pk
    assert revoked.changes["reason"] == [None, "Left the firm"]
    assert chain_problems() == []


def test_an_inspector_may_not_grant_a_representation(client):
    staff(client, role=Role.INSPECTOR)
    establishment = EstablishmentFactory()
    user = UserFactory(role=Role.ESTABLISHMENT_REP)
    response = client.post(
        f"{REPRESENTATIONS}add/", {"username": user.username, "cr_number": establishment.cr_number}
    )
    assert response.status_code == 200
    assert "grant or revoke representations" in response.content.decode()
    assert not Representation.objects.exists() and not AuditEvent.objects.exists()


def test_a_representation_for_an_unknown_user_or_establishment_is_refused(client):
    staff(client)
    response = client.post(f"{REPRESENTATIONS}add/", {"username": "nobody", "cr_number": "0"})
    page = response.content.decode()
    assert "No user has this username." in page and "No establishment has this number." in page
    assert not Representation.objects.exists()
