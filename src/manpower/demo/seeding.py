"""Synthetic registry data at national scale: establishments, persons and their employments.

The same seed and reference date give the same rows, identifiers included. Rows are made in
chunks, each from its own `random.Random` seeded from (seed, table, chunk), and streamed into the
database (COPY on PostgreSQL, `executemany` elsewhere), so memory stays flat whatever the size.
Identifiers that must be unique (CR, civil and passport numbers) are bijections of the row id,
so they need no lookup. Reference codes are read from the database (core migrations).
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from manpower.core.errors import Conflict
from manpower.core.models import EconomicActivity, Governorate, Nationality, Occupation, Wilayat
from manpower.registry.models import (
    Employment,
    Establishment,
    EstablishmentWorkforce,
    Person,
    Representation,
)
from manpower.registry.services import omanisation_recompute_all

CHUNK = 20_000
NATIONAL_SHARE = 0.14  # of private-sector workers (FACTS.md: ~2M workers, mostly non-nationals)
NATIONAL_MINIMUM_WAGE_BAISA = 325_000


class RegistryNotEmpty(Conflict):
    code = "registry_not_empty"


class MissingReferenceData(Conflict):
    code = "missing_reference_data"


# --- Distributions --------------------------------------------------------------------------

# Where establishments are (roughly by population), by governorate code.
GOVERNORATE_WEIGHTS = {
    "MA": 40, "BS": 16, "ZU": 11, "BJ": 9, "DA": 8, "SS": 4, "SJ": 4, "ZA": 3, "BU": 3,
    "MU": 1, "WU": 1,
}  # fmt: skip

# What establishments do, by ISIC section; divisions within a section are equally likely.
SECTION_WEIGHTS = {
    "A": 5, "B": 2, "C": 9, "D": 0.3, "E": 0.7, "F": 24, "G": 27, "H": 5, "I": 9, "J": 1.5,
    "K": 0.8, "L": 2, "M": 4, "N": 5, "P": 1.5, "Q": 1.2, "R": 0.5, "S": 4,
}  # fmt: skip
HEAVY_SECTIONS = frozenset("ABCFH")  # few women among non-national workers

# Non-national workers by nationality (ISO alpha-3): the Omani private sector's mix.
NON_NATIONAL_WEIGHTS = {
    "IND": 35, "BGD": 33, "PAK": 12, "EGY": 4.5, "PHL": 3.5, "NPL": 2.5, "LKA": 2, "IDN": 1,
    "SDN": 0.8, "JOR": 0.6, "SYR": 0.5, "YEM": 0.4, "ETH": 0.5, "TZA": 0.5, "KEN": 0.3,
    "UGA": 0.3, "GBR": 0.3, "LBN": 0.2, "MAR": 0.2, "TUN": 0.2, "CHN": 0.2, "USA": 0.1,
    "ZAF": 0.1,
}  # fmt: skip

# ISCO-08 major group weights: nationals lean clerical and managerial, non-nationals to trades
# and elementary work; a few sections shift the non-national mix.
NATIONAL_MAJOR_WEIGHTS = {"1": 8, "2": 12, "3": 15, "4": 35, "5": 18, "7": 4, "8": 6, "9": 2}
NON_NATIONAL_MAJOR_WEIGHTS = {
    "": {"1": 2, "2": 5, "3": 6, "4": 5, "5": 22, "6": 3, "7": 22, "8": 12, "9": 23},
    "A": {"1": 1, "3": 1, "6": 55, "8": 5, "9": 38},
    "F": {"1": 1, "2": 3, "3": 4, "4": 2, "5": 2, "7": 45, "8": 8, "9": 35},
    "G": {"1": 3, "2": 2, "3": 4, "4": 8, "5": 55, "7": 5, "8": 10, "9": 13},
    "I": {"1": 3, "2": 1, "3": 2, "4": 4, "5": 70, "9": 20},
    "Q": {"1": 2, "2": 40, "3": 30, "4": 8, "5": 10, "9": 10},
}

# Common unit groups of each major group (kept if the database has them).
COMMON_OCCUPATIONS = {
    "1": "1120 1211 1212 1221 1323 1324 1411 1412 1420 1439",
    "2": "2142 2144 2151 2161 2211 2221 2262 2330 2411 2421 2512 2611",
    "3": "3112 3113 3115 3123 3212 3313 3322 3343 3411 3512",
    "4": "4110 4120 4131 4211 4224 4226 4311 4321 4322 4419",
    "5": "5112 5120 5131 5141 5151 5223 5230 5244 5414",
    "6": "6111 6112 6121 6221",
    "7": "7112 7113 7114 7115 7121 7122 7124 7126 7127 7131 7212 7214 7231 7411 7421 7512 7531",
    "8": "8111 8160 8182 8211 8322 8331 8332 8342 8343 8344",
    "9": "9111 9112 9121 9211 9312 9313 9321 9329 9333 9412 9621 9622 9629",
}

# Monthly basic wage in OMR (low, high) by major group, then by unit-group prefix.
WAGE_OMR = {
    "1": (1200, 4000), "2": (700, 2000), "3": (450, 1100), "4": (300, 700), "5": (130, 400),
    "6": (100, 200), "7": (150, 400), "8": (150, 380), "9": (90, 150),
    "214": (800, 2000), "215": (800, 2000), "221": (1500, 4000), "226": (700, 1400),
}  # fmt: skip

LEGAL_FORMS = {  # by size: (legal form, weight)
    "MICRO": (("SOLE", 70), ("LLC", 25), ("PARTNERSHIP", 5)),
    "SMALL": (("SOLE", 40), ("LLC", 50), ("PARTNERSHIP", 10)),
    "MEDIUM": (("LLC", 80), ("SAOC", 10), ("BRANCH", 5), ("SOLE", 5)),
    "LARGE": (("LLC", 60), ("SAOC", 20), ("SAOG", 10), ("BRANCH", 10)),
}
LEGAL_SUFFIX = {  # (English after the name, Arabic kind before it, Arabic after it)
    "SOLE": ("Est.", "مؤسسة", ""),
    "LLC": ("LLC", "شركة", "ش.م.م"),
    "SAOC": ("SAOC", "شركة", "ش.م.ع.م"),
    "SAOG": ("SAOG", "شركة", "ش.م.ع.ع"),
    "PARTNERSHIP": ("& Partners", "شركة", "وشركاه"),
    "BRANCH": ("(Branch)", "فرع شركة", ""),
}


def _pairs(text: str) -> tuple[tuple[str, str], ...]:
    """ "Latin|Arabic, ..." as (Latin, Arabic) pairs: every name part exists in both scripts."""
    return tuple(tuple(part.strip().split("|")) for part in text.split(","))  # type: ignore[misc]


TRADE_NAME_PREFIXES = _pairs(
    "Al Noor|النور, Gulf|الخليج, Majan|مجان, Oasis|الواحة, Falcon|الصقر, Sohar|صحار, "
    "Dhofar|ظفار, Muscat|مسقط, Oman Star|نجمة عمان, Al Bahja|البهجة, Al Rawdha|الروضة, "
    "Green Land|الأرض الخضراء, Al Maha|المها, Sea Pearl|لؤلؤة البحر, Al Fajr|الفجر, "
    "Golden Sands|الرمال الذهبية, Al Shumookh|الشموخ, Al Jazeera|الجزيرة, United|المتحدة, "
    "Al Batinah|الباطنة, Al Khaleej|الخليج, Al Amal|الأمل, Al Wafa|الوفاء, Sur|صور"
)
TRADE_DESCRIPTORS = {
    "A": _pairs("Farms|للمزارع, Agriculture|للزراعة, Fisheries|للأسماك"),
    "B": _pairs("Oilfield Services|لخدمات حقول النفط, Mining|للتعدين"),
    "C": _pairs("Industries|للصناعات, Manufacturing|للتصنيع, Food Industries|للصناعات الغذائية"),
    "D": _pairs("Power|للطاقة"),
    "E": _pairs("Environmental Services|للخدمات البيئية"),
    "F": _pairs(
        "Contracting|للمقاولات, Building & Construction|للبناء والتشييد, "
        "Engineering & Contracting|للهندسة والمقاولات"
    ),
    "G": _pairs(
        "Trading|للتجارة, General Trading|للتجارة العامة, Foodstuff|للمواد الغذائية, "
        "Auto Spare Parts|لقطع غيار السيارات"
    ),
    "H": _pairs("Transport|للنقل, Logistics|للخدمات اللوجستية"),
    "I": _pairs("Restaurant|للمطاعم, Hotels|للفنادق, Cafe|للمقاهي"),
    "J": _pairs("Technology|للتقنية, Media|للإعلام"),
    "K": _pairs("Finance|للتمويل, Insurance Services|لخدمات التأمين"),
    "L": _pairs("Real Estate|للعقارات"),
    "M": _pairs("Consultancy|للاستشارات, Engineering Consultants|للاستشارات الهندسية"),
    "N": _pairs(
        "Cleaning Services|لخدمات التنظيف, Manpower Services|لخدمات القوى العاملة, "
        "Security Services|للخدمات الأمنية"
    ),
    "P": _pairs("Private School|للمدارس الخاصة, Training Institute|للتدريب"),
    "Q": _pairs("Medical Centre|للخدمات الطبية, Pharmacy|للصيدلة"),
    "R": _pairs("Entertainment|للترفيه"),
    "S": _pairs("Laundry|للمغاسل, Tailoring|للخياطة, Services|للخدمات"),
}

_ARAB_MALE = _pairs(
    "Ahmed|أحمد, Mohammed|محمد, Said|سعيد, Salim|سالم, Khalid|خالد, Sultan|سلطان, Hamad|حمد, "
    "Nasser|ناصر, Abdullah|عبدالله, Ali|علي, Saif|سيف, Hilal|هلال, Talal|طلال, Yousuf|يوسف, "
    "Ibrahim|إبراهيم, Rashid|راشد, Mubarak|مبارك, Hamood|حمود, Badar|بدر, Majid|ماجد, "
    "Faisal|فيصل, Issa|عيسى, Juma|جمعة, Khamis|خميس, Azzan|عزان, Qais|قيس, Haitham|هيثم, "
    "Omar|عمر, Hussain|حسين, Marhoon|مرهون"
)
_ARAB_FEMALE = _pairs(
    "Fatma|فاطمة, Aisha|عائشة, Maryam|مريم, Zainab|زينب, Muna|منى, Amal|أمل, Noor|نور, "
    "Huda|هدى, Salma|سلمى, Shamsa|شمسة, Thuraya|ثريا, Asma|أسماء, Khadija|خديجة, "
    "Badriya|بدرية, Ruqaiya|رقية, Maha|مها, Layla|ليلى, Sara|سارة, Reem|ريم, Nawal|نوال"
)


@dataclass(frozen=True)
class NameStyle:
    male: tuple[tuple[str, str], ...]
    female: tuple[tuple[str, str], ...]
    family: tuple[tuple[str, str], ...]
    fathers: int  # father's (and grandfather's) names between the given and the family name


NAME_STYLES = {
    "OMANI": NameStyle(
        _ARAB_MALE,
        _ARAB_FEMALE,
        _pairs(
            "Al Balushi|البلوشي, Al Busaidi|البوسعيدي, Al Harthy|الحارثي, Al Hinai|الهنائي, "
            "Al Kindi|الكندي, Al Maskari|المسكري, Al Rawahi|الرواحي, Al Shukaili|الشكيلي, "
            "Al Siyabi|السيابي, Al Amri|العامري, Al Habsi|الحبسي, Al Farsi|الفارسي, "
            "Al Lawati|اللواتي, Al Mamari|المعمري, Al Saadi|السعدي, Al Wahaibi|الوهيبي, "
            "Al Zadjali|الزدجالي, Al Ghafri|الغافري, Al Jabri|الجابري, Al Nabhani|النبهاني, "
            "Al Riyami|الريامي, Al Mahrooqi|المحروقي, Al Hashmi|الهاشمي, Al Shanfari|الشنفري, "
            "Al Kathiri|الكثيري, Al Mashani|المعشني, Al Araimi|العريمي, Al Yahyai|اليحيائي, "
            "Al Ismaili|الإسماعيلي, Al Abri|العبري"
        ),
        2,
    ),
    "ARAB": NameStyle(
        _ARAB_MALE
        + _pairs(
            "Mostafa|مصطفى, Tarek|طارق, Karim|كريم, Hany|هاني, Walid|وليد, Amr|عمرو, "
            "Bassam|بسام, Samir|سمير, Osama|أسامة, Mahmoud|محمود"
        ),
        _ARAB_FEMALE + _pairs("Rania|رانيا, Dina|دينا, Hala|هالة, Samah|سماح"),
        _pairs(
            "Hassan|حسن, Mahmoud|محمود, Abdel Rahman|عبدالرحمن, El Sayed|السيد, Khalil|خليل, "
            "Haddad|حداد, Nasr|نصر, Mansour|منصور, Saleh|صالح, Othman|عثمان, Abbas|عباس, "
            "Suleiman|سليمان, Fathi|فتحي, Hamdan|حمدان, Barakat|بركات, Awad|عوض"
        ),
        1,
    ),
    "INDIAN": NameStyle(
        _pairs(
            "Rajesh|راجيش, Suresh|سوريش, Ramesh|راميش, Anil|أنيل, Sunil|سونيل, Vijay|فيجاي, "
            "Manoj|مانوج, Sanjay|سانجاي, Pradeep|براديب, Rahul|راهول, Arun|أرون, Biju|بيجو, "
            "Shaji|شاجي, Mohammed|محمد, Abdul|عبدول, Joseph|جوزيف, Thomas|توماس, Ravi|رافي, "
            "Ganesh|غانيش, Prakash|براكاش, Deepak|ديباك, Santosh|سانتوش, Krishnan|كريشنان"
        ),
        _pairs(
            "Priya|بريا, Lakshmi|لاكشمي, Anjali|أنجلي, Deepa|ديبا, Sunita|سونيتا, Mary|ماري, "
            "Reshma|ريشما, Kavitha|كافيثا, Shalini|شاليني, Geetha|غيثا"
        ),
        _pairs(
            "Kumar|كومار, Nair|ناير, Pillai|بيلاي, Menon|مينون, Sharma|شارما, Singh|سينغ, "
            "Reddy|ريدي, Patel|باتيل, Das|داس, Varghese|فارغيز, Rao|راو, Iyer|أيير, "
            "Gupta|غوبتا, Yadav|ياداف, Khan|خان, Shaikh|شيخ, Joseph|جوزيف, Mishra|ميشرا"
        ),
        0,
    ),
    "BANGLADESHI": NameStyle(
        _pairs(
            "Mohammad|محمد, Abdul|عبدول, Rahim|رحيم, Karim|كريم, Jamal|جمال, Kamal|كمال, "
            "Habib|حبيب, Shahid|شاهد, Rubel|روبل, Sohel|سهيل, Alamgir|عالمغير, "
            "Mizanur|ميزانور, Shafiqul|شفيق الإسلام, Nurul|نور الإسلام, Anwar|أنور, Masud|مسعود"
        ),
        _pairs("Nasrin|نسرين, Shirin|شيرين, Rokeya|رقية, Fatema|فاطمة, Salma|سلمى"),
        _pairs(
            "Hossain|حسين, Rahman|رحمن, Islam|إسلام, Uddin|الدين, Ahmed|أحمد, Miah|ميا, "
            "Sarker|سركار, Alam|عالم, Chowdhury|شودري, Mollah|ملا, Sheikh|شيخ, Khan|خان"
        ),
        0,
    ),
    "PAKISTANI": NameStyle(
        _pairs(
            "Muhammad|محمد, Imran|عمران, Asif|آصف, Tariq|طارق, Naveed|نويد, Zahid|زاهد, "
            "Shahzad|شهزاد, Waqas|وقاص, Bilal|بلال, Usman|عثمان, Adnan|عدنان, Kashif|كاشف, "
            "Faisal|فيصل, Irfan|عرفان, Sajid|ساجد"
        ),
        _pairs("Ayesha|عائشة, Sana|ثناء, Rabia|رابعة, Nadia|نادية, Saima|صائمة"),
        _pairs(
            "Khan|خان, Ahmed|أحمد, Hussain|حسين, Iqbal|إقبال, Malik|مالك, Butt|بت, "
            "Qureshi|قريشي, Chaudhry|تشودري, Raza|رضا, Abbasi|عباسي, Baloch|بلوش, Akhtar|أختر, "
            "Javed|جاويد, Shah|شاه"
        ),
        0,
    ),
    "NEPALI": NameStyle(
        _pairs(
            "Ram|رام, Hari|هاري, Krishna|كريشنا, Bishnu|بيشنو, Ramesh|راميش, Dipak|ديباك, "
            "Bikash|بيكاش, Suman|سومان, Santosh|سانتوش, Prem|بريم"
        ),
        _pairs("Sita|سيتا, Gita|غيتا, Sarita|ساريتا, Anita|أنيتا"),
        _pairs(
            "Thapa|ثابا, Gurung|غورونغ, Tamang|تامانغ, Magar|ماغار, Rai|راي, Shrestha|شريستا, "
            "Limbu|ليمبو, Adhikari|أديكاري, Karki|كاركي, Bhandari|بهانداري"
        ),
        0,
    ),
    "SRI_LANKAN": NameStyle(
        _pairs(
            "Nimal|نيمال, Sunil|سونيل, Chaminda|تشاميندا, Ruwan|روان, Kasun|كاسون, "
            "Mohamed|محمد, Saman|سامان, Pradeep|براديب"
        ),
        _pairs("Nirosha|نيروشا, Dilani|ديلاني, Chathurika|تشاثوريكا, Fathima|فاطمة"),
        _pairs(
            "Perera|بيريرا, Fernando|فرناندو, Silva|سيلفا, Jayasinghe|جاياسينغ, "
            "Bandara|باندارا, Wickramasinghe|ويكراماسينغ, Rathnayake|راثنياكي, "
            "Dissanayake|ديساناياكي"
        ),
        0,
    ),
    "FILIPINO": NameStyle(
        _pairs(
            "Jose|خوسيه, Juan|خوان, Mark|مارك, John|جون, Michael|مايكل, Ramon|رامون, "
            "Ronaldo|رونالدو, Rodel|روديل, Arnel|أرنيل"
        ),
        _pairs(
            "Maria|ماريا, Ana|آنا, Jennifer|جنيفر, Grace|غريس, Rowena|روينا, Maricel|ماريسيل, "
            "Joy|جوي, Cristina|كريستينا"
        ),
        _pairs(
            "Santos|سانتوس, Reyes|رييس, Cruz|كروز, Bautista|باوتيستا, Garcia|غارسيا, "
            "Mendoza|ميندوزا, Dela Cruz|ديلا كروز, Villanueva|فيلانويفا, Ramos|راموس, "
            "Aquino|أكينو, Castillo|كاستيلو, Navarro|نافارو"
        ),
        0,
    ),
    "INDONESIAN": NameStyle(
        _pairs("Agus|أغوس, Budi|بودي, Hendra|هندرا, Eko|إيكو, Dedi|ديدي, Rudi|رودي"),
        _pairs("Siti|سيتي, Dewi|ديوي, Sri|سري, Rina|رينا"),
        _pairs(
            "Santoso|سانتوسو, Wijaya|ويجايا, Saputra|سابوترا, Hidayat|هداية, "
            "Setiawan|سيتياوان, Susanto|سوسانتو"
        ),
        0,
    ),
    "EAST_AFRICAN": NameStyle(
        _pairs(
            "Joseph|جوزيف, Daniel|دانيال, Emmanuel|إيمانويل, Samuel|صموئيل, Abebe|أبيبي, "
            "Juma|جمعة, Hassan|حسن, Baraka|بركة"
        ),
        _pairs("Grace|غريس, Mercy|ميرسي, Amina|أمينة, Halima|حليمة"),
        _pairs(
            "Mwangi|موانغي, Otieno|أوتينو, Kamau|كاماو, Tesfaye|تسفاي, Bekele|بيكيلي, "
            "Mohamed|محمد, Ally|علي, Mushi|موشي"
        ),
        0,
    ),
    "WESTERN": NameStyle(
        _pairs(
            "James|جيمس, John|جون, David|ديفيد, Michael|مايكل, Robert|روبرت, Paul|بول, "
            "Andrew|أندرو, Peter|بيتر, Wei|وي"
        ),
        _pairs("Sarah|سارة, Emma|إيما, Elizabeth|إليزابيث, Anna|آنا, Claire|كلير"),
        _pairs(
            "Smith|سميث, Brown|براون, Wilson|ويلسون, Taylor|تايلور, Johnson|جونسون, "
            "Clarke|كلارك, Walker|ووكر, Hughes|هيوز, Van der Merwe|فان دير ميرف, Zhang|تشانغ"
        ),
        0,
    ),
}
NAME_STYLE_OF = {
    "OMN": "OMANI", "EGY": "ARAB", "JOR": "ARAB", "SYR": "ARAB", "SDN": "ARAB", "YEM": "ARAB",
    "LBN": "ARAB", "MAR": "ARAB", "TUN": "ARAB", "IND": "INDIAN", "BGD": "BANGLADESHI",
    "PAK": "PAKISTANI", "NPL": "NEPALI", "LKA": "SRI_LANKAN", "PHL": "FILIPINO",
    "IDN": "INDONESIAN", "ETH": "EAST_AFRICAN", "TZA": "EAST_AFRICAN", "KEN": "EAST_AFRICAN",
    "UGA": "EAST_AFRICAN",
}  # fmt: skip
PASSPORT_LETTERS = "ABCDEFGHJKLMNPRSTUVWZ"


# --- Reference data -------------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """The codes the generator draws from, read once from the reference tables."""

    governorates: tuple[str, ...]
    governorate_cum: tuple[float, ...]
    wilayats: dict[str, tuple[str, ...]]
    divisions: tuple[tuple[str, str], ...]  # (division, section)
    division_cum: tuple[float, ...]
    non_nationals: tuple[str, ...]
    non_national_cum: tuple[float, ...]
    occupations: dict[str, tuple[str, ...]]  # unit groups by major group


def _cumulative(weights: Sequence[float]) -> tuple[float, ...]:
    return tuple(itertools.accumulate(weights))


def load_reference() -> Reference:
    wilayats: dict[str, list[str]] = {}
    for code, governorate in Wilayat.objects.order_by("code").values_list("code", "governorate"):
        wilayats.setdefault(governorate, []).append(code)
    governorates = [
        g
        for g in Governorate.objects.order_by("code").values_list("code", flat=True)
        if g in wilayats
    ]
    divisions = list(
        EconomicActivity.objects.filter(level=EconomicActivity.Level.DIVISION)
        .exclude(parent=None)
        .order_by("code")
        .values_list("code", "parent")
    )
    divisions = [(code, section) for code, section in divisions if section in SECTION_WEIGHTS]
    per_section = {s: sum(1 for _c, sec in divisions if sec == s) for s in SECTION_WEIGHTS}
    nationalities = set(Nationality.objects.values_list("code", flat=True))
    non_nationals = [c for c in NON_NATIONAL_WEIGHTS if c in nationalities]
    units = list(Occupation.objects.filter(level=4).order_by("code").values_list("code", flat=True))
    occupations = {}
    for major, common in COMMON_OCCUPATIONS.items():
        in_db = [u for u in units if u.startswith(major)]
        occupations[major] = tuple(c for c in common.split() if c in in_db) or tuple(in_db)
    missing = [
        name
        for name, present in [
            ("governorates and wilayats", governorates),
            ("economic activities", divisions),
            ("occupations", all(occupations.values())),
            ("nationalities", "OMN" in nationalities and non_nationals),
        ]
        if not present
    ]
    if missing:
        raise MissingReferenceData(
            _("Reference data is missing (%(what)s): run `manage.py migrate` first."),
            what=", ".join(missing),
        )
    return Reference(
        governorates=tuple(governorates),
        governorate_cum=_cumulative([GOVERNORATE_WEIGHTS.get(g, 1) for g in governorates]),
        wilayats={g: tuple(w) for g, w in wilayats.items()},
        divisions=tuple(divisions),
        division_cum=_cumulative([SECTION_WEIGHTS[s] / per_section[s] for _c, s in divisions]),
        non_nationals=tuple(non_nationals),
        non_national_cum=_cumulative([NON_NATIONAL_WEIGHTS[c] for c in non_nationals]),
        occupations=occupations,
    )


# --- Sizes and identifiers ------------------------------------------------------------------


def establishment_sizes(*, employers: int, workers: int, seed: int) -> list[int]:
    """Workers per establishment, adding up to `workers` exactly: heavy-tailed (Pareto), so most
    have 1-10 workers and a few have thousands."""
    if employers == 0:
        return []
    rng = random.Random(f"{seed}:sizes")
    if workers < employers:
        sizes = [1] * workers + [0] * (employers - workers)
        rng.shuffle(sizes)
        return sizes
    cap = max(200, workers // 150)  # the largest employers: a few tens of thousands nationally
    raw = [rng.paretovariate(1.15) - 1 for _ in range(employers)]
    # Where the tail passes the cap, land somewhere between 30% and 100% of it, not all on it.
    landing = [0.3 + 0.7 * rng.random() for _ in range(employers)]
    spare = workers - employers
    extra = raw
    for _round in range(4):  # scale to the total, fold the tail under the cap, rescale
        scale = spare / (sum(extra) or 1)
        limit = cap / scale
        extra = [x if x <= limit else limit * f for x, f in zip(raw, landing, strict=True)]
    scale = spare / (sum(extra) or 1)
    sizes = [1 + int(x * scale) for x in extra]
    for i in rng.sample(range(employers), workers - sum(sizes)):  # what rounding down lost
        sizes[i] += 1
    return sizes


def size_category(workers: int) -> str:
    if workers <= 5:
        return Establishment.Size.MICRO
    if workers <= 25:
        return Establishment.Size.SMALL
    if workers <= 99:
        return Establishment.Size.MEDIUM
    return Establishment.Size.LARGE


def cr_number(establishment_id: int) -> str:
    """Seven digits, unique for ids below nine million (a bijection of the id)."""
    return str(1_000_000 + (establishment_id * 2_718_281 + 314_159) % 9_000_000)


def civil_number(person_id: int) -> str:
    """Eight digits, unique for ids below ninety million (a bijection of the id)."""
    return str(10_000_000 + (person_id * 7_368_787 + 1_234_567) % 90_000_000)


def passport_digits(person_id: int) -> str:
    return f"{(person_id * 48_271_337 + 12_345_678) % 100_000_000:08d}"


# --- Row generation -------------------------------------------------------------------------


@dataclass(frozen=True)
class Tokens:
    """How a backend's loader wants booleans, NULL and the UTC offset of a timestamp."""

    true: str
    false: str
    null: str | None
    utc: str


