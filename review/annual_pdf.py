"""The annual review as a PDF report for the Mayor (702.6), with fpdf2.

The same sections, figures, charts and tables as the review page (review/annual_report.py).
Text is set in DejaVu Sans from the system's fonts (Debian: fonts-dejavu-core) so that names
and words in any script print as written; where that font is missing the core Helvetica is
used and text outside Latin-1 is transliterated. A report not yet signed off is marked DRAFT
on every page.
"""

import unicodedata
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from .annual_charts import PALETTE, Chart
from .annual_models import AnnualReview, long_date
from .annual_report import Section, Table, sections

FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
INK = (27, 27, 27)
MUTED = (80, 80, 80)
LINE = 5.2


def font_dir() -> Path:
    return Path(getattr(settings, "PDF_FONT_DIR", "/usr/share/fonts/truetype/dejavu"))


class ReviewPDF(FPDF):
    def __init__(self, review: AnnualReview, *, draft: bool):
        super().__init__(orientation="portrait", unit="mm", format="Letter")
        self.review = review
        self.draft = draft
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 16, 18)
        self.unicode = self._load_fonts()
        self.family = "DejaVu" if self.unicode else "Helvetica"

    def _load_fonts(self) -> bool:
        paths = {style: font_dir() / name for style, name in FONT_FILES.items()}
        if not all(path.is_file() for path in paths.values()):
            return False
        for style, path in paths.items():
            self.add_font("DejaVu", style=style, fname=str(path))
        return True

    def text_of(self, text) -> str:
        """What can be set in the current font: everything with DejaVu, else Latin-1."""
        text = str(text if text is not None else "")
        return text if self.unicode else latin1(text)

    def font(self, size: float, bold: bool = False, color=INK) -> None:
        self.set_font(self.family, "B" if bold else "", size)
        self.set_text_color(*color)

    def header(self) -> None:
        if self.draft:
            # Light and behind everything else on the page, corner to corner.
            self.font(84, bold=True, color=(225, 225, 225))
            with self.rotation(angle=45, x=self.w / 2, y=self.h / 2):
                self.text(self.w / 2 - 62, self.h / 2 + 12, "DRAFT")
        self.font(8, color=MUTED)
        self.set_xy(self.l_margin, 8)
        title = f"{settings.CITY_NAME}: review of social media use, {self.review.period_label}"
        self.cell(0, 4, self.text_of(title), align="L")
        self.set_xy(self.l_margin, self.t_margin)

    def footer(self) -> None:
        self.set_y(-12)
        self.font(8, color=MUTED)
        status = "DRAFT, not signed off" if self.draft else "Signed off"
        self.cell(0, 4, self.text_of(f"Policy 702.6 · {status} · page {self.page_no()}"), align="C")


def render_pdf(review: AnnualReview, figures: dict) -> bytes:
    """The report: the signed-off one with its frozen figures, or a draft, marked DRAFT."""
    pdf = ReviewPDF(review, draft=not review.is_signed_off)
    pdf.set_title(pdf.text_of(f"Review of the City's use of social media, {review.period_label}"))
    pdf.set_author(pdf.text_of(str(review.reviewer)))
    pdf.set_subject("Policy 702.6, monitoring content")
    pdf.set_lang("en-US")
    pdf.add_page()
    _cover(pdf, review, figures)
    for section in sections(review, figures):
        _section(pdf, section)
    _recommendations(pdf, review)
    return bytes(pdf.output())


def _cover(pdf: ReviewPDF, review: AnnualReview, figures: dict) -> None:
    pdf.font(18, bold=True)
    pdf.multi_cell(0, 9, pdf.text_of("Review of the City's use of social media"), **_next_line())
    pdf.font(12)
    lines = [
        f"{settings.CITY_NAME}, Policy 702.6: the period {review.period_label}.",
        f"Reviewing supervisor: {review.reviewer}, appointed by {review.appointed_by} for the "
        f"Mayor on {long_date(timezone.localtime(review.appointed_at).date())}.",
    ]
    if review.is_signed_off:
        signed = long_date(timezone.localtime(review.signed_off_at).date())
        lines.append(f"Signed off by {review.signed_off_by} on {signed}.")
    else:
        lines.append(
            "DRAFT: not signed off. The figures are as of "
            f"{long_date(timezone.localtime().date())} and may still change."
        )
    lines.append(
        "The policy asks for a report on, at a minimum, the resources being used, the "
        "effectiveness of the content, any unauthorized or inappropriate content, and the "
        "resolution of any issues: one section each below."
    )
    for line in lines:
        pdf.multi_cell(0, 6, pdf.text_of(line), **_next_line())
        pdf.ln(1)
    pdf.ln(3)


def _section(pdf: ReviewPDF, section: Section) -> None:
    _room(pdf, 40)
    pdf.start_section(pdf.text_of(section.title), level=0)
    pdf.font(15, bold=True)
    pdf.multi_cell(0, 8, pdf.text_of(section.title), **_next_line())
    pdf.ln(1)
    pdf.font(11, bold=True)
    pdf.cell(0, 6, "The reviewer's findings", **_next_line())
    pdf.font(10)
    pdf.multi_cell(0, LINE, pdf.text_of(section.findings or "Not written yet."), **_next_line())
    pdf.ln(2)
    _table(pdf, Table("facts", "Key figures", ["Figure", "Value"], section.facts), (3, 2))
    for chart in section.charts:
        _chart(pdf, chart)
    for table in section.tables:
        _table(pdf, table)


