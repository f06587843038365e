"""The catalogue tells the truth: every service marked online starts somewhere that answers,
for a signed-in user it is meant for (and sends an anonymous visitor to sign in); the services
not built yet say so."""

import pytest
from django.urls import reverse

from manpower.accounts.models import Role
from manpower.portal.models import Service
from manpower.registry.tests.factories import (
    EstablishmentFactory,
    PersonFactory,
    RepresentationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOT_BUILT = {"WPS_SALARY_FILE", "OPEN_DATA"}


@pytest.fixture
def users():
    representative = UserFactory(role=Role.ESTABLISHMENT_REP, language="en")
    RepresentationFactory(user=representative, establishment=EstablishmentFactory())
    household = PersonFactory(is_national=True)
    individual = UserFactory(
        role=Role.INDIVIDUAL, civil_number=household.civil_number, language="en"
    )
    return {"establishment": representative, "individual": individual}


def user_for(service: Service, users):
    return users["establishment"] if service.for_establishments else users["individual"]


def test_every_online_service_starts_on_a_page_that_answers(client, users):
    online = list(Service.objects.filter(is_online=True))
    assert len(online) >= 8
    for service in online:
        assert service.start_url.startswith("/"), service.code
        anonymous = client.get(service.start_url)
        assert anonymous.status_code == 200 or (
            anonymous.status_code == 302 and anonymous.url.startswith(reverse("accounts:sign-in"))
        ), service.code
        client.force_login(user_for(service, users))
        assert client.get(service.start_url).status_code == 200, service.code
        page = client.get(reverse("portal:service", args=[service.code])).content.decode()
        assert f'href="{service.start_url}"' in page and "Start the service" in page
        client.logout()


def test_services_not_built_yet_are_listed_as_not_yet_online(client):
    for code in NOT_BUILT:
        service = Service.objects.get(code=code)
        assert not service.is_online and not service.start_url
        page = client.get(reverse("portal:service", args=[code]), headers={"accept-language": "en"})
        assert "Not yet online" in page.content.decode()
        assert "Start the service" not in page.content.decode()