POSTGRES_TOKENS = Tokens(true="t", false="f", null="\\N", utc="+00")
SQLITE_TOKENS = Tokens(true="1", false="0", null=None, utc="")

ESTABLISHMENT_COLUMNS = (
    "id", "cr_number", "name_ar", "name_en", "activity_id", "governorate_id", "wilayat_id",
    "legal_form", "size", "status", "chamber_number", "chamber_expiry_date", "registered_at",
)  # fmt: skip
PERSON_COLUMNS = (
    "id", "is_national", "civil_number", "name_ar", "name_en", "nationality_id", "birth_date",
    "gender", "passport_number", "passport_expiry_date",
)  # fmt: skip
EMPLOYMENT_COLUMNS = (
    "id", "person_id", "establishment_id", "occupation_id", "person_is_national", "start_date",
    "end_date", "basic_wage_baisa", "status",
)  # fmt: skip


class Generator:
    """Makes the rows. Establishments first (they fix who works where), then persons with
    their employments, chunk by chunk."""

    def __init__(
        self,
        *,
        reference: Reference,
        employers: int,
        workers: int,
        seed: int,
        as_of: dt.date,
        first_establishment_id: int,
        first_person_id: int,
        first_employment_id: int,
        tokens: Tokens,
    ):
        self.ref = reference
        self.seed = seed
        self.as_of = as_of
        self.tokens = tokens
        self.employers = employers
        self.workers = workers
        self.est0 = first_establishment_id
        self.person0 = first_person_id
        self.employment0 = first_employment_id
        self.sizes = establishment_sizes(employers=employers, workers=workers, seed=seed)
        self.ends = list(itertools.accumulate(self.sizes))  # person index bounds per employer
        self.sections = [""] * employers  # filled while establishments are made
        self.registered = [0] * employers  # ordinal date
        self.nationals = 0
        self.minimum_wage = getattr(
            settings, "NATIONAL_MINIMUM_WAGE_BAISA", NATIONAL_MINIMUM_WAGE_BAISA
        )
        # ISO dates by ordinal, from the earliest birth to the latest expiry: a list lookup is
        # far cheaper than formatting two million dates.
        self.day0 = dt.date(1960, 1, 1).toordinal()
        last = as_of.toordinal() + 3700
        self.iso = [dt.date.fromordinal(d).isoformat() for d in range(self.day0, last + 1)]

    def _rng(self, table: str, chunk: int) -> random.Random:
        return random.Random(f"{self.seed}:{table}:{chunk}")

    def establishments(self) -> Iterator[list[tuple]]:
        ref, t, iso, day0 = self.ref, self.tokens, self.iso, self.day0
        today = self.as_of.toordinal()
        for chunk, start in enumerate(range(0, self.employers, CHUNK)):
            rng = self._rng("establishments", chunk)
            n = min(CHUNK, self.employers - start)
            divisions = rng.choices(ref.divisions, cum_weights=ref.division_cum, k=n)
            governorates = rng.choices(ref.governorates, cum_weights=ref.governorate_cum, k=n)
            rows = []
            for k in range(n):
                i = start + k
                pk = self.est0 + i
                workers = self.sizes[i]
                size = size_category(workers)
                division, section = divisions[k]
                governorate = governorates[k]
                forms, weights = zip(*LEGAL_FORMS[size], strict=True)
                legal_form = rng.choices(forms, weights)[0]
                suffix_en, kind_ar, suffix_ar = LEGAL_SUFFIX[legal_form]
                prefix_en, prefix_ar = rng.choice(TRADE_NAME_PREFIXES)
                what_en, what_ar = rng.choice(TRADE_DESCRIPTORS[section])
                if workers == 0:
                    status = Establishment.Status.CLOSED
                elif rng.random() < 0.04:
                    status = Establishment.Status.SUSPENDED
                else:
                    status = Establishment.Status.ACTIVE
                registered = today - rng.randint(60, 30 * 365)
                self.sections[i] = section
                self.registered[i] = registered
                rows.append((
                    str(pk),
                    cr_number(pk),
                    f"{kind_ar} {prefix_ar} {what_ar} {suffix_ar}".strip(),
                    f"{prefix_en} {what_en} {suffix_en}",
                    division,
                    governorate,
                    rng.choice(ref.wilayats[governorate]),
                    legal_form,
                    size,
                    status,
                    str(rng.randint(100_000, 9_999_999)),
                    iso[today - day0 + rng.randint(-90, 720)],
                    f"{iso[registered - day0]} {rng.randint(5, 12):02d}:{rng.randint(0, 59):02d}"
                    f":00{t.utc}",
                ))  # fmt: skip
            yield rows

    def persons_and_employments(self) -> Iterator[tuple[list[tuple], list[tuple]]]:
        """Chunks of (person rows, employment rows); one active employment per person."""
        ref, t, iso, day0 = self.ref, self.tokens, self.iso, self.day0
        today = self.as_of.toordinal()
        oldest_start = today - 20 * 365
        birth_low = day0
        birth_high = dt.date(2005, 12, 31).toordinal()
        birth_mode = dt.date(1990, 1, 1).toordinal()
        styles = {code: NAME_STYLES[NAME_STYLE_OF.get(code, "WESTERN")] for code in NAME_STYLE_OF}
        styles.update({c: NAME_STYLES["WESTERN"] for c in ref.non_nationals if c not in styles})
        national_majors = list(NATIONAL_MAJOR_WEIGHTS), list(NATIONAL_MAJOR_WEIGHTS.values())
        foreign_majors = {
            s: (list(w), list(w.values())) for s, w in NON_NATIONAL_MAJOR_WEIGHTS.items()
        }
        wages = {}
        for units in ref.occupations.values():
            for unit in units:
                wages[unit] = next(WAGE_OMR[p] for p in (unit[:3], unit[:1]) if p in WAGE_OMR)
        male, female = Person.Gender.MALE.value, Person.Gender.FEMALE.value
        active = Employment.Status.ACTIVE.value
        for chunk, start in enumerate(range(0, self.workers, CHUNK)):
            rng = self._rng("persons", chunk)
            rand, randint, choice = rng.random, rng.randint, rng.choice
            n = min(CHUNK, self.workers - start)
            # An exact share of nationals in every chunk keeps the national share on target at
            # any size, small test data included.
            nationals = set(rng.sample(range(n), round(n * NATIONAL_SHARE)))
            self.nationals += len(nationals)
            foreign = iter(rng.choices(ref.non_nationals, cum_weights=ref.non_national_cum, k=n))
            employer = bisect.bisect_right(self.ends, start)
            persons, employments = [], []
            for k in range(n):
                j = start + k
                while self.ends[employer] <= j:
                    employer += 1
                section = self.sections[employer]
                pk = self.person0 + j
                is_national = k in nationals
                nationality = "OMN" if is_national else next(foreign)
                style = styles[nationality]
                if is_national:
                    is_female = rand() < 0.25
                else:
                    is_female = rand() < (0.03 if section in HEAVY_SECTIONS else 0.15) * (
                        3 if nationality == "PHL" else 1
                    )
                given = choice(style.female if is_female else style.male)
                parts = [given]
                for _father in range(style.fathers):
                    parts.append(choice(style.male))
                parts.append(choice(style.family))
                birth = int(rng.triangular(birth_low, birth_high, birth_mode))
                if is_national:
                    passport, passport_expiry = "", t.null
                    majors = national_majors
                else:
                    passport = choice(PASSPORT_LETTERS) + passport_digits(pk)
                    passport_expiry = iso[today - day0 + randint(30, 3650)]
                    majors = foreign_majors.get(section, foreign_majors[""])
                persons.append((
                    str(pk),
                    t.true if is_national else t.false,
                    civil_number(pk),
                    " ".join(p[1] for p in parts),
                    " ".join(p[0] for p in parts),
                    nationality,
                    iso[birth - day0],
                    female if is_female else male,
                    passport,
                    passport_expiry,
                ))  # fmt: skip
                major = rng.choices(*majors)[0]
                unit = choice(ref.occupations[major])
                low, high = wages[unit]
                wage = randint(low, high) * 1000
                if is_national and wage < self.minimum_wage:
                    wage = self.minimum_wage
                earliest = max(self.registered[employer], birth + 6575, oldest_start)
                started = randint(min(earliest, today), today)
                employments.append((
                    str(self.employment0 + j),
                    str(pk),
                    str(self.est0 + employer),
                    unit,
                    t.true if is_national else t.false,
                    iso[started - day0],
                    t.null,
                    str(wage),
                    active,
                ))  # fmt: skip
            yield persons, employments