def _recommendations(pdf: ReviewPDF, review: AnnualReview) -> None:
    _room(pdf, 30)
    pdf.start_section("Recommendations", level=0)
    pdf.font(15, bold=True)
    pdf.cell(0, 8, "Recommendations", **_next_line())
    pdf.font(10)
    text = review.recommendations or "None written yet."
    pdf.multi_cell(0, LINE, pdf.text_of(text), **_next_line())


def _table(pdf: ReviewPDF, table: Table, widths=None) -> None:
    _room(pdf, 24)
    pdf.font(11, bold=True)
    pdf.multi_cell(0, 6, pdf.text_of(table.title), **_next_line())
    pdf.font(9)
    if not table.rows:
        pdf.multi_cell(0, LINE, pdf.text_of(table.empty), **_next_line())
        pdf.ln(2)
        return
    with pdf.table(
        col_widths=widths or _widths(table),
        line_height=4.6,
        headings_style=_heading_style(pdf),
        first_row_as_headings=True,
        text_align="LEFT",
        padding=1,
    ) as grid:
        for values in [table.columns, *table.rows]:
            row = grid.row()
            for value in values:
                row.cell(pdf.text_of(value))
    pdf.ln(3)


def _heading_style(pdf: ReviewPDF):
    from fpdf.fonts import FontFace

    return FontFace(family=pdf.family, emphasis="BOLD", fill_color=(240, 240, 240))


def _widths(table: Table) -> tuple:
    """Wider columns for words, narrow ones for numbers."""
    sample = table.rows[:20]
    widths = []
    for index, _ in enumerate(table.columns):
        longest = max((len(str(row[index])) for row in sample), default=4)
        widths.append(min(max(longest, 6), 40))
    return tuple(widths)


def _chart(pdf: ReviewPDF, chart: Chart) -> None:
    rows = len(chart.labels)
    legend = 6 * ((len(chart.series) + 1) // 2) if chart.stacked else 0
    bar, gap = 5.0, 2.4
    _room(pdf, 16 + legend + rows * (bar + gap))
    pdf.font(11, bold=True)
    pdf.multi_cell(0, 6, pdf.text_of(chart.title), **_next_line())
    pdf.font(9, color=MUTED)
    pdf.multi_cell(0, 4.6, pdf.text_of(chart.description), **_next_line())
    pdf.ln(1)
    if chart.is_empty:
        pdf.font(9)
        pdf.multi_cell(0, LINE, f"Nothing to chart: no {chart.unit} in the period.", **_next_line())
        pdf.ln(2)
        return
    left, label_width, value_width = pdf.l_margin, 55.0, 14.0
    span = pdf.w - pdf.r_margin - left - label_width - value_width
    y = pdf.get_y()
    if chart.stacked:
        pdf.font(8)
        for index, (name, _) in enumerate(chart.series):
            row, column = divmod(index, 2)
            x, top = left + label_width + column * 58, y + row * 6
            pdf.set_fill_color(*_rgb(PALETTE[index % len(PALETTE)]))
            pdf.rect(x, top + 0.8, 3.2, 3.2, style="F")
            pdf.set_xy(x + 4.4, top)
            pdf.cell(53, 4.8, pdf.text_of(_clip(name, 34)))
        y += legend
    pdf.font(8)
    bars_top = y
    for index, label in enumerate(chart.labels):
        pdf.set_xy(left, y)
        pdf.cell(label_width - 2, bar, pdf.text_of(_clip(label, 34)), align="R")
        x = left + label_width
        for serial, (_, values) in enumerate(chart.series):
            width = span * values[index] / chart.scale_max
            if width > 0:
                pdf.set_fill_color(*_rgb(PALETTE[serial % len(PALETTE)]))
                pdf.rect(x, y, width, bar, style="F")
            x += width
        pdf.set_xy(x + 1.5, y)
        pdf.cell(value_width, bar, str(_total(chart.totals[index])))
        y += bar + gap
    pdf.set_draw_color(117, 117, 117)
    pdf.line(left + label_width, bars_top, left + label_width, y)
    # Tables drawn after a chart must not inherit its last colour.
    pdf.set_fill_color(255, 255, 255)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_y(y + 2)


def _total(value: float):
    return int(value) if float(value).is_integer() else round(value, 1)


def _room(pdf: ReviewPDF, needed: float) -> None:
    if pdf.get_y() + needed > pdf.page_break_trigger:
        pdf.add_page()


def _next_line() -> dict:
    return {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}


def _rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def _clip(text: str, limit: int) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- Core fonts only: Latin-1, with a safe transliteration -----------------------------------

PUNCTUATION = {
    "“": '"',
    "”": '"',
    "„": '"',
    "‘": "'",
    "’": "'",
    "‚": "'",
    "–": "-",
    "—": "-",
    "−": "-",
    "…": "...",
    "•": "-",
    "·": "-",
    "€": "EUR",
    "\u00a0": " ",
    "\u202f": " ",
}


def latin1(text: str) -> str:
    """`text` in Latin-1: typographic punctuation made plain, accents kept where Latin-1 has
    them, other letters reduced to their base letter, and anything else as "?"."""
    out = []
    for char in text:
        char = PUNCTUATION.get(char, char)
        try:
            char.encode("latin-1")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFKD", char)
            base = "".join(c for c in decomposed if not unicodedata.combining(c))
            char = base if base and all(ord(c) < 256 for c in base) else "?"
        out.append(char)
    return "".join(out)
