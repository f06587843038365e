"""API tokens of the signed-in user: list, issue (from the portal session only), revoke."""

import datetime as dt

from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from manpower.core.api import Pagination

from . import selectors, services
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