# --- Loading --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeedResult:
    establishments: int
    persons: int
    employments: int
    nationals: int
    seconds: float


REGISTRY_MODELS = (EstablishmentWorkforce, Employment, Representation, Person, Establishment)


def registry_is_empty() -> bool:
    return not any(model.objects.exists() for model in REGISTRY_MODELS)


def _clear_registry() -> None:
    """Empty the registry; on PostgreSQL also every table that refers to it (licences, cards…),
    which a replaced synthetic registry would leave pointing at nobody."""
    tables = [model._meta.db_table for model in REGISTRY_MODELS]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
            return
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - our own table names
        if connection.vendor == "sqlite":
            placeholders = ", ".join(["%s"] * len(tables))
            cursor.execute(f"DELETE FROM sqlite_sequence WHERE name IN ({placeholders})", tables)


def _next_id(model) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def _insert_rows(cursor, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
    placeholders = ", ".join(["%s"] * len(columns))
    cursor.executemany(
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})",  # noqa: S608
        rows,
    )


def seed_registry(
    *,
    employers: int,
    workers: int,
    seed: int,
    as_of: dt.date,
    append: bool = False,
    replace: bool = False,
    progress: Callable[[str], None] | None = None,
) -> SeedResult:
    """Generate `employers` establishments and `workers` persons, each with one active
    employment, in one transaction. Refuses a non-empty registry unless told to append to it
    or to replace it."""
    started = time.monotonic()

    def say(message: str) -> None:
        if progress:
            progress(f"{message} ({time.monotonic() - started:.1f} s)")

    reference = load_reference()
    postgres = connection.vendor == "postgresql"
    tables = [model._meta.db_table for model in (Establishment, Person, Employment)]
    with transaction.atomic():
        if postgres:
            # Check now what earlier writes of this transaction deferred: TRUNCATE and ALTER
            # TABLE refuse to run while such checks are pending.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        if replace:
            _clear_registry()
        elif not append and not registry_is_empty():
            raise RegistryNotEmpty(
                _(
                    "The registry already holds establishments or persons. Use --append to add "
                    "to them or --replace to delete them first."
                )
            )
        generator = Generator(
            reference=reference,
            employers=employers,
            workers=workers,
            seed=seed,
            as_of=as_of,
            first_establishment_id=_next_id(Establishment),
            first_person_id=_next_id(Person),
            first_employment_id=_next_id(Employment),
            tokens=POSTGRES_TOKENS if postgres else SQLITE_TOKENS,
        )
        if postgres:
            # Building indexes and checking foreign keys once, after the load, is several
            # times faster than row by row; worth it only when the load dominates the tables.
            rebuild = workers >= REBUILD_THRESHOLD and registry_is_empty()
            with _indexes_dropped(tables, enabled=rebuild, say=say):
                _load_postgres(generator, say)
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's usual mode
        else:
            _load_batches(generator, say)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(
                no_style(), [Establishment, Person, Employment]
            ):
                cursor.execute(sql)
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(tables)}")
        say("analyzed")
    # After ANALYZE, whose statistics the grouped count's plan needs.
    omanisation_recompute_all()
    say("Omanisation figures computed")
    return SeedResult(
        establishments=employers,
        persons=workers,
        employments=workers,
        nationals=generator.nationals,
        seconds=time.monotonic() - started,
    )


