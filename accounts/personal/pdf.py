"""A small PDF writer of our own: A4 pages of plain text, Cyrillic included.

Kyrgyz needs glyphs the PDF standard fonts lack (ң, ө, ү), so the text is set
in DejaVu Sans (fonts/, Bitstream Vera licence, see fonts/DejaVu-LICENSE.txt),
embedded as a CID font. Only the glyphs a document uses are kept in the
embedded copy, so a one-page certificate weighs tens of kilobytes, not 750.
A ToUnicode map lets viewers copy and search the text.
"""

import struct
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

FONT_PATH = Path(__file__).resolve().parent / "fonts" / "DejaVuSans.ttf"
PAGE_WIDTH, PAGE_HEIGHT = 595, 842  # A4 in points
MARGIN = 72
# Tables a PDF viewer needs from an embedded TrueType font.
KEPT_TABLES = (b"cvt ", b"fpgm", b"glyf", b"head", b"hhea", b"hmtx", b"loca", b"maxp")
KEPT_TABLES += (b"prep",)


@dataclass
class TrueTypeFont:
    tables: dict[bytes, bytes]
    units_per_em: int
    bbox: tuple[int, int, int, int]
    ascent: int
    descent: int
    widths: list[int]  # advance width per glyph, in font units
    cmap: dict[int, int]  # code point -> glyph id

    @classmethod
    def load(cls, path: Path) -> "TrueTypeFont":
        data = path.read_bytes()
        count = struct.unpack(">H", data[4:6])[0]
        tables = {}
        for index in range(count):
            tag, _checksum, offset, length = struct.unpack(
                ">4sIII", data[12 + 16 * index : 28 + 16 * index]
            )
            tables[tag] = data[offset : offset + length]
        head, hhea = tables[b"head"], tables[b"hhea"]
        glyphs = struct.unpack(">H", tables[b"maxp"][4:6])[0]
        metrics = struct.unpack(">H", hhea[34:36])[0]
        hmtx = tables[b"hmtx"]
        widths = [
            struct.unpack(">H", hmtx[4 * i : 4 * i + 2])[0] for i in range(metrics)
        ]
        widths += [widths[-1]] * (glyphs - metrics)
        return cls(
            tables=tables,
            units_per_em=struct.unpack(">H", head[18:20])[0],
            bbox=struct.unpack(">hhhh", head[36:44]),
            ascent=struct.unpack(">h", hhea[4:6])[0],
            descent=struct.unpack(">h", hhea[6:8])[0],
            widths=widths,
            cmap=_read_cmap(tables[b"cmap"]),
        )

    def glyph(self, char: str) -> int:
        return self.cmap.get(ord(char), 0)

    def width(self, text: str, size: float) -> float:
        units = sum(self.widths[self.glyph(char)] for char in text)
        return units * size / self.units_per_em

    def subset(self, used: set[int]) -> bytes:
        """The font with every glyph not in used (and their parts) left empty."""
        long_loca = struct.unpack(">h", self.tables[b"head"][50:52])[0] == 1
        loca_data = self.tables[b"loca"]
        count = len(self.widths) + 1
        if long_loca:
            loca = list(struct.unpack(f">{count}I", loca_data[: 4 * count]))
        else:
            loca = [2 * v for v in struct.unpack(f">{count}H", loca_data[: 2 * count])]
        glyf = self.tables[b"glyf"]
        keep = _with_components(glyf, loca, {0, *used})
        new_glyf = bytearray()
        new_loca = []
        for gid in range(len(self.widths)):
            new_loca.append(len(new_glyf))
            if gid in keep:
                new_glyf += glyf[loca[gid] : loca[gid + 1]]
                new_glyf += b"\0" * (-len(new_glyf) % 4)
        new_loca.append(len(new_glyf))
        head = bytearray(self.tables[b"head"])
        head[8:12] = b"\0\0\0\0"  # checkSumAdjustment: not needed inside a PDF
        head[50:52] = struct.pack(">h", 1)
        tables = {tag: self.tables[tag] for tag in KEPT_TABLES if tag in self.tables}
        tables[b"head"] = bytes(head)
        tables[b"glyf"] = bytes(new_glyf)
        tables[b"loca"] = struct.pack(f">{len(new_loca)}I", *new_loca)
        return _sfnt(tables)


def _with_components(glyf: bytes, loca: list[int], keep: set[int]) -> set[int]:
    """Composite glyphs (accented letters) need the glyphs they are built from."""
    keep = set(keep)
    pending = list(keep)
    while pending:
        gid = pending.pop()
        for part in _components(glyf[loca[gid] : loca[gid + 1]]):
            if part not in keep:
                keep.add(part)
                pending.append(part)
    return keep


