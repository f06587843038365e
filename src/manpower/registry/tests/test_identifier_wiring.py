import pytest
from django.core.exceptions import ValidationError

from manpower.registry.tests.factories import EstablishmentFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_factory_rows_are_valid():
    EstablishmentFactory().full_clean()
    PersonFactory().full_clean()
    UserFactory(civil_number="12345678", phone="+96891234567").full_clean()


@pytest.fixture(autouse=True)
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


def test_models_refuse_malformed_identifiers():
    person = PersonFactory.build(civil_number="0123", passport_number="p-1")
    with pytest.raises(ValidationError) as error:
        person.full_clean(exclude=["nationality"])
    assert error.value.message_dict["civil_number"] == [
        "A civil or resident card number does not start with 0."
    ]
    assert error.value.message_dict["passport_number"] == [
        "A passport number has capital Latin letters (A-Z) and digits (0-9) only."
    ]
    establishment = EstablishmentFactory.build(cr_number="12-34")
    with pytest.raises(ValidationError) as error:
        establishment.full_clean(exclude=["activity", "governorate", "wilayat"])
    assert list(error.value.message_dict) == ["cr_number"]
    user = UserFactory.build(civil_number="12", phone="+96824123456")
    with pytest.raises(ValidationError) as error:
        user.full_clean(exclude=["password"])
    assert error.value.message_dict["phone"] == [
        "An Omani mobile number starts with 7 or 9; this one starts with 2."
    ]
    assert error.value.message_dict["civil_number"] == [
        "A civil or resident card number has 6 to 9 digits; you entered 2."
    ]
