"""A card request's status moves only along its table of transitions."""

import itertools

import pytest

from manpower.labourcards.models import CardRequest
from manpower.labourcards.services import REQUEST_TRANSITIONS, RequestClosed
from manpower.labourcards.services.requests import _move_request

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_(fees, arrived, employer_actor, now):
    from manpower.labourcards import services

    return services.card_issue_request(
        actor=employer_actor, now=now, employment=arrived, kind="COMMERCIAL"
    )


@pytest.mark.parametrize(
    ("source", "target"), list(itertools.product(CardRequest.Status, repeat=2))
)
def test_only_the_transitions_in_the_table_are_allowed(request_, source, target):
    CardRequest.objects.filter(pk=request_.pk).update(status=source)
    request_.refresh_from_db()
    if target in REQUEST_TRANSITIONS[source]:
        _move_request(request_, target)
        assert CardRequest.objects.get(pk=request_.pk).status == target
        return
    with pytest.raises(RequestClosed) as refused:
        _move_request(request_, target)
    assert refused.value.status == 409
    text = refused.value.bilingual()
    assert "cannot change that way" in text["en"]
    assert "طلب بطاقة" in text["ar"] and "لا يمكن تغييرها" in text["ar"]
    assert CardRequest.objects.get(pk=request_.pk).status == source


def test_a_request_changed_meanwhile_is_refused(request_):
    """Read as waiting, cancelled by another process: completing the stale copy is refused."""
    CardRequest.objects.filter(pk=request_.pk).update(status=CardRequest.Status.CANCELLED)
    with pytest.raises(RequestClosed) as refused:
        _move_request(request_, CardRequest.Status.COMPLETED)
    assert "changed meanwhile" in refused.value.text("en")
    assert CardRequest.objects.get(pk=request_.pk).status == CardRequest.Status.CANCELLED
