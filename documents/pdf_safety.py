"""PDFs from outside, judged by their content: what the portal keeps and what
it hands out can't run anything on the computer that opens them (issue 17).

``check(data)`` is the upload's verdict. A PDF is refused, with the reason in
the person's words, when it

- carries active content: JavaScript (also in forms and XFA), a command that
  starts a program (/Launch), attached files, forms that send data, links that
  open other files (/GoToR, a /URI that is not a web, e-mail or telephone
  address), media players. Navigation is not active: an opening view, links
  to pages or to web sites stay. The person prints the PDF to PDF, which keeps
  what shows;
- is something else as well (a polyglot): a web page inside it, an archive or
  any data after its end;
- would overload whoever opens it, the portal included: more than MAX_PAGES
  pages, a page of no usable size (a missing or malformed /MediaBox is taken
  for US Letter, as every reader and qpdf do), a stream that unpacks to more
  than MAX_STREAM_BYTES (MAX_UNPACKED_BYTES for the whole file), an image over
  MAX_IMAGE_PIXELS, or more objects than a document has;
- can't be read (damaged, locked with a password).

An accepted PDF is kept as it came (its checksum is the sender's).

``rebuilt(data, overlay=...)`` makes the copy that is handed out: a new file
with the pages only, never the original's catalog (no /OpenAction, /Names,
/AcroForm, outlines), annotations burnt into the page content (what shows
stays, nothing acts), every action and attached file swept out of what the
pages use, and the overlay (the copy stamp) drawn over each page. It checks the
same bounds itself, because files stored before these checks are copied too.

Bounds are structural first (pages, objects, bytes unpacked, elements looked
at), then a wall clock (MAX_SECONDS) checked between steps. qpdf (pikepdf)
parses. The only streams it unpacks by itself are the cross-reference streams
(at most MAX_XREF_SECTIONS) and the object streams (measured here before it
reads an object in them), each under the memory limit of QPDF_LIMITS; a limit
it reaches makes the file refused, since a reader without it would see more
than was checked.
"""

import base64
import binascii
import io
import logging
import math
import re
import time
import zipfile
import zlib
from collections.abc import Callable

import pikepdf
import pikepdf.settings
import pypdf
import pypdf.errors
import pypdf.filters
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from pikepdf import Array, Dictionary, Name, Stream

logger = logging.getLogger(__name__)

MiB = 1024 * 1024

MAX_PAGES = 1000
# Cross-reference entries: a 1000-page report has some tens of thousands.
MAX_OBJECTS = 100_000
# Dictionary entries and array items looked at in one file.
MAX_ELEMENTS = 3_000_000
MAX_ANNOTATIONS = 20_000
# Incremental updates each add a cross-reference section; a form saved many
# times has a dozen.
MAX_XREF_SECTIONS = 64
MAX_STREAM_BYTES = 256 * MiB
MAX_UNPACKED_BYTES = 512 * MiB
# An A3 page scanned at 600 dpi is 70 megapixels.
MAX_IMAGE_PIXELS = 150_000_000
# The PDF standard's page sizes: 3 to 14,400 units (1/72 inch: 5 metres).
PAGE_SIDES = (3, 14_400)
MAX_SECONDS = 5
# What qpdf may unpack on its own (cross-reference and object streams: a few
# kilobytes in a real file) and the largest array or dictionary it builds.
QPDF_LIMITS = {
    "flate_max_memory": 16 * MiB,
    "run_length_max_memory": 16 * MiB,
    "png_max_memory": 16 * MiB,
    "tiff_max_memory": 16 * MiB,
    "parser_max_container_size": 100_000,
    "doc_max_warnings": 1000,
}
pikepdf.settings.set_qpdf_limits(**QPDF_LIMITS)

