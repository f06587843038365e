"""One service, four channels: the audit log records the channel the request came through
(issue 11, defect 1). A token is revoked through the portal by an individual, a Sanad operator
and a ministry officer, and through `/api/v1` with the mobile app's bearer token; each revocation
is audited with its own channel and the user who did it."""

import pytest
from django.utils import timezone

from manpower.accounts.models import Role, User
from manpower.accounts.services import api_token_create
from manpower.core.actor import Actor
from manpower.core.audit import chain_problems
from manpower.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def make_user(role=Role.INDIVIDUAL, **fields) -> User:
    return User.objects.create_user(f"{role.lower()}{User.objects.count()}", role=role, **fields)


def _token(user):
    return api_token_create(actor=Actor.for_user(user), user=user, name="phone", now=timezone.now())


def _revoke_on_portal(client, user):
    token, _key = _token(user)
    client.force_login(user)
    response = client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    client.logout()
    return token


def _revoke_with_bearer(client, user):
    token, key = _token(user)
    response = client.delete(f"/api/v1/tokens/{token.pk}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 204, response.content
    return token


def test_the_same_service_is_audited_with_the_channel_of_each_route(client):
    individual = make_user(role=Role.INDIVIDUAL)
    operator = make_user(role=Role.SANAD_OPERATOR)
    officer = make_user(role=Role.OFFICER, department="LICENSING")
    mobile = make_user(role=Role.INDIVIDUAL)
    revoked = {
        "WEB": (individual, _revoke_on_portal(client, individual)),
        "SANAD": (operator, _revoke_on_portal(client, operator)),
        "STAFF": (officer, _revoke_on_portal(client, officer)),
        "MOBILE": (mobile, _revoke_with_bearer(client, mobile)),
    }

    for channel, (user, token) in revoked.items():
        event = AuditEvent.objects.get(action="api_token.revoked", object_id=str(token.pk))
        assert (event.channel, event.actor_user_id, event.actor_label) == (
            channel,
            user.pk,
            user.username,
        )
        token.refresh_from_db()
        assert token.revoked_at is not None
    assert chain_problems() == []
