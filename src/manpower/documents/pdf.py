"""One-page bilingual PDF of an issued document, drawn from its signed payload alone.

fpdf2 with HarfBuzz shaping (`uharfbuzz`) joins Arabic letters and lays them out right to
left. The fonts ship inside the package (`fonts/`, SIL Open Font License) so that a fresh
machine renders the same bytes without any system font.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from pathlib import Path

import qrcode
from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos

from manpower.core.dates import MUSCAT

FONTS = Path(__file__).resolve().parent / "fonts"

# fpdf2 subsets the fonts through fontTools, which reports every table at INFO.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

PAGE_MARGIN = 15
COLUMN_GAP = 6
INK = (20, 33, 61)
MUTED = (95, 99, 104)
RULE = (180, 160, 110)
HEADER_FILL = (244, 239, 226)
CELL_PADDING = 1.5

HEADING = {
    "en": ("Sultanate of Oman", "Ministry of Manpower"),
    "ar": ("سلطنة عُمان", "وزارة القوى العاملة"),
}
FOOTER = {
    "code": {"en": "Document code", "ar": "رمز الوثيقة"},
    "version": {"en": "Version", "ar": "الإصدار"},
    "issued": {"en": "Issued (Muscat time)", "ar": "تاريخ الإصدار (بتوقيت مسقط)"},
    "verify": {
        "en": "Scan the code or visit the address below to check this document.",
        "ar": "امسح الرمز أو زر العنوان أدناه للتحقق من هذه الوثيقة.",
    },
}


def issued_local(issued_at: str) -> str:
    """The payload's UTC timestamp as Muscat wall-clock time, the way people read it."""
    return dt.datetime.fromisoformat(issued_at).astimezone(MUSCAT).strftime("%d/%m/%Y %H:%M")


