"""The identifiers people type, and their validators.

Each `validate_*` is a plain Django validator (usable in `validators=[...]`) that checks the
stored, canonical form strictly and raises a `ValidationError` with a stable `code` and a
message a person can act on. Each `normalise_*` turns what a person typed (spaces, dashes,
Arabic-Indic digits, lower case, a country prefix) into that canonical form; forms and services
normalise first, then validate.

Oman publishes no check digit for civil, resident card or commercial registration numbers, so
none is checked here. Passports carry ICAO 9303 check digits in their machine-readable zone.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import conf

# Arabic-Indic (U+0660..) and Eastern Arabic-Indic (U+06F0..) digits, as typed on Arabic
# keyboards, to ASCII.
_ASCII_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_SEPARATORS = re.compile(r"[\s\-]")
_PHONE_SEPARATORS = re.compile(r"[\s\-().]")
_DIGITS = re.compile(r"[0-9]+")


def _compact(value: str, separators: re.Pattern = _SEPARATORS) -> str:
    return separators.sub("", str(value).translate(_ASCII_DIGITS))


def _check_length(
    value: str, *, minimum: int, maximum: int, message, code: str, exact_message=None
) -> None:
    """`exact_message` is for when settings make the minimum and the maximum the same."""
    if not minimum <= len(value) <= maximum:
        raise ValidationError(
            exact_message if exact_message and minimum == maximum else message,
            code=code,
            params={"min": minimum, "max": maximum, "count": len(value)},
        )


# Civil number (nationals) and resident card number (non-nationals) share one numbering space.


def normalise_civil_number(value: str) -> str:
    return _compact(value)


def validate_civil_number(value: str) -> None:
    """A civil or resident card number: ASCII digits, no leading zero, length from settings."""
    if not _DIGITS.fullmatch(value):
        raise ValidationError(
            _("A civil or resident card number has digits (0-9) only."),
            code="civil_number_not_digits",
        )
    if value.startswith("0"):
        raise ValidationError(
            _("A civil or resident card number does not start with 0."),
            code="civil_number_leading_zero",
        )
    _check_length(
        value,
        minimum=conf.CIVIL_NUMBER_MIN_LENGTH.value,
        maximum=conf.CIVIL_NUMBER_MAX_LENGTH.value,
        message=_(
            "A civil or resident card number has %(min)d to %(max)d digits; you entered %(count)d."
        ),
        exact_message=_(
            "A civil or resident card number has %(max)d digits; you entered %(count)d."
        ),
        code="civil_number_length",
    )


# Commercial registration number (Ministry of Commerce).


def normalise_cr_number(value: str) -> str:
    return _compact(value)


def validate_cr_number(value: str) -> None:
    if not _DIGITS.fullmatch(value):
        raise ValidationError(
            _("A commercial registration number has digits (0-9) only."),
            code="cr_number_not_digits",
        )
    _check_length(
        value,
        minimum=conf.CR_NUMBER_MIN_LENGTH.value,
        maximum=conf.CR_NUMBER_MAX_LENGTH.value,
        message=_(
            "A commercial registration number has %(min)d to %(max)d digits; you entered %(count)d."
        ),
        exact_message=_(
            "A commercial registration number has %(max)d digits; you entered %(count)d."
        ),
        code="cr_number_length",
    )


# Passport number: the document number field of ICAO 9303 (at most 9 of A-Z and 0-9).


def normalise_passport_number(value: str) -> str:
    return _compact(value).translate(_ASCII_UPPER)


def validate_passport_number(value: str) -> None:
    if not re.fullmatch(r"[A-Z0-9]*", value):
        raise ValidationError(
            _("A passport number has capital Latin letters (A-Z) and digits (0-9) only."),
            code="passport_number_characters",
        )
    _check_length(
        value,
        minimum=1,
        maximum=9,
        message=_(
            "A passport number has %(min)d to %(max)d letters and digits; you entered %(count)d."
        ),
        code="passport_number_length",
    )


# Omani phone numbers: 8 digits after +968; landlines start with 2, mobiles with 7 or 9.

OMAN_CALLING_CODE = "+968"


def normalise_phone_number(value: str) -> str:
    """`"+968 9123 4567"`, `"0096891234567"` or `"91234567"` -> `"+96891234567"` (E.164).

    Anything that is not an Omani number of 8 digits comes back only compacted, for the
    validator to explain.
    """
    compact = _compact(value, _PHONE_SEPARATORS)
    national = compact
    for prefix in (OMAN_CALLING_CODE, "00968"):
        if compact.startswith(prefix):
            national = compact.removeprefix(prefix)
            break
    else:
        if len(compact) == 11 and compact.startswith("968"):
            national = compact[3:]
    if re.fullmatch(r"[0-9]{8}", national):
        return OMAN_CALLING_CODE + national
    return compact


def _validate_omani_number(value: str, *, first_digits: str, wrong_start) -> None:
    if not value.startswith(OMAN_CALLING_CODE):
        raise ValidationError(
            _("Write an Omani number as +968 and 8 digits, such as +968 9123 4567."),
            code="phone_not_omani",
        )
    national = value.removeprefix(OMAN_CALLING_CODE)
    if not _DIGITS.fullmatch(national):
        raise ValidationError(
            _("An Omani phone number has digits (0-9) only after +968."), code="phone_not_digits"
        )
    _check_length(
        national,
        minimum=8,
        maximum=8,
        message=_("An Omani phone number has %(max)d digits after +968; you entered %(count)d."),
        code="phone_length",
    )
    if national[0] not in first_digits:
        raise ValidationError(wrong_start, code="phone_prefix", params={"first": national[0]})


def validate_phone_number(value: str) -> None:
    """An Omani landline or mobile number in E.164 form (`+968` and 8 digits)."""
    _validate_omani_number(
        value,
        first_digits="279",
        wrong_start=_(
            "An Omani phone number starts with 2 (landline) or with 7 or 9 (mobile); "
            "this one starts with %(first)s."
        ),
    )


def validate_mobile_number(value: str) -> None:
    """An Omani mobile number in E.164 form: the one we can send text messages to."""
    _validate_omani_number(
        value,
        first_digits="79",
        wrong_start=_("An Omani mobile number starts with 7 or 9; this one starts with %(first)s."),
    )


# ICAO 9303 machine-readable zone of a passport (TD3: two lines of 44 characters).

_MRZ_WEIGHTS = (7, 3, 1)
_MRZ_LINE = re.compile(r"[A-Z0-9<]{44}")


def _mrz_value(char: str) -> int:
    if char == "<":
        return 0
    if "0" <= char <= "9":
        return ord(char) - ord("0")
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + 10
    raise ValueError(f"{char!r} is not a character of a machine-readable zone")


def mrz_check_digit(field: str) -> int:
    """ICAO 9303 part 3, 4.9: weights 7, 3, 1 repeated; `<` counts 0, A-Z count 10-35."""
    return sum(_mrz_value(c) * _MRZ_WEIGHTS[i % 3] for i, c in enumerate(field)) % 10


@dataclass(frozen=True)
class PassportMrz:
    """What the machine-readable zone of a passport says about its holder."""

    document_number: str
    issuing_state: str
    nationality: str  # ICAO alpha-3: ISO 3166 codes plus a few of ICAO's own, e.g. "D"
    birth_date: dt.date
    expiry_date: dt.date
    sex: str  # "M", "F" or "X" (unspecified, `<` in the zone)
    surname: str
    given_names: str


_MRZ_FIELDS = {
    "document_number": _("document number"),
    "birth_date": _("date of birth"),
    "expiry_date": _("expiry date"),
    "personal_number": _("personal number"),
    "composite": _("second line as a whole"),
}


def _verify(field: str, data: str, check: str, *, filler_allowed: bool = False) -> None:
    if filler_allowed and check == "<" and data == "<" * len(data):
        return
    if check != str(mrz_check_digit(data)):
        raise ValidationError(
            _(
                "The %(field)s in the passport's machine-readable zone does not match its "
                "check digit; look for a mistyped character."
            ),
            code=f"mrz_{field}_check",
            params={"field": _MRZ_FIELDS[field]},
        )


def _mrz_date(field: str, yymmdd: str, *, century_from) -> dt.date:
    """A YYMMDD date; the zone has no century, so `century_from(yy)` gives the full year."""
    try:
        if not _DIGITS.fullmatch(yymmdd):
            raise ValueError(yymmdd)
        return dt.date(century_from(int(yymmdd[:2])), int(yymmdd[2:4]), int(yymmdd[4:]))
    except ValueError:
        raise ValidationError(
            _("The %(field)s in the passport's machine-readable zone is not a date: %(value)s."),
            code=f"mrz_{field}_invalid",
            params={"field": _MRZ_FIELDS[field], "value": yymmdd},
        ) from None


def _mrz_name(part: str) -> str:
    return " ".join(part.replace("<", " ").split())


def parse_td3_mrz(line1: str, line2: str, *, today: dt.date) -> PassportMrz:
    """Check and read the two-line machine-readable zone of a passport (ICAO 9303 part 4).

    `today` places the two-digit birth year (the latest such year not after today); the expiry
    year is the first such year not before the birth year.
    """
    lines = [str(line).strip().translate(_ASCII_UPPER) for line in (line1, line2)]
    for number, line in enumerate(lines, start=1):
        if len(line) != 44:
            raise ValidationError(
                _(
                    "Line %(line)d of a passport's machine-readable zone has 44 characters; "
                    "this one has %(count)d."
                ),
                code="mrz_line_length",
                params={"line": number, "count": len(line)},
            )
        if not _MRZ_LINE.fullmatch(line):
            raise ValidationError(
                _(
                    "Line %(line)d of a passport's machine-readable zone has only capital "
                    "letters A-Z, digits 0-9 and the filler <."
                ),
                code="mrz_characters",
                params={"line": number},
            )
    line1, line2 = lines
    if line1[0] != "P":
        raise ValidationError(
            _(
                "This is not a passport's machine-readable zone: a passport's first line "
                "starts with P."
            ),
            code="mrz_not_passport",
        )
    _verify("document_number", line2[0:9], line2[9])
    _verify("birth_date", line2[13:19], line2[19])
    _verify("expiry_date", line2[21:27], line2[27])
    _verify("personal_number", line2[28:42], line2[42], filler_allowed=True)
    _verify("composite", line2[0:10] + line2[13:20] + line2[21:43], line2[43])

    def birth_year(yy: int) -> int:
        """The latest year ending in `yy` in which the birthday (MMDD) is not after today."""
        year = today.year - (today.year - yy) % 100
        return year if (year, line2[15:19]) <= (today.year, f"{today:%m%d}") else year - 100

    birth_date = _mrz_date("birth_date", line2[13:19], century_from=birth_year)
    expiry_date = _mrz_date(
        "expiry_date",
        line2[21:27],
        century_from=lambda yy: birth_date.year + (yy - birth_date.year) % 100,
    )
    if line2[20] not in "MF<":
        raise ValidationError(
            _("The sex in a passport's machine-readable zone is M, F or <; this one is %(value)s."),
            code="mrz_sex",
            params={"value": line2[20]},
        )
    document_number = line2[0:9].rstrip("<")
    validate_passport_number(document_number)
    surname, _sep, given_names = line1[5:].partition("<<")
    return PassportMrz(
        document_number=document_number,
        issuing_state=line1[2:5].rstrip("<"),
        nationality=line2[10:13].rstrip("<"),
        birth_date=birth_date,
        expiry_date=expiry_date,
        sex=line2[20].replace("<", "X"),
        surname=_mrz_name(surname),
        given_names=_mrz_name(given_names),
    )