def _components(glyph: bytes) -> list[int]:
    if len(glyph) < 10 or struct.unpack(">h", glyph[:2])[0] >= 0:
        return []
    parts, offset = [], 10
    while True:
        flags, gid = struct.unpack(">HH", glyph[offset : offset + 4])
        parts.append(gid)
        offset += 4 + (4 if flags & 0x0001 else 2)
        if flags & 0x0008:
            offset += 2
        elif flags & 0x0040:
            offset += 4
        elif flags & 0x0080:
            offset += 8
        if not flags & 0x0020:
            return parts


def _read_cmap(cmap: bytes) -> dict[int, int]:
    """The Unicode BMP map (platform 3, encoding 1, format 4)."""
    count = struct.unpack(">H", cmap[2:4])[0]
    for index in range(count):
        platform, encoding, offset = struct.unpack(
            ">HHI", cmap[4 + 8 * index : 12 + 8 * index]
        )
        if (platform, encoding) == (3, 1):
            return _read_format4(cmap[offset:])
    raise ValueError("the font has no Unicode (3, 1) cmap")


def _read_format4(table: bytes) -> dict[int, int]:
    segments = struct.unpack(">H", table[6:8])[0] // 2
    ends = struct.unpack(f">{segments}H", table[14 : 14 + 2 * segments])
    base = 16 + 2 * segments
    starts = struct.unpack(f">{segments}H", table[base : base + 2 * segments])
    deltas = struct.unpack(
        f">{segments}h", table[base + 2 * segments : base + 4 * segments]
    )
    range_base = base + 4 * segments
    ranges = struct.unpack(
        f">{segments}H", table[range_base : range_base + 2 * segments]
    )
    mapping = {}
    for seg in range(segments):
        for code in range(starts[seg], ends[seg] + 1):
            if code == 0xFFFF:
                continue
            if ranges[seg] == 0:
                gid = (code + deltas[seg]) & 0xFFFF
            else:
                at = range_base + 2 * seg + ranges[seg] + 2 * (code - starts[seg])
                gid = struct.unpack(">H", table[at : at + 2])[0]
                if gid:
                    gid = (gid + deltas[seg]) & 0xFFFF
            if gid:
                mapping[code] = gid
    return mapping


def _sfnt(tables: dict[bytes, bytes]) -> bytes:
    tags = sorted(tables)
    count = len(tags)
    power = 1
    while power * 2 <= count:
        power *= 2
    header = struct.pack(
        ">IHHHH",
        0x00010000,
        count,
        power * 16,
        power.bit_length() - 1,
        count * 16 - power * 16,
    )
    offset = 12 + 16 * count
    directory, body = b"", b""
    for tag in tags:
        data = tables[tag]
        padded = data + b"\0" * (-len(data) % 4)
        checksum = sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF
        directory += struct.pack(">4sIII", tag, checksum, offset + len(body), len(data))
        body += padded
    return header + directory + body


@lru_cache(maxsize=1)
def default_font() -> TrueTypeFont:
    return TrueTypeFont.load(FONT_PATH)