AGAIN = _(
    "Save it as a PDF again (for example, print it to PDF) and attach it once more."
)
PRINT_IT = _(
    "Print it to PDF (for example, with “Microsoft Print to PDF”) and attach "
    "the printed file."
)
UNREADABLE = _(
    "This PDF can't be read: it is damaged or locked with a password, so its "
    "copies could not be stamped. Save it as a PDF again (for example, print it "
    "to PDF) and attach it once more."
)
ACTIVE = _(
    "This PDF contains %(what)s, which can run on the computer of whoever opens it."
)
POLYGLOT = _(
    "This file is a PDF with something else hidden in it (a web page, an "
    "archive or other data after the end of the PDF)."
)
TOO_MANY_PAGES = ngettext_lazy(
    "This PDF has more than %(limit)d page. Split it into parts of at most "
    "%(limit)d page and attach them one by one.",
    "This PDF has more than %(limit)d pages. Split it into parts of at most "
    "%(limit)d pages and attach them one by one.",
    "limit",
)
NO_PAGE_SIZE = _("Page %(number)d of this PDF has no valid size.")
TOO_LARGE = _(
    "This PDF unpacks to far more data than its size (more than %(mb)d MB), "
    "which can stop the computer that opens it."
)
IMAGE_TOO_LARGE = ngettext_lazy(
    "An image in this PDF is too large (more than %(megapixels)d megapixel). "
    "Scan the page again at 300 dpi and attach the new file.",
    "An image in this PDF is too large (more than %(megapixels)d megapixels). "
    "Scan the page again at 300 dpi and attach the new file.",
    "megapixels",
)
TOO_COMPLEX = _("This PDF is too complex to be checked in a few seconds.")

# Kinds of active content, as the person is told about them.
SCRIPTS = _("scripts (JavaScript)")
PROGRAMS = _("commands that start programs")
FILES = _("attached files")
SENDING = _("forms that send data")
LINKS = _("links that open other files or programs")
MEDIA = _("media players")
KINDS = (SCRIPTS, PROGRAMS, FILES, SENDING, LINKS, MEDIA)

# A dictionary key that is itself active content...
ACTIVE_KEYS = {
    "/JS": SCRIPTS,
    "/JavaScript": SCRIPTS,  # the catalog's named scripts
    "/XFA": SCRIPTS,  # XML forms, which carry their own scripts
    "/EmbeddedFiles": FILES,
    "/EF": FILES,
    "/RichMediaContent": MEDIA,
}
# ... an action's type (/S) ...
ACTIVE_ACTIONS = {
    "/JavaScript": SCRIPTS,
    "/ECMAScript": SCRIPTS,
    "/Launch": PROGRAMS,
    "/SubmitForm": SENDING,
    "/ImportData": SENDING,
    "/GoToR": LINKS,
    "/GoToE": FILES,
    "/Rendition": MEDIA,
    "/Movie": MEDIA,
    "/Sound": MEDIA,
    "/RichMediaExecute": MEDIA,
}
# ... or an object's /Type or /Subtype.
ACTIVE_TYPES = {
    "/EmbeddedFile": FILES,
    "/FileAttachment": FILES,
    "/RichMedia": MEDIA,
    "/Movie": MEDIA,
    "/Sound": MEDIA,
    "/Screen": MEDIA,
    "/3D": MEDIA,  # a 3D model carries its own scripts
}
# Every name that means active content, wherever it stands: the net for
# objects that only a lenient reader would find (see _top_level_objects).
ACTIVE_NAMES = {**ACTIVE_TYPES, **ACTIVE_ACTIONS, **ACTIVE_KEYS}
WEB_SCHEMES = ("http:", "https:", "mailto:", "tel:")

# What a browser takes for a web page, anywhere in the file's bytes. Hex
# strings (<48656c6c6f>) can't match: each tag has a letter beyond a-f.
HTML = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|script|iframe|frame|frameset|svg|"
    rb"object|embed|meta|link|style|img|form|base)(?=[\s/>])",
    re.IGNORECASE,
)
PDF_WHITESPACE = b"\0\t\n\x0c\r "
# "obj" is found first (fast on megabytes of image data), then the two
# numbers before it.
OBJ_KEYWORD = re.compile(rb"obj(?![A-Za-z])")
OBJECT_NUMBERS = re.compile(
    rb"(?<![0-9])[0-9]{1,10}[\0\t\n\x0c\r ]+[0-9]{1,5}[\0\t\n\x0c\r ]+\Z"
)
OBJECT_BODY_END = re.compile(rb"stream\r?\n|endobj")
OBJECT_BODY_MAX = 64 * 1024
NAME_TOKEN = re.compile(rb"/([^\0\t\n\x0c\r ()<>\[\]{}/%]*)")
HEX_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
INDIRECT_FILTER = re.compile(rb"/Filter[\0\t\n\x0c\r ]*[0-9]+[\0\t\n\x0c\r ]+[0-9]+")

