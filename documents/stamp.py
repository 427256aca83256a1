"""A visible copy stamp on every page of a PDF (regulation 4.2.5).

The stamp is drawn with Helvetica, one of the fonts every PDF reader has, so
nothing is embedded; that font has no Cyrillic letters, so the person's name
is transliterated.

The copy is never the stored file with a stamp added: documents.pdf_safety
rebuilds it from the pages alone (no catalog, no actions, no attached files,
annotations burnt in, every bound checked), and the stamp drawn by
_stamp_page goes over each page as a form of its own.
"""

import pikepdf
from pypdf import PageObject
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from documents import pdf_safety

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
    """A copy of the PDF, its pages only, with the lines stamped at the foot
    of every page; NotAPdf (with the reason) when it can't be made."""
    lines = [latin(line) for line in lines]

    def stamp(pdf: pikepdf.Pdf, width: float, height: float) -> pikepdf.Stream:
        return _as_form(pdf, _stamp_page(width, height, lines))

    try:
        return pdf_safety.rebuilt(data, overlay=stamp)
    except pdf_safety.Refused as error:
        raise NotAPdf(str(error)) from error


def _as_form(pdf: pikepdf.Pdf, page: PageObject) -> pikepdf.Stream:
    """The stamp page as a Form XObject of ``pdf``: its drawing and its own
    resources, so that it needs nothing from the page it lands on."""
    form = pdf.make_stream(page.get_contents().get_data())
    form[pikepdf.Name.Type] = pikepdf.Name.XObject
    form[pikepdf.Name.Subtype] = pikepdf.Name.Form
    form[pikepdf.Name.BBox] = pikepdf.Array([float(n) for n in page.mediabox])
    form[pikepdf.Name.Resources] = _converted(pdf, page["/Resources"])
    return form


def _converted(pdf: pikepdf.Pdf, value):
    """A pypdf object (the stamp's own, never an upload's) as pikepdf's."""
    if isinstance(value, IndirectObject):
        value = value.get_object()
    if isinstance(value, StreamObject):
        stream = pdf.make_stream(value.get_data())
        for key, item in value.items():
            if key not in ("/Length", "/Filter", "/DecodeParms"):
                stream[pikepdf.Name(key)] = _converted(pdf, item)
        return stream
    if isinstance(value, DictionaryObject):
        return pikepdf.Dictionary(
            {key: _converted(pdf, item) for key, item in value.items()}
        )
    if isinstance(value, ArrayObject):
        return pikepdf.Array([_converted(pdf, item) for item in value])
    if isinstance(value, NameObject):
        return pikepdf.Name(str(value))
    if isinstance(value, BooleanObject):
        return bool(value)
    if isinstance(value, NumberObject):
        return int(value)
    if isinstance(value, FloatObject):
        return float(value)
    if isinstance(value, TextStringObject):
        return pikepdf.String(value.get_original_bytes())
    if isinstance(value, ByteStringObject):
        return pikepdf.String(bytes(value))
    if isinstance(value, NullObject) or value is None:
        return None
    raise TypeError(f"the stamp holds a {type(value).__name__}")


def stampable(data: bytes) -> bool:
    """Whether a copy of this PDF can be stamped: tried at upload, so a file
    that could never be given out as a copy is refused while its owner is there.
    Bounded like every copy (pdf_safety: pages, bytes unpacked, seconds)."""
    try:
        stamp_pdf(data, ["COPY No. 0"])
    except NotAPdf:
        return False
    return True
