"""Money in Omani rials: stored as an integer number of baisa (1 OMR = 1000 baisa)."""

from decimal import Decimal

BAISA_PER_RIAL = 1000


def format_omr(baisa: int | None) -> str:
    """`301000` -> `"OMR 301.000"`; the three decimals are the law's, never rounded away."""
    if baisa is None:
        return ""
    sign = "-" if baisa < 0 else ""
    rials, rest = divmod(abs(int(baisa)), BAISA_PER_RIAL)
    return f"OMR {sign}{rials:,}.{rest:03d}"


def rials_to_baisa(amount: Decimal | str | int) -> int:
    value = Decimal(str(amount)) * BAISA_PER_RIAL
    if value != value.to_integral_value():
        raise ValueError("Amounts in OMR have at most three decimals.")
    return int(value)