FLATE = {"/FlateDecode", "/Fl"}
# Filters whose output is pixels, sized by the image's /Width and /Height.
IMAGE_CODECS = {
    "/DCTDecode",
    "/DCT",
    "/JPXDecode",
    "/JBIG2Decode",
    "/CCITTFaxDecode",
    "/CCF",
}
# An intermediate stage of a filter chain is held in memory: this much at most.
MAX_STAGE_BYTES = 64 * MiB
INFLATE_CHUNK = 16 * MiB


class Refused(ValueError):
    """The PDF is not accepted; str() says why, for the person."""


def _refused(message, advice=AGAIN) -> Refused:
    return Refused(format_lazy("{} {}", message, advice) if advice else message)


class _Budget:
    """What one check may spend: elements looked at, bytes unpacked, time."""

    def __init__(self):
        self.ends = time.monotonic() + MAX_SECONDS
        self.elements = 0
        self.unpacked = 0

    def look(self, count: int = 1) -> None:
        before, self.elements = self.elements, self.elements + count
        if self.elements > MAX_ELEMENTS:
            raise _refused(TOO_COMPLEX)
        if before // 1024 != self.elements // 1024:
            self.in_time()

    def in_time(self) -> None:
        if time.monotonic() > self.ends:
            raise _refused(TOO_COMPLEX)

    def unpack(self, count: int) -> None:
        self.unpacked += count
        if self.unpacked > MAX_UNPACKED_BYTES:
            raise _too_large(MAX_UNPACKED_BYTES)


def _too_large(limit: int) -> Refused:
    return _refused(TOO_LARGE % {"mb": limit // MiB})


def _active(kinds: set) -> Refused:
    what = ", ".join(str(kind) for kind in KINDS if kind in kinds)
    return _refused(ACTIVE % {"what": what}, PRINT_IT)


# The file's bytes, before any parser sees them.


def _check_outside(data: bytes) -> None:
    """Nothing but the PDF: no web page in it, no archive, nothing after the
    end (a reader ignores what follows %%EOF; a browser or an unzipper does not)."""
    end = data.rfind(b"%%EOF")
    if end < 0:
        raise Refused(UNREADABLE)
    if data[end + 5 :].strip(PDF_WHITESPACE):
        raise _refused(POLYGLOT, PRINT_IT)
    if HTML.search(data) or zipfile.is_zipfile(io.BytesIO(data)):
        raise _refused(POLYGLOT, PRINT_IT)


def _names(data: bytes, begin: int, end: int) -> set[str]:
    found = set()
    for token in NAME_TOKEN.findall(data, begin, end):
        if b"#" in token:
            token = HEX_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), token)
        found.add("/" + token.decode("latin-1"))
    return found


def _top_level_objects(data: bytes, *, refuse_active: bool) -> None:
    """Every "N G obj" in the bytes, as a reader repairing the file would find
    it, whether the cross-reference table lists it or not: bounded in number,
    none naming active content, and the streams qpdf unpacks on its own
    (cross-reference and object streams) in a form it unpacks within bounds.
    An object's dictionary ends at its stream, its "endobj" or the next
    object, so each byte is looked at once."""
    starts = []
    for keyword in OBJ_KEYWORD.finditer(data):
        before = data[max(0, keyword.start() - 32) : keyword.start()]
        numbers = OBJECT_NUMBERS.search(before)
        if numbers is None:
            continue
        starts.append((keyword.start() - len(before) + numbers.start(), keyword.end()))
        if len(starts) > MAX_OBJECTS:
            raise _refused(TOO_COMPLEX)
    kinds, xref_sections = set(), 0
    for index, (_start, begin) in enumerate(starts):
        limit = starts[index + 1][0] if index + 1 < len(starts) else len(data)
        limit = min(limit, begin + OBJECT_BODY_MAX)
        end = OBJECT_BODY_END.search(data, begin, limit)
        end = end.start() if end else limit
        names = _names(data, begin, end)
        kinds |= {ACTIVE_NAMES[name] for name in names & ACTIVE_NAMES.keys()}
        if names & {"/XRef", "/ObjStm"}:
            xref_sections += "/XRef" in names
            # qpdf has no limit for LZW; nobody compresses these so but an attack.
            lzw = names & {"/LZWDecode", "/LZW"}
            if lzw or INDIRECT_FILTER.search(data, begin, end):
                raise _refused(TOO_COMPLEX)
    if kinds and refuse_active:
        raise _active(kinds)
    if xref_sections > MAX_XREF_SECTIONS:
        raise _refused(TOO_COMPLEX)