@dataclass
class Document:
    """Lines of text on A4 pages, set top to bottom."""

    font: TrueTypeFont = field(default_factory=default_font)
    pages: list[list[tuple[float, float, float, str]]] = field(default_factory=list)
    _y: float = 0.0

    def paragraph(self, text: str, *, size: float = 11, space_after: float = 6) -> None:
        """Text wrapped to the page width; a new page when this one is full."""
        leading = size * 1.4
        for line in self._wrap(text, size):
            if not self.pages or self._y - leading < MARGIN:
                self.pages.append([])
                self._y = PAGE_HEIGHT - MARGIN
            self._y -= leading
            self.pages[-1].append((MARGIN, self._y, size, line))
        self._y -= space_after

    def _wrap(self, text: str, size: float) -> list[str]:
        width = PAGE_WIDTH - 2 * MARGIN
        lines = []
        for source in text.splitlines() or [""]:
            line = ""
            for word in source.split(" "):
                candidate = f"{line} {word}" if line else word
                if line and self.font.width(candidate, size) > width:
                    lines.append(line)
                    line = word
                else:
                    line = candidate
            lines.append(line)
        return lines

    def render(self) -> bytes:
        font = self.font
        used = {
            font.glyph(char)
            for page in self.pages
            for *_, text in page
            for char in text
        }
        used.discard(0)
        writer = _Writer()
        catalog, pages_id = writer.reserve(), writer.reserve()
        font_id = writer.reserve()
        page_ids = []
        for page in self.pages or [[]]:
            content = "".join(
                f"BT /F1 {size:g} Tf {x:.2f} {y:.2f} Td <{_hex(font, text)}> Tj ET\n"
                for x, y, size, text in page
            ).encode("ascii")
            stream = writer.stream(content)
            page_ids.append(
                writer.add(
                    f"<< /Type /Page /Parent {pages_id} 0 R "
                    f"/MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
                    f"/Resources << /Font << /F1 {font_id} 0 R >> >> "
                    f"/Contents {stream} 0 R >>"
                )
            )
        subset = font.subset(used)
        font_file = writer.stream(subset, extra=f"/Length1 {len(subset)}")
        scale = 1000 / font.units_per_em
        descriptor = writer.add(
            "<< /Type /FontDescriptor /FontName /PORTAL+DejaVuSans /Flags 32 "
            f"/FontBBox [{' '.join(str(round(v * scale)) for v in font.bbox)}] "
            f"/ItalicAngle 0 /Ascent {round(font.ascent * scale)} "
            f"/Descent {round(font.descent * scale)} /CapHeight 729 /StemV 80 "
            f"/FontFile2 {font_file} 0 R >>"
        )
        widths = " ".join(
            f"{gid} [{round(font.widths[gid] * scale)}]" for gid in sorted(used)
        )
        cid_font = writer.add(
            "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /PORTAL+DejaVuSans "
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
            f"/FontDescriptor {descriptor} 0 R /W [{widths}] /CIDToGIDMap /Identity >>"
        )
        to_unicode = writer.stream(_to_unicode(font, self.pages))
        writer.set(
            font_id,
            "<< /Type /Font /Subtype /Type0 /BaseFont /PORTAL+DejaVuSans "
            f"/Encoding /Identity-H /DescendantFonts [{cid_font} 0 R] "
            f"/ToUnicode {to_unicode} 0 R >>",
        )
        kids = " ".join(f"{pid} 0 R" for pid in page_ids)
        writer.set(
            pages_id, f"<< /Type /Pages /Kids [{kids}] /Count {len(page_ids)} >>"
        )
        writer.set(catalog, f"<< /Type /Catalog /Pages {pages_id} 0 R >>")
        return writer.finish(root=catalog)


def _hex(font: TrueTypeFont, text: str) -> str:
    return "".join(f"{font.glyph(char):04X}" for char in text)


def _to_unicode(font: TrueTypeFont, pages) -> bytes:
    chars = sorted({char for page in pages for *_, text in page for char in text})
    pairs = [(font.glyph(char), char) for char in chars if font.glyph(char)]
    blocks = []
    for start in range(0, len(pairs), 100):
        chunk = pairs[start : start + 100]
        body = "\n".join(
            f"<{gid:04X}> <{char.encode('utf-16-be').hex().upper()}>"
            for gid, char in chunk
        )
        blocks.append(f"{len(chunk)} beginbfchar\n{body}\nendbfchar")
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        + "\n".join(blocks)
        + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode("ascii")


class _Writer:
    def __init__(self) -> None:
        self.objects: list[bytes | None] = []

    def reserve(self) -> int:
        self.objects.append(None)
        return len(self.objects)

    def set(self, number: int, body: str | bytes) -> None:
        self.objects[number - 1] = (
            body.encode("ascii") if isinstance(body, str) else body
        )

    def add(self, body: str | bytes) -> int:
        number = self.reserve()
        self.set(number, body)
        return number

    def stream(self, data: bytes, *, extra: str = "") -> int:
        packed = zlib.compress(data, 9)
        head = f"<< /Length {len(packed)} /Filter /FlateDecode {extra} >>\nstream\n"
        return self.add(head.encode("ascii") + packed + b"\nendstream")

    def finish(self, *, root: int) -> bytes:
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(self.objects, start=1):
            offsets.append(len(out))
            out += f"{number} 0 obj\n".encode("ascii") + body + b"\nendobj\n"
        xref = len(out)
        out += f"xref\n0 {len(self.objects) + 1}\n0000000000 65535 f \n".encode("ascii")
        for offset in offsets:
            out += f"{offset:010d} 00000 n \n".encode("ascii")
        out += (
            f"trailer\n<< /Size {len(self.objects) + 1} /Root {root} 0 R >>\n"
            f"startxref\n{xref}\n%%EOF\n"
        ).encode("ascii")
        return bytes(out)
