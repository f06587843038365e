"""factory_boy factories shared by every app's tests."""

import datetime as dt

import factory
from django.utils import timezone

from manpower.accounts.models import Role, User
from manpower.core.models import EconomicActivity, Governorate, Nationality, Occupation, Wilayat
from manpower.registry.models import Employment, Establishment, Person, Representation
from manpower.registry.services import omanisation_recompute


def reference(model, code, **defaults):
    """A reference row from the migrations' data, created if a test database lacks it."""
    return model.objects.get_or_create(code=code, defaults=defaults)[0]


def oman():
    return reference(Nationality, "OMN", alpha2="OM", name_en="Oman", name_ar="عُمان")


def india():
    return reference(Nationality, "IND", alpha2="IN", name_en="India", name_ar="الهند")


def muscat():
    return reference(Governorate, "MA", name_en="Muscat", name_ar="مسقط")


def seeb():
    return reference(Wilayat, "MA-SEEB", governorate=muscat(), name_en="As Seeb", name_ar="السيب")


def construction():
    section = reference(
        EconomicActivity, "F", level="SECTION", name_en="Construction", name_ar="التشييد"
    )
    return reference(
        EconomicActivity,
        "41",
        level="DIVISION",
        parent=section,
        name_en="Construction of buildings",
        name_ar="تشييد المباني",
    )


def bricklayer():
    major = reference(
        Occupation, "7", level=1, name_en="Craft and related trades workers", name_ar="الحرفيون"
    )
    sub = reference(
        Occupation, "71", level=2, parent=major, name_en="Building trades", name_ar="عمال البناء"
    )
    minor = reference(
        Occupation,
        "711",
        level=3,
        parent=sub,
        name_en="Building frame workers",
        name_ar="عمال هياكل المباني",
    )
    return reference(
        Occupation,
        "7112",
        level=4,
        parent=minor,
        name_en="Bricklayers and related workers",
        name_ar="البناؤون",
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.om")
    role = Role.INDIVIDUAL
    password = factory.django.Password("correct-horse-battery-9")


class EstablishmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Establishment

    cr_number = factory.Sequence(lambda n: f"{1000000 + n}")
    name_ar = factory.Sequence(lambda n: f"مؤسسة الاختبار {n}")
    name_en = factory.Sequence(lambda n: f"Test Trading {n} LLC")
    activity = factory.LazyFunction(construction)
    governorate = factory.LazyFunction(muscat)
    wilayat = factory.LazyFunction(seeb)
    legal_form = Establishment.LegalForm.LLC
    size = Establishment.Size.SMALL
    chamber_number = factory.Sequence(lambda n: f"{200000 + n}")
    chamber_expiry_date = dt.date(2027, 12, 31)
    registered_at = factory.LazyFunction(timezone.now)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    is_national = False
    civil_number = factory.Sequence(lambda n: f"{60000000 + n}")
    name_ar = factory.Sequence(lambda n: f"عامل {n}")
    name_en = factory.Sequence(lambda n: f"Worker {n}")
    nationality = factory.LazyFunction(india)
    birth_date = dt.date(1990, 1, 1)
    gender = Person.Gender.MALE
    passport_number = factory.Sequence(lambda n: f"P{1000000 + n}")


class EmploymentFactory(factory.django.DjangoModelFactory):
    """A ledger row as the registry's services would record it: the establishment's stored
    Omanisation figures are recomputed with it."""

    class Meta:
        model = Employment
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    establishment = factory.SubFactory(EstablishmentFactory)
    occupation = factory.LazyFunction(bricklayer)
    person_is_national = factory.SelfAttribute("person.is_national")
    start_date = dt.date(2024, 1, 1)
    basic_wage_baisa = 150_000

    @factory.post_generation
    def omanisation(employment, create, extracted, **kwargs):
        if create and employment.establishment_id:
            omanisation_recompute(establishment_ids=[employment.establishment_id])


class RepresentationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Representation

    user = factory.SubFactory(UserFactory, role=Role.ESTABLISHMENT_REP)
    establishment = factory.SubFactory(EstablishmentFactory)
    granted_at = factory.LazyFunction(timezone.now)