def _open(data: bytes, *, refuse_active: bool) -> pikepdf.Pdf:
    _top_level_objects(data, refuse_active=refuse_active)
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise Refused(UNREADABLE) from None
    if pdf.is_encrypted and not pdf.user_password_matched:
        pdf.close()
        raise Refused(UNREADABLE)
    # Locked only against changes (an owner password): qpdf reads it, and
    # what it reads is checked like any other PDF.
    return pdf


# Pages.

INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")
# Pages and the nodes above them: a balanced tree has fewer nodes than pages.
MAX_TREE_NODES = 2 * MAX_PAGES + 64


class _Page:
    def __init__(self, number: int, node: Dictionary, inherited: dict):
        self.number = number
        self.node = node
        self.attributes = inherited
        self.media_box = _box(inherited.get("/MediaBox"))
        if self.media_box is None:
            raise _refused(NO_PAGE_SIZE % {"number": number})
        crop = _box(inherited.get("/CropBox"))
        self.visible = _intersection(self.media_box, crop) if crop else None
        self.visible = self.visible or self.media_box


def _pages(pdf: pikepdf.Pdf, budget: _Budget) -> list[_Page]:
    """The page tree walked by hand and bounded, so that a lying /Count or a
    loop costs nothing. (A page listed twice qpdf copies when it opens the
    file, as many times as a thousand warnings allow: QPDF_LIMITS.)"""
    tree = pdf.Root.get("/Pages")
    if not isinstance(tree, Dictionary):
        raise Refused(UNREADABLE)
    declared = tree.get("/Count")
    if isinstance(declared, int) and declared > MAX_PAGES:
        raise _too_many_pages()
    pages, seen, nodes = [], set(), 0
    stack = [(tree, {})]
    while stack:
        node, inherited = stack.pop()
        budget.look()
        nodes += 1
        key = node.objgen if node.is_indirect else ("direct", nodes)
        if key in seen:
            raise Refused(UNREADABLE)
        seen.add(key)
        attributes = {**inherited, **{k: node[k] for k in INHERITED if k in node}}
        kids = node.get("/Kids")
        if node.get("/Type") != Name.Page and isinstance(kids, Array):
            # Every node still to visit is a page or leads to pages.
            if nodes + len(stack) + len(kids) > MAX_TREE_NODES:
                raise _too_many_pages()
            budget.look(len(kids))
            stack.extend(
                (kid, attributes)
                for kid in reversed(list(kids))
                if isinstance(kid, Dictionary)
            )
            continue
        pages.append(_Page(len(pages) + 1, node, attributes))
        if len(pages) > MAX_PAGES:
            raise _too_many_pages()
    if not pages:
        raise Refused(UNREADABLE)
    return pages


def _too_many_pages() -> Refused:
    return Refused(TOO_MANY_PAGES % {"limit": MAX_PAGES})


def _box(value) -> tuple[float, float, float, float] | None:
    """Four finite numbers making a page of a size the standard allows."""
    if not isinstance(value, Array) or len(value) != 4:
        return None
    try:
        x0, y0, x1, y1 = (float(number) for number in value)
    except (TypeError, ValueError):
        return None
    if not all(math.isfinite(n) and abs(n) < 1e7 for n in (x0, y0, x1, y1)):
        return None
    x0, x1 = sorted((x0, x1))
    y0, y1 = sorted((y0, y1))
    low, high = PAGE_SIDES
    if not (low <= x1 - x0 <= high and low <= y1 - y0 <= high):
        return None
    return x0, y0, x1, y1


def _intersection(a, b):
    box = (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))
    low = PAGE_SIDES[0]
    return box if box[2] - box[0] >= low and box[3] - box[1] >= low else None


def _count_annotations(pages: list[_Page], budget: _Budget) -> None:
    total = 0
    for page in pages:
        annotations = page.node.get("/Annots")
        if isinstance(annotations, Array):
            total += len(annotations)
            budget.look(len(annotations))
        if total > MAX_ANNOTATIONS:
            raise _refused(TOO_COMPLEX)


