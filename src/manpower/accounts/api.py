"""API tokens of the signed-in user (list, issue from the portal session only, revoke), and
certificate sign-in for the mobile app, which answers with a new token."""

import datetime as dt
import uuid

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from manpower.core.actor import Actor, Channel
from manpower.core.api import Pagination

from . import pki, selectors, services
from .api_auth import api_actor, api_auth, require_session

router = Router(tags=["tokens"], auth=api_auth)


class TokenOut(Schema):
    """A token as its owner may see it again: never the key nor its hash."""

    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    expires_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenIn(Schema):
    name: str = Field(max_length=100)


class TokenCreatedOut(TokenOut):
    key: str = Field(description="The bearer key. Shown this once; store it now.")


@router.get("", response=list[TokenOut])
@paginate(Pagination)
def list_tokens(request):
    return selectors.api_tokens_of(user=request.user)


@router.post("", response={201: TokenCreatedOut})
def create_token(request, payload: TokenIn):
    require_session(request)
    token, key = services.api_token_create(
        actor=api_actor(request), user=request.user, name=payload.name, now=timezone.now()
    )
    token.key = key
    return Status(201, token)


@router.delete("/{int:token_id}", response={204: None})
def revoke_token(request, token_id: int):
    services.api_token_revoke(
        actor=api_actor(request), user=request.user, token_id=token_id, now=timezone.now()
    )
    return Status(204, None)


# --- Certificate sign-in (national PKI), for the mobile app: no authentication needed ----------

pki_router = Router(tags=["certificate sign-in"], auth=None)


class ChallengeOut(Schema):
    id: uuid.UUID
    challenge: str = Field(description="Sign these exact UTF-8 bytes with SHA-256.")
    expires_at: dt.datetime


class PkiSignInIn(Schema):
    challenge_id: str = Field(max_length=64)
    certificate: str = Field(max_length=50_000, description="The client certificate, PEM.")
    intermediates: str = Field("", max_length=50_000, description="Intermediate CAs, PEM.")
    signature: str = Field(max_length=2_000, description="The signature, base64.")


class PkiSignInOut(Schema):
    username: str
    display_name: str
    role: str
    token: TokenCreatedOut


@pki_router.post("/challenges", response={201: ChallengeOut})
def create_challenge(request):
    challenge = pki.pki_challenge_issue(now=timezone.now())
    return Status(
        201, {"id": challenge.pk, "challenge": challenge.value, "expires_at": challenge.expires_at}
    )


@pki_router.post("/sign-in", response={200: PkiSignInOut})
def sign_in_with_certificate(request, payload: PkiSignInIn):
    """Checks the signed challenge and answers with a new bearer token of the account; a
    refusal is a problem with its own `code` (`pki_…`)."""
    now = timezone.now()
    attempt = Actor.anonymous(request, label="certificate sign-in", channel=Channel.MOBILE)
    user = pki.pki_sign_in(
        actor=attempt,
        challenge_id=payload.challenge_id,
        certificate_pem=payload.certificate,
        intermediates_pem=payload.intermediates,
        signature_b64=payload.signature,
        now=now,
    )
    token, key = services.api_token_create(
        actor=Actor.for_user(user, channel=Channel.MOBILE, request_id=attempt.request_id),
        user=user,
        name="Certificate sign-in",
        now=now,
    )
    token.key = key
    return {
        "username": user.get_username(),
        "display_name": user.display_name,
        "role": user.role,
        "token": token,
    }
