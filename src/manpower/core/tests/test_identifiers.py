"""Identifiers: what a person may type, what is stored, and what they are told when it is wrong."""

import datetime as dt
import string

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from manpower.core.identifiers import (
    mrz_check_digit,
    normalise_civil_number,
    normalise_cr_number,
    normalise_passport_number,
    normalise_phone_number,
    parse_td3_mrz,
    validate_civil_number,
    validate_cr_number,
    validate_mobile_number,
    validate_passport_number,
    validate_phone_number,
)

TODAY = dt.date(2026, 11, 29)
DIGITS = "0123456789"
ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
MRZ_CHARACTERS = DIGITS + string.ascii_uppercase
# ICAO 9303's values, written out again rather than taken from the code under test.
MRZ_VALUE = {c: i for i, c in enumerate(MRZ_CHARACTERS)} | {"<": 0}

SPECIMEN = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)


def error_of(validate, *args, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        validate(*args, **kwargs)
    return caught.value


def messages(error: ValidationError, language: str) -> list[str]:
    with translation.override(language):
        return error.messages


def with_separators(value: str, data) -> str:
    """`value` as a person might type it: spaces and dashes here and there, Arabic digits."""
    typed = ""
    for char in value:
        if char in DIGITS and data.draw(st.booleans()):
            char = ARABIC_DIGITS[int(char)]
        typed += char + data.draw(st.sampled_from(["", "", " ", "-", "\u00a0"]))
    return data.draw(st.sampled_from(["", " "])) + typed


# Whatever a person types, normalising twice gives what normalising once gave.


@pytest.mark.parametrize(
    "normalise",
    [
        normalise_civil_number,
        normalise_cr_number,
        normalise_passport_number,
        normalise_phone_number,
    ],
)
@given(value=st.one_of(st.text(), st.text(alphabet=DIGITS + ARABIC_DIGITS + "+ -().aZ")))
def test_normalising_is_idempotent(normalise, value):
    once = normalise(value)
    assert normalise(once) == once


# Civil / resident card numbers and commercial registration numbers: digits only.

NUMBERS = [
    (normalise_civil_number, validate_civil_number, "civil_number", 6, 9),
    (normalise_cr_number, validate_cr_number, "cr_number", 7, 10),
]


@pytest.mark.parametrize(("normalise", "validate", "code", "shortest", "longest"), NUMBERS)
@given(data=st.data())
def test_every_well_formed_number_passes_and_survives_typing(
    normalise, validate, code, shortest, longest, data
):
    length = data.draw(st.integers(shortest, longest))
    number = str(data.draw(st.integers(10 ** (length - 1), 10**length - 1)))
    validate(number)
    assert normalise(with_separators(number, data)) == number


@pytest.mark.parametrize(("normalise", "validate", "code", "shortest", "longest"), NUMBERS)
@given(
    before=st.text(alphabet=DIGITS),
    other=st.characters().filter(lambda c: c not in DIGITS),
    after=st.text(alphabet=DIGITS),
)
def test_any_character_but_a_digit_is_refused(
    normalise, validate, code, shortest, longest, before, other, after
):
    assert error_of(validate, before + other + after).code == f"{code}_not_digits"


@given(number=st.from_regex(r"0[0-9]{5,8}", fullmatch=True))
def test_a_civil_number_never_starts_with_zero(number):
    assert error_of(validate_civil_number, number).code == "civil_number_leading_zero"


def test_lengths_come_from_the_settings():
    with override_settings(CIVIL_NUMBER_MIN_LENGTH=8, CIVIL_NUMBER_MAX_LENGTH=8):
        error = error_of(validate_civil_number, "12345")
        validate_civil_number("12345678")
    assert messages(error, "en") == ["A civil or resident card number has 8 digits; you entered 5."]
    assert messages(error, "ar") == ["يتكوّن الرقم المدني أو رقم بطاقة الإقامة من 8 أرقام؛ أدخلت 5."]
    with override_settings(CR_NUMBER_MIN_LENGTH=5, CR_NUMBER_MAX_LENGTH=5):
        validate_cr_number("12345")
        assert error_of(validate_cr_number, "1234567").code == "cr_number_length"


# Passport numbers: the ICAO document number field.


@given(number=st.text(alphabet=MRZ_CHARACTERS, min_size=1, max_size=9), data=st.data())
def test_every_well_formed_passport_number_passes_and_survives_typing(number, data):
    validate_passport_number(number)
    typed = with_separators(number, data)
    typed = "".join(c.lower() if data.draw(st.booleans()) else c for c in typed)
    assert normalise_passport_number(typed) == number


@given(
    number=st.text(min_size=1, max_size=9).filter(lambda n: any(c not in MRZ_CHARACTERS for c in n))
)
def test_a_passport_number_has_capital_latin_letters_and_digits_only(number):
    assert error_of(validate_passport_number, number).code == "passport_number_characters"


# Phone numbers: Omani, 8 digits after +968.


@given(
    national=st.from_regex(r"[279][0-9]{7}", fullmatch=True),
    form=st.sampled_from(["+968 {a} {b}", "00968{a}{b}", "{a}{b}", "968{a}{b}", "(+968) {a}-{b}"]),
)
def test_every_omani_number_normalises_to_e164_and_passes(national, form):
    e164 = normalise_phone_number(form.format(a=national[:4], b=national[4:]))
    assert e164 == "+968" + national
    validate_phone_number(e164)
    if national[0] == "2":
        assert error_of(validate_mobile_number, e164).code == "phone_prefix"
    else:
        validate_mobile_number(e164)


@pytest.mark.parametrize(
    "typed", ["+968 9123 4567", "0096891234567", "91234567", "٩١٢٣٤٥٦٧", "+968-9123-4567"]
)
def test_the_usual_ways_of_writing_a_mobile_number(typed):
    assert normalise_phone_number(typed) == "+96891234567"


def test_a_foreign_number_is_left_for_the_validator_to_refuse():
    assert normalise_phone_number("+91 98765 43210") == "+919876543210"
    assert error_of(validate_phone_number, "+919876543210").code == "phone_not_omani"


# ICAO 9303 machine-readable zone.


def test_check_digits_of_the_icao_specimen():
    assert mrz_check_digit("L898902C3") == 6
    assert mrz_check_digit("740812") == 2
    assert mrz_check_digit("120415") == 9
    assert mrz_check_digit("ZE184226B<<<<<") == 1
    assert mrz_check_digit("L898902C3674081221204159ZE184226B<<<<<1") == 0


def test_the_icao_specimen_parses():
    mrz = parse_td3_mrz(*SPECIMEN, today=TODAY)
    assert mrz.document_number == "L898902C3"
    assert mrz.issuing_state == mrz.nationality == "UTO"
    assert mrz.birth_date == dt.date(1974, 8, 12)
    assert mrz.expiry_date == dt.date(2012, 4, 15)
    assert mrz.sex == "F"
    assert (mrz.surname, mrz.given_names) == ("ERIKSSON", "ANNA MARIA")


def test_a_zone_read_with_lower_case_and_a_trailing_newline_still_parses():
    line1, line2 = SPECIMEN
    assert parse_td3_mrz(line1.lower(), line2 + "\n", today=TODAY).surname == "ERIKSSON"


def td3(
    *,
    document_number,
    issuing_state,
    nationality,
    birth_date,
    sex,
    expiry_date,
    surname,
    given_names,
    optional,
):
    def checked(field: str) -> str:
        return field + str(mrz_check_digit(field))

    def yymmdd(date) -> str:
        return date if isinstance(date, str) else f"{date:%y%m%d}"

    filler = optional == "<" * 14
    tail = (
        checked(document_number.ljust(9, "<"))
        + nationality.ljust(3, "<")
        + checked(yymmdd(birth_date))
        + sex
        + checked(yymmdd(expiry_date))
        + (optional + "<" if filler else checked(optional))
    )
    line2 = checked(tail[0:10] + tail[13:20] + tail[21:43])
    line2 = tail + line2[-1]
    names = "<".join(surname) + "<<" + "<".join(given_names)
    line1 = f"P<{issuing_state.ljust(3, '<')}{names}".ljust(44, "<")
    return line1, line2


SPECIMEN_FIELDS = {
    "document_number": "L898902C3",
    "issuing_state": "UTO",
    "nationality": "UTO",
    "birth_date": dt.date(1974, 8, 12),
    "sex": "F",
    "expiry_date": dt.date(2012, 4, 15),
    "surname": ["ERIKSSON"],
    "given_names": ["ANNA", "MARIA"],
    "optional": "ZE184226B<<<<<",
}


def test_the_test_builder_rebuilds_the_specimen():
    assert td3(**SPECIMEN_FIELDS) == SPECIMEN


word = st.text(alphabet=string.ascii_uppercase, min_size=1, max_size=8)
countries = st.text(alphabet=string.ascii_uppercase, min_size=1, max_size=3)


@st.composite
def passports(draw):
    birth_date = draw(st.dates(dt.date(TODAY.year - 99, 1, 1), TODAY))
    return {
        "document_number": draw(st.text(alphabet=MRZ_CHARACTERS, min_size=1, max_size=9)),
        "issuing_state": draw(countries),
        "nationality": draw(countries),
        "birth_date": birth_date,
        "sex": draw(st.sampled_from("MF<")),
        "expiry_date": draw(st.dates(birth_date, dt.date(birth_date.year + 99, 12, 31))),
        "surname": draw(st.lists(word, min_size=1, max_size=2)),
        "given_names": draw(st.lists(word, max_size=2)),
        "optional": draw(st.text(alphabet=MRZ_CHARACTERS + "<", max_size=14)).ljust(14, "<"),
    }


@given(passport=passports())
def test_every_well_formed_zone_parses_back_to_what_it_holds(passport):
    mrz = parse_td3_mrz(*td3(**passport), today=TODAY)
    assert mrz.document_number == passport["document_number"]
    assert (mrz.issuing_state, mrz.nationality) == (
        passport["issuing_state"],
        passport["nationality"],
    )
    assert (mrz.birth_date, mrz.expiry_date) == (passport["birth_date"], passport["expiry_date"])
    assert mrz.sex == passport["sex"].replace("<", "X")
    assert mrz.surname == " ".join(passport["surname"])
    assert mrz.given_names == " ".join(passport["given_names"])


@pytest.mark.parametrize(
    ("yymmdd", "birth_date"),
    [("261129", dt.date(2026, 11, 29)), ("261130", dt.date(1926, 11, 30))],
)
def test_a_birth_date_is_never_after_today(yymmdd, birth_date):
    passport = {**SPECIMEN_FIELDS, "birth_date": yymmdd, "expiry_date": dt.date(2031, 1, 1)}
    assert parse_td3_mrz(*td3(**passport), today=TODAY).birth_date == birth_date


# (field, first character, end) of each checked field of line 2; its check digit follows it.
CHECKED_FIELDS = [
    ("document_number", 0, 9),
    ("birth_date", 13, 19),
    ("expiry_date", 21, 27),
    ("personal_number", 28, 42),
]


@given(passport=passports(), data=st.data())
def test_changing_one_character_of_a_checked_field_breaks_its_check_digit(passport, data):
    line1, line2 = td3(**passport)
    field, start, end = data.draw(st.sampled_from(CHECKED_FIELDS))
    at = data.draw(st.integers(start, end - 1))
    # Weights 7, 3, 1 modulo 10 cannot see a change by a multiple of ten (see below).
    replacement = data.draw(
        st.sampled_from(MRZ_CHARACTERS + "<").filter(
            lambda c: MRZ_VALUE[c] % 10 != MRZ_VALUE[line2[at]] % 10
        )
    )
    changed = line2[:at] + replacement + line2[at + 1 :]
    assert mrz_check_digit(changed[start:end]) != mrz_check_digit(line2[start:end])
    assert error_of(parse_td3_mrz, line1, changed, today=TODAY).code == f"mrz_{field}_check"


def test_the_check_digit_cannot_see_a_change_by_ten():
    """A limit of ICAO 9303 itself, pinned so nobody relies on more: `<` and `0` both count 0,
    and letters ten apart (C=12, M=22) count the same modulo 10."""
    assert mrz_check_digit("AB12345<<") == mrz_check_digit("AB123450<")
    assert mrz_check_digit("L898902C3") == mrz_check_digit("L898902M3")


# Bad input: the exact message in English and in Arabic.

SPECIMEN_1, SPECIMEN_2 = SPECIMEN
BAD_INPUT = [
    (
        validate_civil_number,
        "12345",
        "civil_number_length",
        "A civil or resident card number has 6 to 9 digits; you entered 5.",
        "يتكوّن الرقم المدني أو رقم بطاقة الإقامة من 6 إلى 9 أرقام؛ أدخلت 5.",
    ),
    (
        validate_civil_number,
        "1234 5678",
        "civil_number_not_digits",
        "A civil or resident card number has digits (0-9) only.",
        "يتكوّن الرقم المدني أو رقم بطاقة الإقامة من أرقام \u200e(0-9) فقط.",
    ),
    (
        validate_civil_number,
        "01234567",
        "civil_number_leading_zero",
        "A civil or resident card number does not start with 0.",
        "لا يبدأ الرقم المدني أو رقم بطاقة الإقامة بالصفر.",
    ),
    (
        validate_cr_number,
        "12345678901",
        "cr_number_length",
        "A commercial registration number has 7 to 10 digits; you entered 11.",
        "يتكوّن رقم السجل التجاري من 7 إلى 10 أرقام؛ أدخلت 11.",
    ),
    (
        validate_cr_number,
        "CR123456",
        "cr_number_not_digits",
        "A commercial registration number has digits (0-9) only.",
        "يتكوّن رقم السجل التجاري من أرقام \u200e(0-9) فقط.",
    ),
    (
        validate_passport_number,
        "AB1234567X",
        "passport_number_length",
        "A passport number has 1 to 9 letters and digits; you entered 10.",
        "يتكوّن رقم جواز السفر من 1 إلى 9 حروف وأرقام؛ أدخلت 10.",
    ),
    (
        validate_passport_number,
        "ab12345",
        "passport_number_characters",
        "A passport number has capital Latin letters (A-Z) and digits (0-9) only.",
        "يتكوّن رقم جواز السفر من حروف لاتينية كبيرة (A-Z) وأرقام \u200e(0-9) فقط.",
    ),
    (
        validate_phone_number,
        "91234567",
        "phone_not_omani",
        "Write an Omani number as +968 and 8 digits, such as +968 9123 4567.",
        "اكتب الرقم العُماني على صورة \u200e+968 متبوعًا بـ8 أرقام، مثل \u200e+968 9123 4567.",
    ),
    (
        validate_phone_number,
        "+968912345678",
        "phone_length",
        "An Omani phone number has 8 digits after +968; you entered 9.",
        "يتكوّن رقم الهاتف العُماني من 8 أرقام بعد \u200e+968؛ أدخلت 9.",
    ),
    (
        validate_phone_number,
        "+968 9123 456",
        "phone_not_digits",
        "An Omani phone number has digits (0-9) only after +968.",
        "لا يحتوي رقم الهاتف العُماني بعد \u200e+968 إلا على أرقام \u200e(0-9).",
    ),
    (
        validate_phone_number,
        "+96841234567",
        "phone_prefix",
        "An Omani phone number starts with 2 (landline) or with 7 or 9 (mobile); "
        "this one starts with 4.",
        "يبدأ رقم الهاتف العُماني بالرقم 2 (الهاتف الثابت) أو بالرقم 7 أو 9 (الهاتف النقال)؛ "
        "وهذا الرقم يبدأ بـ4.",
    ),
    (
        validate_mobile_number,
        "+96824123456",
        "phone_prefix",
        "An Omani mobile number starts with 7 or 9; this one starts with 2.",
        "يبدأ رقم الهاتف النقال العُماني بالرقم 7 أو 9؛ وهذا الرقم يبدأ بـ2.",
    ),
]
MRZ_BAD_INPUT = [
    (
        (SPECIMEN_1, SPECIMEN_2[:43]),
        "mrz_line_length",
        "Line 2 of a passport's machine-readable zone has 44 characters; this one has 43.",
        "يتكوّن السطر 2 من المنطقة المقروءة آليًا في جواز السفر من 44 حرفًا؛ وهذا السطر فيه 43.",
    ),
    (
        (SPECIMEN_1.replace("ANNA", "AN-A"), SPECIMEN_2),
        "mrz_characters",
        "Line 1 of a passport's machine-readable zone has only capital letters A-Z, digits 0-9 "
        "and the filler <.",
        "لا يحتوي السطر 1 من المنطقة المقروءة آليًا في جواز السفر إلا على حروف كبيرة (A-Z) "
        "وأرقام \u200e(0-9) وعلامة الحشو \u200e<\u200e.",
    ),
    (
        ("I" + SPECIMEN_1[1:], SPECIMEN_2),
        "mrz_not_passport",
        "This is not a passport's machine-readable zone: a passport's first line starts with P.",
        "هذه ليست المنطقة المقروءة آليًا لجواز سفر: فالسطر الأول في جواز السفر يبدأ بالحرف P.",
    ),
    (
        (SPECIMEN_1, "L898902C4" + SPECIMEN_2[9:]),
        "mrz_document_number_check",
        "The document number in the passport's machine-readable zone does not match its check "
        "digit; look for a mistyped character.",
        "لا يطابق رقم الوثيقة في المنطقة المقروءة آليًا من جواز السفر رقمَ التحقق الخاص به؛ "
        "ابحث عن حرف كُتب خطأً.",
    ),
    (
        (SPECIMEN_1, SPECIMEN_2.replace("7408122", "7408132")),
        "mrz_birth_date_check",
        "The date of birth in the passport's machine-readable zone does not match its check "
        "digit; look for a mistyped character.",
        "لا يطابق تاريخ الميلاد في المنطقة المقروءة آليًا من جواز السفر رقمَ التحقق الخاص به؛ "
        "ابحث عن حرف كُتب خطأً.",
    ),
    (
        (SPECIMEN_1, SPECIMEN_2.replace("1204159", "1204169")),
        "mrz_expiry_date_check",
        "The expiry date in the passport's machine-readable zone does not match its check "
        "digit; look for a mistyped character.",
        "لا يطابق تاريخ الانتهاء في المنطقة المقروءة آليًا من جواز السفر رقمَ التحقق الخاص به؛ "
        "ابحث عن حرف كُتب خطأً.",
    ),
    (
        (SPECIMEN_1, SPECIMEN_2.replace("ZE184226B", "ZE184227B")),
        "mrz_personal_number_check",
        "The personal number in the passport's machine-readable zone does not match its check "
        "digit; look for a mistyped character.",
        "لا يطابق الرقم الشخصي في المنطقة المقروءة آليًا من جواز السفر رقمَ التحقق الخاص به؛ "
        "ابحث عن حرف كُتب خطأً.",
    ),
    (
        (SPECIMEN_1, SPECIMEN_2[:43] + "9"),
        "mrz_composite_check",
        "The second line as a whole in the passport's machine-readable zone does not match its "
        "check digit; look for a mistyped character.",
        "لا يطابق السطر الثاني بأكمله في المنطقة المقروءة آليًا من جواز السفر رقمَ التحقق الخاص "
        "به؛ ابحث عن حرف كُتب خطأً.",
    ),
    (
        # No thirteenth month, although its check digit is right.
        td3(**{**SPECIMEN_FIELDS, "birth_date": "741312"}),
        "mrz_birth_date_invalid",
        "The date of birth in the passport's machine-readable zone is not a date: 741312.",
        "تاريخ الميلاد في المنطقة المقروءة آليًا من جواز السفر ليس تاريخًا صحيحًا: 741312.",
    ),
    (
        td3(**{**SPECIMEN_FIELDS, "sex": "Q"}),
        "mrz_sex",
        "The sex in a passport's machine-readable zone is M, F or <; this one is Q.",
        "يُكتب الجنس في المنطقة المقروءة آليًا من جواز السفر M أو F أو \u200e<\u200e؛ وهنا كُتب Q.",
    ),
]


@pytest.mark.parametrize(("validate", "value", "code", "english", "arabic"), BAD_INPUT)
def test_bad_identifiers_are_explained_in_english_and_arabic(
    validate, value, code, english, arabic
):
    error = error_of(validate, value)
    assert error.code == code
    assert messages(error, "en") == [english]
    assert messages(error, "ar") == [arabic]


@pytest.mark.parametrize(("lines", "code", "english", "arabic"), MRZ_BAD_INPUT)
def test_bad_machine_readable_zones_are_explained_in_english_and_arabic(
    lines, code, english, arabic
):
    error = error_of(parse_td3_mrz, *lines, today=TODAY)
    assert error.code == code
    assert messages(error, "en") == [english]
    assert messages(error, "ar") == [arabic]
