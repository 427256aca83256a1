"""Office files from outside (Word, Excel, PowerPoint, OpenDocument), judged
by their content before the portal keeps or reads them (issue 17).

A DOCX, XLSX, PPTX or OpenDocument file is a zip of XML parts. It is refused
when it

- is a zip bomb: more than MAX_PARTS parts, more than ``max_unpacked`` bytes
  unpacked in all, or a large part packed more than MAX_RATIO times. Every
  part is really unpacked (and its checksum checked), so a directory that
  understates a part's size is caught too; nothing unpacked is kept;
- holds macros (a VBA project, OpenDocument Basic or scripts) or ActiveX
  controls, or loads a template or an object from another computer when it
  is opened;
- has XML with a document type declaration (DTD). Office programs never write
  one; entities declared in it are how "billion laughs" and external-file
  attacks work. Each XML part is parsed by defusedxml up to its root element,
  which is where a DTD would have to be.

A legacy Word or Excel file (.doc, .xls) is refused when it holds a VBA
project (check_legacy).
"""

import io
import struct
import time
import zipfile

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

MiB = 1024 * 1024

MAX_PARTS = 5000
MAX_UNPACKED = 200 * MiB
# Text compresses about ten times, a sheet of repeated cells a hundred; a
# part packed tighter than this, once it is larger than a few pages, is a bomb.
MAX_RATIO = 200
RATIO_FROM_BYTES = 1 * MiB
MAX_SECONDS = 5
READ_CHUNK = 1 * MiB
# How much of a relationships part is read to look for remote links.
RELATIONSHIPS_BYTES = 16 * MiB
XML_NAMES = (".xml", ".rels", ".vml")
XML_STARTS = (b"<", b"\xff\xfe", b"\xfe\xff", b"\0<")
# The zip directory is read before the parts: at most this many bytes a part.
DIRECTORY_BYTES_PER_PART = 512

AGAIN = _("Save it again in the office program and upload it once more.")
BOMB = _(
    "This file unpacks to far more data than its size (more than %(mb)d MB), "
    "which can stop the computer that opens it."
)
TOO_MANY_PARTS = ngettext_lazy(
    "This office file has more than %(limit)d part.",
    "This office file has more than %(limit)d parts.",
    "limit",
)
MACROS = _(
    "This document contains macros or ActiveX controls, which can run "
    "programs on the computer of whoever opens it. Save it as a document "
    "without macros (.docx, .xlsx, .pptx or OpenDocument) and upload it once "
    "more."
)
REMOTE = _(
    "This document loads a template or an object from another computer when "
    "it is opened. Save it without that link and upload it once more."
)
DTD = _(
    "This office file contains XML with a document type declaration (DTD), "
    "which office programs never write."
)
DAMAGED = _("This office file is damaged: its parts can't be unpacked.")
TOO_SLOW = _("This office file can't be checked in a few seconds.")

MACRO_PARTS = ("vbaproject.bin", "vbadata.xml")
MACRO_FOLDERS = ("basic/", "scripts/")  # OpenDocument macros
MACRO_SUBFOLDERS = ("/activex/", "/macrosheets/")  # ActiveX, Excel 4 macros
MACRO_CONTENT_TYPES = (b"macroenabled", b"vbaproject", b"ms-office.activex")
# Relationships an office program follows by itself when the file is opened.
REMOTE_RELATIONSHIPS = ("/attachedtemplate", "/oleobject", "/frame", "/subdocument")
# The name of the stream every VBA project has, as a legacy file's directory
# spells it (UTF-16).
LEGACY_VBA = "_VBA_PROJECT".encode("utf-16-le")


class Refused(ValueError):
    """The file is not accepted; str() says why, for the person."""


def _refused(message, advice=AGAIN) -> Refused:
    return Refused(format_lazy("{} {}", message, advice) if advice else message)