# Streams: how much they unpack to, counted without keeping it.


def _filters(stream: Stream) -> list[str] | None:
    value = stream.get("/Filter")
    if value is None:
        return []
    items = list(value) if isinstance(value, Array) else [value]
    if not all(isinstance(item, Name) for item in items):
        return None
    return [str(item) for item in items]


class _Over(Exception):
    """A stream unpacks to more than its limit."""


def _inflate(data: bytes, limit: int, *, keep: bool) -> tuple[int, bytes]:
    """zlib-unpack at most ``limit`` bytes, ``keep`` them or only count them.
    A damaged stream counts what came out before the damage: a reader stops
    there too."""
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)
    kept, size, pending = [], 0, data
    try:
        while True:
            chunk = inflater.decompress(pending, INFLATE_CHUNK)
            pending = inflater.unconsumed_tail
            size += len(chunk)
            if size > limit:
                raise _Over
            if keep:
                kept.append(chunk)
            if inflater.eof or not (chunk or pending):
                break
    except zlib.error:
        pass
    return size, b"".join(kept)


def _stage(name: str, data: bytes, limit: int) -> bytes | None:
    """One filter other than Flate; None: not one a reader unpacks to bytes."""
    try:
        if name in ("/ASCIIHexDecode", "/AHx"):
            digits = data.split(b">", 1)[0].translate(None, PDF_WHITESPACE)
            return binascii.unhexlify(digits + b"0" * (len(digits) % 2))
        if name in ("/ASCII85Decode", "/A85"):
            if len(data) + 4 * data.count(b"z") > limit:
                raise _Over
            body = data.strip(PDF_WHITESPACE).removeprefix(b"<~")
            body = body.split(b"~>", 1)[0]
            return base64.a85decode(body, ignorechars=PDF_WHITESPACE)
        if name in ("/LZWDecode", "/LZW", "/RunLengthDecode", "/RL"):
            codec = (
                pypdf.filters.LZWDecode
                if name in ("/LZWDecode", "/LZW")
                else pypdf.filters.RunLengthDecode
            )
            with pypdf.apply_configuration(
                lzw_maximum_output_length=limit,
                run_length_maximum_output_length=limit,
            ):
                return codec.decode(data)
    except pypdf.errors.LimitReachedError:
        raise _Over from None
    except (binascii.Error, ValueError, pypdf.errors.PdfReadError):
        return b""
    return None


def _measure(stream: Stream, budget: _Budget) -> None:
    """Count what the stream unpacks to (a reader unpacks it all to show it)
    and refuse an image larger than a reader can hold."""
    if stream.get("/Subtype") == Name.Image:
        width, height = stream.get("/Width"), stream.get("/Height")
        sized = isinstance(width, int) and isinstance(height, int)
        if sized and width * height > MAX_IMAGE_PIXELS:
            megapixels = MAX_IMAGE_PIXELS // 1_000_000
            raise Refused(IMAGE_TOO_LARGE % {"megapixels": megapixels})
    filters = _filters(stream)
    data = stream.read_raw_bytes()
    if filters is None:
        budget.unpack(len(data))
        return
    for index, name in enumerate(filters):
        last = index == len(filters) - 1
        # The stream's own limit, or what is left of the file's if less.
        cap = MAX_STREAM_BYTES if last else MAX_STAGE_BYTES
        left = MAX_UNPACKED_BYTES - budget.unpacked
        limit, shown = (cap, cap) if cap <= left else (left, MAX_UNPACKED_BYTES)
        try:
            if name in FLATE:
                size, data = _inflate(data, limit, keep=not last)
                if last:
                    budget.unpack(size)
                    return
            elif name in IMAGE_CODECS:
                break
            else:
                decoded = _stage(name, data, limit)
                if decoded is None:
                    break
                if len(decoded) > limit:
                    raise _Over
                data = decoded
        except _Over:
            raise _too_large(shown) from None
        budget.in_time()
    budget.unpack(len(data))


# Objects: every one the cross-reference table lists, looked at element by
# element, without following references (each referenced object is looked
# at on its own).


def _is_indirect(value) -> bool:
    return bool(getattr(value, "is_indirect", False))


