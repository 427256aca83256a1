"""Every PDF the portal writes goes through here: fpdf2, with DejaVu Sans.

Kyrgyz needs glyphs the PDF standard fonts lack (ң, ө, ү), so the text is set
in DejaVu Sans (fonts/, Bitstream Vera licence, see fonts/DejaVu-LICENSE.txt),
embedded. fpdf2 keeps only the glyphs a document uses (a one-page certificate
weighs tens of kilobytes, not 750) and writes a ToUnicode map, so viewers copy
and search the text and pypdf reads it back.

Three shapes of paper: ``Document`` (paragraphs on A4 pages: the certificate),
``stamp_page`` (one page of a given size with the copy stamp at its foot, which
documents.stamp lays over each page of a copy) and ``blank_pages`` (the demo's
and the benchmark's attachments).
"""

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_PATH = FONT_DIR / "DejaVuSans.ttf"
FONT = "DejaVuSans"
PAGE_WIDTH, PAGE_HEIGHT = 595.28, 841.89  # A4 in points
MARGIN = 72
STAMP_RED = (163, 23, 26)
STAMP_SIZE = 9  # points
STAMP_SMALLEST = 4  # a long name on a narrow page is set smaller, down to this
STAMP_INSET = 20  # from the page's edges


def _sheet(*, width: float, height: float, language: str = "") -> FPDF:
    pdf = FPDF(unit="pt", format=(width, height))
    if language:
        pdf.set_lang(language)  # read aloud in the right voice
    pdf.set_creator("School Portal")
    pdf.add_font(FONT, fname=str(FONT_PATH))
    pdf.set_font(FONT, size=11)
    return pdf


def _bytes(pdf: FPDF) -> bytes:
    return bytes(pdf.output())


class Document:
    """Lines of text on A4 pages, set top to bottom, wrapped to the width; a new
    page when one is full."""

    def __init__(self, *, language: str = "ky") -> None:
        self.pdf = _sheet(width=PAGE_WIDTH, height=PAGE_HEIGHT, language=language)
        self.pdf.set_margins(MARGIN, MARGIN, MARGIN)
        self.pdf.set_auto_page_break(True, margin=MARGIN)
        self.pdf.add_page()

    def paragraph(self, text: str, *, size: float = 11, space_after: float = 6) -> None:
        self.pdf.set_font(FONT, size=size)
        self.pdf.multi_cell(
            w=0,
            h=size * 1.4,
            text=text,
            align=Align.L,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.pdf.ln(space_after)

    def render(self) -> bytes:
        return _bytes(self.pdf)


def blank_pages(pages: int = 1) -> bytes:
    """Empty A4 pages (no font in the file), for demo and test attachments."""
    pdf = FPDF(unit="pt", format=(PAGE_WIDTH, PAGE_HEIGHT))
    pdf.set_creator("School Portal")
    for _ in range(max(pages, 1)):
        pdf.add_page()
    return _bytes(pdf)


def stamp_page(width: float, height: float, lines: list[str]) -> bytes:
    """A transparent page of this size with the lines in a red-edged box at its
    foot, each line set smaller if it would not fit the page's width."""
    pdf = _sheet(width=width, height=height)
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.add_page()
    inset = min(STAMP_INSET, width / 10, height / 10)
    room = max(width - 2 * inset - 12, 1)
    # A name is whatever was typed: control characters have no glyph.
    lines = ["".join(ch for ch in line if ch.isprintable()) for line in lines]
    sizes = []
    for line in lines:
        pdf.set_font(FONT, size=STAMP_SIZE)
        wide = pdf.get_string_width(line) or room
        sizes.append(max(STAMP_SMALLEST, min(STAMP_SIZE, STAMP_SIZE * room / wide)))
    box_height = sum(size + 3 for size in sizes) + 8
    top = height - inset - box_height
    pdf.set_draw_color(*STAMP_RED)
    pdf.set_fill_color(255, 255, 255)
    pdf.set_line_width(1)
    pdf.rect(inset, top, max(width - 2 * inset, 1), box_height, style="DF")
    pdf.set_text_color(*STAMP_RED)
    y = top + 4
    for line, size in zip(lines, sizes, strict=True):
        pdf.set_font(FONT, size=size)
        y += size + 3
        pdf.text(inset + 6, y - 3, line)
    return _bytes(pdf)