def _load_batches(generator: Generator, say) -> None:
    with connection.cursor() as cursor:
        for rows in generator.establishments():
            _insert_rows(cursor, Establishment._meta.db_table, ESTABLISHMENT_COLUMNS, rows)
        say("establishments loaded")
        for persons, employments in generator.persons_and_employments():
            _insert_rows(cursor, Person._meta.db_table, PERSON_COLUMNS, persons)
            _insert_rows(cursor, Employment._meta.db_table, EMPLOYMENT_COLUMNS, employments)
        say("persons and employments loaded")


def _text(rows: list[tuple]) -> str:
    """COPY text format; generated values hold no tab, newline or backslash to escape."""
    return "".join("\t".join(row) + "\n" for row in rows)


def _load_postgres(generator: Generator, say) -> None:
    """COPY in text format. Persons and employments are made in one pass; employments wait in a
    temporary file while the persons stream in, then follow."""

    def copy_sql(model, columns):
        return f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"

    with connection.cursor() as wrapper, tempfile.TemporaryFile() as pending:
        cursor = wrapper.cursor  # the psycopg cursor under Django's wrapper
        with cursor.copy(copy_sql(Establishment, ESTABLISHMENT_COLUMNS)) as copy:
            for rows in generator.establishments():
                copy.write(_text(rows))
        say("establishments loaded")
        with cursor.copy(copy_sql(Person, PERSON_COLUMNS)) as copy:
            for persons, employments in generator.persons_and_employments():
                copy.write(_text(persons))
                pending.write(_text(employments).encode())
        say("persons loaded")
        pending.seek(0)
        with cursor.copy(copy_sql(Employment, EMPLOYMENT_COLUMNS)) as copy:
            while block := pending.read(1 << 20):
                copy.write(block)
        say("employments loaded")


REBUILD_THRESHOLD = 100_000


@contextmanager
def _indexes_dropped(tables: Sequence[str], *, enabled: bool, say):
    """Drop the secondary indexes, unique and foreign-key constraints of `tables` (keeping
    primary keys and checks), then recreate them from their own definitions."""
    if not enabled:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
            FROM pg_constraint
            WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('u', 'f')
            ORDER BY contype DESC, conname
            """,
            [list(tables)],
        )
        constraints = cursor.fetchall()  # unique ones first: foreign keys may need them
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            ORDER BY 1
            """,
            [list(tables)],
        )
        indexes = cursor.fetchall()
        for table, name, _definition in reversed(constraints):
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        say("indexes rebuilt")
        for table, name, definition in constraints:
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        say("constraints restored")