class _Page(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_margins(PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN)
        self.set_auto_page_break(False)
        for family, stem in (("naskh", "NotoNaskhArabic"), ("sans", "NotoSans")):
            self.add_font(family, "", FONTS / f"{stem}-Regular.ttf")
            self.add_font(family, "B", FONTS / f"{stem}-Bold.ttf")
        self.set_fallback_fonts(["naskh", "sans"], exact_match=False)
        self.set_text_shaping(True)
        self.set_creator("Manpower")
        self.column = (self.epw - COLUMN_GAP) / 2

    def text_in(self, lang: str, text: str, *, size: float, bold=False, colour=INK, h=None):
        """One line in the English (left) or Arabic (right) column, at the current height."""
        self.set_font("naskh" if lang == "ar" else "sans", "B" if bold else "", size)
        self.set_text_color(*colour)
        self.set_text_shaping(True, direction="rtl" if lang == "ar" else "ltr")
        x = self.l_margin if lang == "en" else self.l_margin + self.column + COLUMN_GAP
        self.set_x(x)
        self.multi_cell(
            self.column,
            h or size * 0.5,
            text,
            align="R" if lang == "ar" else "L",
            new_x=XPos.LEFT,
            new_y=YPos.NEXT,
        )

    def bilingual(self, en: str, ar: str, **style) -> None:
        """English on the left and Arabic on the right, the row as tall as the taller side."""
        top = self.get_y()
        self.text_in("en", en, **style)
        bottom = self.get_y()
        self.set_y(top)
        self.text_in("ar", ar, **style)
        self.set_y(max(bottom, self.get_y()))

    def _line(self, lang: str, text: str, *, x, y, w, size, bold, dry_run=False) -> float:
        """One text of a table cell at (x, y), Arabic right-aligned and English left-aligned, a
        number centred; returns its height (and draws nothing on a dry run)."""
        self.set_font("naskh" if lang == "ar" else "sans", "B" if bold else "", size)
        self.set_text_shaping(True, direction="rtl" if lang == "ar" else "ltr")
        if not dry_run:
            self.set_xy(x, y)
        return self.multi_cell(
            w,
            size * 0.5,
            text,
            align={"ar": "R", "en": "L"}.get(lang, "C"),
            dry_run=dry_run,
            output=MethodReturnValue.HEIGHT,
        )

    def table(self, table: dict) -> None:
        """A full-width table whose every heading and cell shows the Arabic above the English
        (one line when both are the same, as numbers are)."""
        self.bilingual(table["title"]["en"], table["title"]["ar"], size=11, bold=True, h=7)
        width = self.epw / len(table["columns"])
        self.set_draw_color(*RULE)
        self.set_line_width(0.2)
        for index, row in enumerate([table["columns"], *table["rows"]]):
            style = {"size": 9 if index == 0 else 10, "bold": index == 0}
            cells = [
                [("num", cell["en"])]
                if cell["en"] == cell["ar"]
                else [("ar", cell["ar"]), ("en", cell["en"])]
                for cell in row
            ]
            inner = width - 2 * CELL_PADDING
            height = 2 * CELL_PADDING + max(
                sum(
                    self._line(lang, text, x=0, y=0, w=inner, dry_run=True, **style)
                    for lang, text in lines
                )
                for lines in cells
            )
            top = self.get_y()
            for column, lines in enumerate(cells):
                x = self.l_margin + column * width
                self.set_fill_color(*HEADER_FILL)
                self.rect(x, top, width, height, style="DF" if index == 0 else "D")
                self.set_text_color(*INK)
                y = top + CELL_PADDING
                for lang, text in lines:
                    y += self._line(lang, text, x=x + CELL_PADDING, y=y, w=inner, **style)
            self.set_xy(self.l_margin, top + height)
        self.ln(3)

    def rule(self, gap: float = 3) -> None:
        self.ln(gap)
        self.set_draw_color(*RULE)
        self.set_line_width(0.5)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(gap)


def _qr_png(url: str) -> io.BytesIO:
    image = qrcode.make(url, error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


def render(*, payload: dict, verify_url: str) -> bytes:
    """The PDF bytes of a document whose payload is `payload`, its QR code pointing at
    `verify_url` (the public verification page with the signature)."""
    pdf = _Page()
    pdf.set_title(f"{payload['title']['en']} {payload['code']}")
    pdf.add_page()

    (en_country, en_ministry), (ar_country, ar_ministry) = HEADING["en"], HEADING["ar"]
    pdf.bilingual(en_country, ar_country, size=11, colour=MUTED)
    pdf.bilingual(en_ministry, ar_ministry, size=16, bold=True)
    pdf.rule()
    pdf.bilingual(payload["title"]["en"], payload["title"]["ar"], size=18, bold=True, h=10)
    pdf.ln(4)

    for field in payload["fields"]:
        pdf.bilingual(field["label"]["en"], field["label"]["ar"], size=9, colour=MUTED)
        pdf.bilingual(field["value"]["en"], field["value"]["ar"], size=12, h=7)
        pdf.ln(2)
    for table in payload.get("tables", []):
        pdf.table(table)

    pdf.rule()
    for key, value in (
        ("code", payload["code"]),
        ("version", str(payload["version"])),
        ("issued", issued_local(payload["issued_at"])),
    ):
        pdf.bilingual(
            f"{FOOTER[key]['en']}: {value}", f"{FOOTER[key]['ar']}: {value}", size=10, h=6
        )

    qr_size = 42
    qr_top = pdf.h - PAGE_MARGIN - qr_size - 16
    pdf.image(_qr_png(verify_url), x=(pdf.w - qr_size) / 2, y=qr_top, w=qr_size, h=qr_size)
    pdf.set_y(qr_top + qr_size + 2)
    pdf.bilingual(FOOTER["verify"]["en"], FOOTER["verify"]["ar"], size=8, colour=MUTED, h=4.5)
    pdf.set_font("sans", "", 8)
    pdf.set_text_shaping(True, direction="ltr")
    pdf.cell(pdf.epw, 5, verify_url.split("?")[0], align="C")
    return bytes(pdf.output())
