"""A visible copy stamp on every page of a PDF (regulation 4.2.5).

The stamp is drawn with Helvetica, one of the fonts every PDF reader has, so
nothing is embedded; that font has no Cyrillic letters, so the person's name
is transliterated.
"""

import io

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import (
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
)

# Kyrgyz and Russian Cyrillic to Latin, letter by letter.
LATIN = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo",
        "ж": "j", "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m",
        "н": "n", "ң": "ng", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s",
        "т": "t", "у": "u", "ү": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch",
        "ш": "sh", "щ": "sch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
        "я": "ya",
    }
)  # fmt: skip


class NotAPdf(ValueError):
    """The bytes could not be read as a PDF."""


def latin(text: str) -> str:
    result = []
    for ch in text:
        low = ch.lower()
        out = low.translate(LATIN)
        result.append(out.capitalize() if ch != low and out else out)
    return "".join(c if 32 <= ord(c) < 127 else "?" for c in "".join(result))


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _stamp_page(width: float, height: float, lines: list[str]) -> PageObject:
    page = PageObject.create_blank_page(width=width, height=height)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica-Bold"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/PortalStamp"): font})}
    )
    size = 9
    box_height = (size + 3) * len(lines) + 8
    operators = [
        "q",
        "1 1 1 rg 0.64 0.09 0.1 RG 1 w",
        f"20 20 {width - 40:.1f} {box_height} re B",
        "0.64 0.09 0.1 rg",
        "BT",
        f"/PortalStamp {size} Tf",
    ]
    y = 20 + box_height - size - 4
    for line in lines:
        operators.append(f"1 0 0 1 26 {y} Tm ({_escaped(line)}) Tj")
        y -= size + 3
    operators += ["ET", "Q"]
    content = DecodedStreamObject()
    content.set_data("\n".join(operators).encode("latin-1"))
    page[NameObject("/Contents")] = content
    return page


def stamp_pdf(data: bytes, lines: list[str]) -> bytes:
    """The PDF with the lines stamped at the foot of every page."""
    lines = [latin(line) for line in lines]
    try:
        reader = PdfReader(io.BytesIO(data))
        writer = PdfWriter(clone_from=reader)
    except (PdfReadError, ValueError, OSError) as error:
        raise NotAPdf(str(error)) from error
    for page in writer.pages:
        box = page.mediabox
        stamp = _stamp_page(float(box.width), float(box.height), lines)
        page.merge_page(stamp, over=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