def _kinds_in(item, kinds: set, budget: _Budget) -> None:
    stack = [item]
    while stack:
        item = stack.pop()
        budget.look()
        if isinstance(item, Array):
            stack.extend(value for value in item if not _is_indirect(value))
            continue
        if not isinstance(item, Dictionary | Stream):
            continue
        keys = list(item.keys())
        budget.look(len(keys))
        kinds |= {ACTIVE_KEYS[key] for key in keys if key in ACTIVE_KEYS}
        for key in ("/Type", "/Subtype"):
            kind = ACTIVE_TYPES.get(str(item.get(key, "")))
            if kind:
                kinds.add(kind)
        action = str(item.get("/S", ""))
        if action in ACTIVE_ACTIONS:
            kinds.add(ACTIVE_ACTIONS[action])
        elif action == "/URI" and not _web_address(item.get("/URI")):
            kinds.add(LINKS)
        for key in keys:
            value = item.get(key)
            if isinstance(value, Array | Dictionary) and not _is_indirect(value):
                stack.append(value)


def _web_address(value) -> bool:
    if not isinstance(value, pikepdf.String):
        return False
    address = bytes(value).decode("latin-1")
    # Browsers drop whitespace and control characters inside a scheme.
    address = re.sub(r"[\x00-\x20\x7f]", "", address).lower()
    return address.startswith(WEB_SCHEMES)


def _look_at_objects(pdf: pikepdf.Pdf, budget: _Budget) -> None:
    table = pdf.get_xref_table()
    if len(table) > MAX_OBJECTS:
        raise _refused(TOO_COMPLEX)
    # Object streams first, measured before qpdf unpacks them to read the
    # objects inside.
    containers = sorted(
        {entry.obj_stream_number for entry in table.values() if entry.type == 2}
    )
    measured = set()
    for number in containers:
        container = pdf.get_object((number, 0))
        if isinstance(container, Stream):
            _measure(container, budget)
            measured.add((number, 0))
    kinds: set = set()
    for objgen, entry in table.items():
        if entry.type not in (1, 2):
            continue
        item = pdf.get_object(objgen)
        if isinstance(item, Stream) and objgen not in measured:
            _measure(item, budget)
        _kinds_in(item, kinds, budget)
    if kinds:
        raise _active(kinds)


def _guarded(work: Callable, data: bytes):
    """Run ``work(data)``; whatever a parser trips on in someone's upload (a
    broken cross-reference, an object of the wrong type deep inside, a limit
    of qpdf's) is a PDF that can't be read, never a server error."""
    limits_hit = pikepdf.settings.qpdf_limit_errors()
    try:
        result = work(data)
    except Refused:
        raise
    except MemoryError:
        raise _too_large(MAX_UNPACKED_BYTES) from None
    except Exception as error:
        logger.info("PDF refused: %s: %s", type(error).__name__, error)
        if pikepdf.settings.qpdf_limit_errors() != limits_hit:
            raise _too_large(QPDF_LIMITS["flate_max_memory"]) from None
        raise Refused(UNREADABLE) from None
    if pikepdf.settings.qpdf_limit_errors() != limits_hit:
        # qpdf stopped at a limit and carried on without what lay beyond it;
        # a reader without the limit would see more than was checked.
        raise _too_large(QPDF_LIMITS["flate_max_memory"])
    return result


def check(data: bytes) -> None:
    """Refuse (Refused) a PDF that is active, a polyglot, too large when
    unpacked, too many pages, without a page size, or unreadable."""
    _guarded(_check, data)


def _check(data: bytes) -> None:
    budget = _Budget()
    _check_outside(data)
    with _open(data, refuse_active=True) as pdf:
        pages = _pages(pdf, budget)
        _count_annotations(pages, budget)
        _look_at_objects(pdf, budget)


# The copy.

PAGE_KEYS_KEPT = ("/Contents", "/Group")
# Keys that act or attach, swept from everything the copy's pages use.
SWEPT_KEYS = {
    "/AA",
    "/OpenAction",
    "/JS",
    "/JavaScript",
    "/EmbeddedFiles",
    "/EF",
    "/AF",
    "/XFA",
    "/RichMediaContent",
    "/Annots",
}


def rebuilt(
    data: bytes,
    *,
    overlay: Callable[[pikepdf.Pdf, float, float], Stream] | None = None,
) -> bytes:
    """A new PDF of the pages alone, with ``overlay(pdf, width, height)`` (a
    Form XObject made in ``pdf``) drawn over each page's visible area."""
    return _guarded(lambda data: _rebuilt(data, overlay), data)


