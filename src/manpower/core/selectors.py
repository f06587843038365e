"""Reads of the reference tables for other apps' forms, filters and validation.

Every list has an explicit order ending in its code, so pages and exports are stable.
"""

import functools
import re
import unicodedata

from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .errors import DomainError
from .models import EconomicActivity, Governorate, Nationality, Occupation, Wilayat


class UnknownOccupation(DomainError):
    code = "unknown_occupation"
    status = 422


def nationalities() -> QuerySet[Nationality]:
    """All countries, by English name (the order of ISO lists)."""
    return Nationality.objects.order_by("name_en", "code")


def governorates() -> QuerySet[Governorate]:
    return Governorate.objects.order_by("code")


def wilayats(*, governorate_code: str | None = None) -> QuerySet[Wilayat]:
    """The wilayats of one governorate, or of all when no governorate is given."""
    rows = Wilayat.objects.select_related("governorate").order_by("code")
    if governorate_code is not None:
        rows = rows.filter(governorate_id=governorate_code)
    return rows


def occupations(*, level: int | None = None) -> QuerySet[Occupation]:
    """ISCO-08 groups in code order (a parent just before its children); one level if given."""
    rows = Occupation.objects.order_by("code")
    if level is not None:
        rows = rows.filter(level=level)
    return rows


def occupation_unit(code: str) -> Occupation:
    """The ISCO-08 unit group (four digits) a job is recorded under; any other code is refused."""
    occupation = occupations(level=Occupation.Level.UNIT).filter(code=code.strip()).first()
    if occupation is None:
        raise UnknownOccupation(
            _("%(occupation)s is not an ISCO-08 occupation unit code."), occupation=code
        )
    return occupation


def economic_activities(*, level: str | None = None) -> QuerySet[EconomicActivity]:
    """ISIC Rev.4, each section (a letter) followed by its divisions; one level if given."""
    rows = EconomicActivity.objects.order_by(
        Coalesce("parent", "code"), F("parent").asc(nulls_first=True), "code"
    )
    if level is not None:
        rows = rows.filter(level=level)
    return rows


# --- Search of the reference lists (the autocomplete of occupation and nationality codes) ----
#
# The lists are short and bounded (some 600 ISCO-08 groups, 250 countries), so a search reads
# the list's codes and names and compares them in Python: the query and the names are folded by
# the one function below, the same on SQLite and PostgreSQL, accents and Arabic spellings
# included, which SQL's LIKE and LOWER do not agree on.

SEARCH_LIMIT = 20
# Longest query searched, and most of its words used: what a person types into a code box.
SEARCH_MAX_LENGTH = 100
_SEARCH_MAX_WORDS = 6

# Arabic spellings people mix up, folded to one letter: the alef forms (أ إ آ ٱ), taa
# marbuta/haa, alef maqsura/yaa, the hamza on its seats (ؤ ئ, and alone), Persian yeh and
# keheh. The diacritics (harakat, shadda, sukun, dagger alef) and the tatweel are dropped.
_ARABIC_FOLDS = str.maketrans(
    {
        **dict.fromkeys("أإآٱ", "ا"),
        "ة": "ه",
        "ى": "ي",
        "ؤ": "و",
        "ئ": "ي",
        "ء": None,
        "ی": "ي",
        "ک": "ك",
        **dict.fromkeys("\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670\u0640"),
    }
)
# Arabic-Indic and Persian digits, as phones type them.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
# What separates words besides spaces: "Guinea-Bissau", "Côte d'Ivoire", "Korea, Republic of".
_SEPARATORS = re.compile(r"[\s\-(),/.'’،]+")
_ARABIC = re.compile("[\u0600-\u06ff]")


@functools.lru_cache(maxsize=4096)
def normalise_search(text: str) -> str:
    """Text as the search compares it: Arabic folded (see _ARABIC_FOLDS), Eastern digits as
    0-9, Latin letters lower-case without their accents ("Türkiye" is "turkiye"), words
    separated by one space."""
    text = unicodedata.normalize("NFKC", text).translate(_DIGITS).translate(_ARABIC_FOLDS)
    decomposed = unicodedata.normalize("NFD", text.casefold())
    text = "".join(c for c in decomposed if _ARABIC.match(c) or not unicodedata.combining(c))
    return " ".join(_SEPARATORS.split(unicodedata.normalize("NFC", text))).strip()


def _word_matches(word: str, codes: list[str], arabic: str, english: list[str]) -> bool:
    """Digits or a short Latin word match the start of a code; an Arabic word matches a part
    of the Arabic name (it may carry the article or a conjunction: "النظافة"); a Latin word
    the start of a word of the English name ("brick" finds "Bricklayers", not "Cabrick")."""
    if _ARABIC.search(word):
        return word in arabic
    if (word.isdigit() or len(word) <= 3) and any(code.startswith(word) for code in codes):
        return True
    return any(name_word.startswith(word) for name_word in english)


def _search(rows, query: str, *, codes: tuple[str, ...], limit: int) -> list:
    """The rows (in their order) that every word of `query` matches, best first: the exact
    code, codes that start with the query, names that start with its first word, the others."""
    words = normalise_search(query[:SEARCH_MAX_LENGTH]).split()[:_SEARCH_MAX_WORDS]
    if not words:
        return []
    found = []
    for position, row in enumerate(rows):
        row_codes = [getattr(row, field).lower() for field in codes]
        arabic = normalise_search(row.name_ar)
        english = normalise_search(row.name_en).split()
        if not all(_word_matches(word, row_codes, arabic, english) for word in words):
            continue
        first = words[0]
        if len(words) == 1 and first in row_codes:
            rank = 0
        elif any(code.startswith(first) for code in row_codes):
            rank = 1
        elif arabic.startswith((first, "ال" + first)) or " ".join(english).startswith(first):
            rank = 2
        else:
            rank = 3
        found.append((rank, position, row))
    found.sort(key=lambda item: item[:2])
    return [row for _rank, _position, row in found[:limit]]


def occupations_matching(
    query: str, *, level: int | None = None, limit: int = SEARCH_LIMIT
) -> list[Occupation]:
    """ISCO-08 groups (of one level if given) whose code starts with the query's digits or whose
    Arabic or English name has its words; best first, then in code order."""
    rows = occupations(level=level).only("code", "level", "parent", "name_ar", "name_en")
    return _search(rows, query, codes=("code",), limit=limit)


def nationalities_matching(query: str, *, limit: int = SEARCH_LIMIT) -> list[Nationality]:
    """Countries by ISO code (alpha-3 or alpha-2) or by words of their Arabic or English name;
    best first, then by name in the reader's language."""
    by_name = "name_en" if (get_language() or "ar").startswith("en") else "name_ar"
    return _search(
        Nationality.objects.order_by(by_name, "code"), query, codes=("code", "alpha2"), limit=limit
    )