def _bomb(limit: int) -> Refused:
    return _refused(BOMB % {"mb": limit // MiB})


def open_zip(data: bytes) -> zipfile.ZipFile | None:
    """The zip, its directory's size checked before it is read; None when the
    bytes are not a zip at all."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or len(data) < end + 22:
        return None
    entries, directory_size = struct.unpack("<xxxxxxxxxxHI", data[end : end + 16])
    if entries > MAX_PARTS or directory_size > MAX_PARTS * DIRECTORY_BYTES_PER_PART:
        raise _refused(TOO_MANY_PARTS % {"limit": MAX_PARTS})
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None
    if len(archive.infolist()) > MAX_PARTS:
        raise _refused(TOO_MANY_PARTS % {"limit": MAX_PARTS})
    return archive


def check(data: bytes, *, max_unpacked: int = MAX_UNPACKED) -> int:
    """Refuse (Refused) a bomb, macros, remote templates or a DTD. The number
    of XML tags ("<") in all parts: what a program that reads the XML spends
    its time on (school_portal.spreadsheets bounds it)."""
    archive = open_zip(data)
    if archive is None:
        raise _refused(DAMAGED)
    with archive:
        infos = archive.infolist()
        _check_sizes(infos, max_unpacked)
        _check_names(archive, infos)
        ends = time.monotonic() + MAX_SECONDS
        return sum(_read_part(archive, info, ends) for info in infos)


def _check_sizes(infos: list[zipfile.ZipInfo], max_unpacked: int) -> None:
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        # Two parts of one name: which one a program reads is its own choice.
        raise _refused(DAMAGED)
    if sum(info.file_size for info in infos) > max_unpacked:
        raise _bomb(max_unpacked)
    for info in infos:
        packed = max(info.compress_size, 1)
        if info.file_size > RATIO_FROM_BYTES and info.file_size / packed > MAX_RATIO:
            raise _bomb(max_unpacked)


def _check_names(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    for info in infos:
        name = info.filename.lower()
        if (
            name.endswith(MACRO_PARTS)
            or name.startswith(MACRO_FOLDERS)
            or any(folder in f"/{name}" for folder in MACRO_SUBFOLDERS)
        ):
            raise Refused(MACROS)
    if "[Content_Types].xml" in archive.NameToInfo:
        types = _read_small(archive, "[Content_Types].xml").lower()
        if any(marker in types for marker in MACRO_CONTENT_TYPES):
            raise Refused(MACROS)


def _read_small(archive: zipfile.ZipFile, name: str) -> bytes:
    # Sizes were checked against the directory; zipfile stops at the size the
    # directory gives, and fails on a wrong checksum.
    with archive.open(name) as part:
        return part.read(RATIO_FROM_BYTES)


class _RootReached(Exception):
    pass


class _StopAtRoot:
    """A tree builder that stops the parser at the root element: a DTD can only
    come before it."""

    def start(self, tag, attributes):
        raise _RootReached(tag, attributes)

    def end(self, tag):
        pass

    def data(self, text):
        pass

    def close(self):
        pass


def _read_part(archive: zipfile.ZipFile, info: zipfile.ZipInfo, ends: float) -> int:
    """Unpack one part in chunks (nothing is kept): its size and checksum are
    what the directory says, and XML is checked for a DTD on the way. A part
    is XML by its name or by its first bytes after any whitespace. Returns
    the XML's number of tags."""
    name = info.filename.lower()
    relationships = name.endswith(".rels")
    xml = name.endswith(XML_NAMES)
    parser = _parser() if xml else None
    undecided = not xml
    rels, tags = bytearray(), 0
    try:
        with archive.open(info) as part:
            while chunk := part.read(READ_CHUNK):
                if undecided:
                    start = chunk.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
                    if start:
                        undecided = False
                        xml = start.startswith(XML_STARTS)
                        parser = _parser() if xml else None
                if xml:
                    tags += chunk.count(b"<")
                if parser is not None:
                    parser = _feed(parser, chunk)
                if relationships and len(rels) < RELATIONSHIPS_BYTES:
                    rels += chunk
                if time.monotonic() > ends:
                    raise _refused(TOO_SLOW)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError):
        raise _refused(DAMAGED) from None
    except (RuntimeError, NotImplementedError):
        # A password-protected or oddly compressed part.
        raise _refused(DAMAGED) from None
    if relationships:
        _check_relationships(bytes(rels))
    return tags


def _parser() -> DefusedXMLParser:
    return DefusedXMLParser(
        target=_StopAtRoot(),
        forbid_dtd=True,
        forbid_entities=True,
        forbid_external=True,
    )


def _feed(parser, chunk: bytes):
    """The parser, or None once it has reached the root element."""
    try:
        parser.feed(chunk)
    except _RootReached:
        return None
    except DefusedXmlException:
        raise _refused(DTD) from None
    except ParseError:
        raise _refused(DAMAGED) from None
    return parser


def _check_relationships(xml: bytes) -> None:
    """No relationship an office program follows to another computer by
    itself (a remote template, a linked object or frame)."""
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(xml, forbid_dtd=True)
    except DefusedXmlException:
        raise _refused(DTD) from None
    except ParseError:
        raise _refused(DAMAGED) from None
    for relationship in root:
        kind = relationship.get("Type", "").lower()
        external = relationship.get("TargetMode", "").lower() == "external"
        if external and kind.endswith(REMOTE_RELATIONSHIPS):
            raise Refused(REMOTE)


def check_legacy(data: bytes) -> None:
    """A legacy Word or Excel file: no VBA project in it."""
    if LEGACY_VBA in data:
        raise Refused(MACROS)