def _rebuilt(data: bytes, overlay) -> bytes:
    budget = _Budget()
    # A file stored before these checks may be active: its copy is not.
    with _open(data, refuse_active=False) as source:
        pages = _pages(source, budget)
        _count_annotations(pages, budget)
        # What shows of comments and filled-in forms becomes page content;
        # the annotations themselves (links, scripts, attachments) are gone.
        source.flatten_annotations("screen")
        budget.in_time()
        copy = pikepdf.new()
        before = copy.make_stream(b"q\n")
        forms: dict = {}
        for page in _pages(source, budget):
            copy.pages.append(pikepdf.Page(_bare_page(source, page)))
            budget.in_time()
            if overlay is None:
                continue
            x0, y0, x1, y1 = page.visible
            key = (x0, y0, x1, y1)
            if key not in forms:
                form = overlay(copy, x1 - x0, y1 - y0)
                form[Name.Matrix] = Array([1, 0, 0, 1, x0, y0])
                forms[key] = form
            target = copy.pages[-1]
            name = target.add_resource(forms[key], Name.XObject, prefix="PortalStamp")
            after = copy.make_stream(b"\nQ\nq %s Do Q\n" % str(name).encode())
            target.contents_add(before, prepend=True)
            target.contents_add(after)
        _sweep(copy, budget)
        for item in copy.objects:
            if isinstance(item, Stream):
                _measure(item, budget)
        out = io.BytesIO()
        copy.save(
            out,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
            fix_metadata_version=False,
        )
    return out.getvalue()


def _bare_page(source: pikepdf.Pdf, page: _Page) -> Dictionary:
    """The page's dictionary with only what draws it: its boxes, resources
    (inherited ones included), contents and transparency group. Its own copy
    of the resources and their XObjects, so that the stamp added to one page
    does not land in the shared dictionary of all."""
    bare = Dictionary(Type=Name.Page, MediaBox=Array(page.media_box))
    if page.visible != page.media_box:
        bare[Name.CropBox] = Array(page.visible)
    rotate = page.attributes.get("/Rotate")
    if isinstance(rotate, int) and rotate % 90 == 0:
        bare[Name.Rotate] = rotate % 360
    resources = page.attributes.get("/Resources")
    if isinstance(resources, Dictionary):
        resources = Dictionary(dict(resources.items()))
        xobjects = resources.get("/XObject")
        if isinstance(xobjects, Dictionary):
            resources[Name.XObject] = Dictionary(dict(xobjects.items()))
        bare[Name.Resources] = resources
    for key in PAGE_KEYS_KEPT:
        if key in page.node:
            bare[Name(key)] = page.node[key]
    return source.make_indirect(bare)


def _sweep(pdf: pikepdf.Pdf, budget: _Budget) -> None:
    """Remove from every object of the copy what acts or attaches: the keys
    above and any value that is an action (a dictionary with /S)."""
    for item in pdf.objects:
        stack = [item]
        while stack:
            item = stack.pop()
            budget.look()
            if isinstance(item, Array):
                stack.extend(v for v in item if not _is_indirect(v))
                continue
            if not isinstance(item, Dictionary | Stream):
                continue
            for key in list(item.keys()):
                value = item.get(key)
                if key in SWEPT_KEYS or _is_action(value):
                    del item[key]
                elif isinstance(value, Array | Dictionary) and not _is_indirect(value):
                    stack.append(value)


# Every action type of the PDF standard: a dictionary whose /S is one of these
# acts. (Other dictionaries have an /S too: transparency groups, soft masks,
# border styles, page transitions.)
ACTION_TYPES = {
    "/GoTo", "/GoToR", "/GoToE", "/GoToDp", "/Launch", "/Thread", "/URI",
    "/Sound", "/Movie", "/Hide", "/Named", "/SubmitForm", "/ResetForm",
    "/ImportData", "/SetOCGState", "/Rendition", "/Trans", "/GoTo3DView",
    "/JavaScript", "/ECMAScript", "/RichMediaExecute",
}  # fmt: skip


def _is_action(value) -> bool:
    return isinstance(value, Dictionary) and str(value.get("/S", "")) in ACTION_TYPES
