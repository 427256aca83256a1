"""Hostile files (issue 17). At upload, through the registration page: an
active PDF, a polyglot, a decompression bomb, a PDF without end of pages or
without a page size, an office file with a bomb, macros, a remote template or
a DTD is refused next to the field, saying why; nothing is stored and it takes
bounded time. A file stored before these checks is given out as a copy made of
its pages alone (no script, action or attached file comes with it), or refused
with 409: never a server error.

The time asserted is a guard only, generous on a slow machine: the real bounds
are structural (pages, objects, bytes unpacked) and the tests show that they
hold, e.g. a 1 GiB bomb is refused after at most MAX_STREAM_BYTES unpacked.
"""

import io
import re
import time
import zlib

import pikepdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from documents import pdf_safety, services, storage
from documents.models import Attachment, Copy, Document
from school_portal import office_files
from tests import hostile_files as hostile
from tests.browser_forms import post_forms
from tests.documents.conftest import make_pdf
from tests.documents.stamp_checks import KY_MARK, assert_stamp_font_embedded, ky_copy

GUARD_SECONDS = 10

ACTIVE_KIND = {
    "open-action-javascript": "scripts (JavaScript)",
    "javascript-name-tree": "scripts (JavaScript)",
    "launch-action": "commands that start programs",
    "launch-link": "commands that start programs",
    "embedded-file": "attached files",
    "file-attachment-annotation": "attached files",
    "page-additional-action": "scripts (JavaScript)",
    "catalog-additional-action": "scripts (JavaScript)",
    "form-field-script": "scripts (JavaScript)",
    "name-spelled-with-hex-escapes": "scripts (JavaScript)",
    "submit-form": "forms that send data",
    "remote-go-to": "links that open other files or programs",
    "javascript-uri": "links that open other files or programs",
}
# What a copy that is handed out may never hold.
ACTIVE_NAMES = (
    "/JavaScript",
    "/JS",
    "/OpenAction",
    "/AA",
    "/Launch",
    "/EmbeddedFiles",
    "/EmbeddedFile",
    "/EF",
    "/FileAttachment",
    "/AcroForm",
    "/Names",
    "/SubmitForm",
    "/GoToR",
    "/URI",
    "/A",
)
ACTIVE_IN_BYTES = re.compile(
    rb"(?:%s)(?![A-Za-z0-9])" % b"|".join(re.escape(n.encode()) for n in ACTIVE_NAMES)
)

# The bytes between "stream" and "endstream": a copy is written with no object
# streams, so every name a reader acts on is outside them; inside are the
# pages' drawing and the stamp's embedded font, whose bytes spell "/A " and
# the like by chance.
STREAM_DATA = re.compile(rb"(?<=>>)(\s*stream\r?\n).*?(?=endstream)", re.DOTALL)


@pytest.fixture
def uploading(client, records_officer, incoming, attachment_dir):
    """Register a letter through the page with one file, as a browser sends
    the page's own form; the response and the seconds it took."""
    client.force_login(records_officer)
    url = reverse("documents:register")

    def upload(name: str, data: bytes, **changes):
        page = client.get(url)
        (form,) = [f for f in post_forms(page.content.decode()) if not f.action]
        sent = {}
        for key, value in form.data():
            sent.setdefault(key, []).append(value)
        sent.update({key: [value] for key, value in changes.items()})
        sent["summary"] = ["Кат"]
        started = time.monotonic()
        response = client.post(url, {**sent, "files": [SimpleUploadedFile(name, data)]})
        return response, time.monotonic() - started

    return upload


def _refusal(response) -> str:
    assert response.status_code == 200
    (error,) = response.context["form"].errors["files"]
    return error


def _nothing_stored(attachment_dir) -> None:
    assert not Document.objects.exists()
    assert not Attachment.objects.exists()
    assert not [path for path in attachment_dir.rglob("*") if path.is_file()]


def _stored_bytes(attachment: Attachment) -> bytes:
    return storage.read(
        stored_name=attachment.stored_name,
        wrapped_key=attachment.wrapped_key,
        sha256=attachment.sha256,
    )


def _names_in(pdf: pikepdf.Pdf) -> set[str]:
    """Every name, key or value, in every object of the PDF."""
    found, stack = set(), list(pdf.objects)
    while stack:
        item = stack.pop()
        if isinstance(item, pikepdf.Name):
            found.add(str(item))
        elif isinstance(item, pikepdf.Array):
            stack.extend(v for v in item if not getattr(v, "is_indirect", False))
        elif isinstance(item, pikepdf.Dictionary | pikepdf.Stream):
            for key in item.keys():  # noqa: SIM118 - pikepdf's keys
                found.add(key)
                value = item.get(key)
                if not getattr(value, "is_indirect", False):
                    stack.append(value)
    return found


def assert_no_active_content(copy: bytes) -> None:
    with pikepdf.open(io.BytesIO(copy)) as pdf:
        names = _names_in(pdf)
        assert "/OpenAction" not in pdf.Root
        assert not any("/Annots" in page.obj for page in pdf.pages)
    assert not names & set(ACTIVE_NAMES)
    assert not ACTIVE_IN_BYTES.search(STREAM_DATA.sub(b"", copy))
    assert not pdf_safety.HTML.search(copy)


def _copy(attachment: Attachment, actor) -> bytes:
    _copy_row, data = services.copy_attachment(
        actor=actor, attachment=attachment, purpose="Council", address="10.0.0.5"
    )
    return data


@pytest.fixture
def stored_before_the_checks(official):
    """An official-use document with a file as an earlier version of the portal
    stored it: the content checks never saw it."""

    def store(data: bytes, name: str = "old.pdf") -> Attachment:
        upload = services.Upload(
            name=name, content_type="application/pdf", data=data, checked=True
        )
        return official(uploads=[upload]).attachments.get()

    return store


# Active content.


@pytest.mark.parametrize("case", ACTIVE_KIND)
def test_an_active_pdf_is_refused_at_registration_saying_what_it_holds(
    uploading, attachment_dir, case
):
    response, seconds = uploading("letter.pdf", hostile.ACTIVE_PDFS[case])

    error = _refusal(response)
    assert error.startswith(
        f"letter.pdf: This PDF contains {ACTIVE_KIND[case]}, which can run"
    )
    assert "Print it to PDF" in error
    _nothing_stored(attachment_dir)
    assert seconds < GUARD_SECONDS


def test_every_kind_of_active_content_is_named_once():
    data = hostile.one_page_pdf(
        catalog=b"/OpenAction 5 0 R /AA << /WC << /S /Launch /F (x.exe) >> >> ",
        more=[hostile.JS],
    )

    with pytest.raises(pdf_safety.Refused) as refused:
        pdf_safety.check(data)

    assert "contains scripts (JavaScript), commands that start programs, which" in (
        str(refused.value)
    )


def test_a_script_inside_an_object_stream_is_found():
    # Compressed objects are invisible in the file's bytes: qpdf reads them.
    data = hostile.object_stream_bomb_pdf(size=0)

    with pytest.raises(storage.FileRefused, match="scripts"):
        services.check_upload(SimpleUploadedFile("letter.pdf", data))


def test_a_script_in_an_object_no_table_lists_is_found():
    # A reader that repairs the file finds it by scanning; so does the check.
    data = hostile.one_page_pdf(unlisted=[hostile.JS])

    with pytest.raises(storage.FileRefused, match="scripts"):
        services.check_upload(SimpleUploadedFile("letter.pdf", data))


def test_links_to_web_sites_and_an_opening_view_are_accepted_unchanged(
    official, records_officer, clear, settings
):
    settings.LANGUAGE_CODE = "ky"  # the school's: the stamp's language
    upload = services.check_upload(
        SimpleUploadedFile("letter.pdf", hostile.HARMLESS_PDF)
    )
    attachment = official(uploads=[upload]).attachments.get()

    assert _stored_bytes(attachment) == hostile.HARMLESS_PDF
    copy = _copy(attachment, clear(records_officer))
    assert_no_active_content(copy)
    text = PdfReader(io.BytesIO(copy)).pages[0].extract_text()
    assert ky_copy(1) in text and KY_MARK in text
    assert_stamp_font_embedded(copy)


@pytest.mark.parametrize(
    "data",
    [
        *hostile.ACTIVE_PDFS.values(),
        hostile.HTML_POLYGLOT,
        hostile.HTML_AFTER_EOF,
        hostile.zip_appended_pdf(),
        hostile.object_stream_bomb_pdf(),
    ],
    ids=[*hostile.ACTIVE_PDFS, "html", "html-after-eof", "zip", "object-stream"],
)
def test_the_copy_of_an_active_pdf_stored_before_the_checks_is_pages_only(
    stored_before_the_checks, records_officer, data, settings
):
    settings.LANGUAGE_CODE = "ky"  # the school's: the stamp's language
    attachment = stored_before_the_checks(data)

    copy = _copy(attachment, records_officer)

    assert_no_active_content(copy)
    (page,) = PdfReader(io.BytesIO(copy)).pages
    assert ky_copy(1) in page.extract_text()
    assert KY_MARK in page.extract_text()
    assert "A letter" in page.extract_text()
    assert_stamp_font_embedded(copy)
    assert _stored_bytes(attachment) == data  # the original is kept as it was


def test_what_shows_of_an_annotation_stays_in_the_copy(
    stored_before_the_checks, records_officer
):
    # A filled-in field: its appearance shows the value; its script is gone.
    appearance = hostile.stream(
        b"BT /Helv 10 Tf 2 2 Td (Filled in) Tj ET",
        b"/Type /XObject /Subtype /Form /BBox [0 0 200 20] /Resources << /Font "
        b"<< /Helv << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> ",
    )
    data = hostile.one_page_pdf(
        page=b"/Annots [5 0 R] ",
        more=[
            b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (name) /F 4 "
            b"/Rect [72 600 272 620] /AP << /N 7 0 R >> /AA << /K 6 0 R >> >>",
            hostile.JS,
            appearance,
        ],
    )
    attachment = stored_before_the_checks(data)

    copy = _copy(attachment, records_officer)

    assert_no_active_content(copy)
    assert "Filled in" in PdfReader(io.BytesIO(copy)).pages[0].extract_text()


# Polyglots.


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("letter.pdf", hostile.HTML_POLYGLOT, "This file is a PDF with something"),
        ("letter.pdf", hostile.HTML_AFTER_EOF, "This file is a PDF with something"),
        ("letter.pdf", hostile.zip_appended_pdf(), "This file is a PDF with something"),
        ("photo.png", hostile.PNG_WITH_HTML, "This image has something else"),
        ("photo.jpg", hostile.jpeg_with_zip(), "This image has something else"),
    ],
    ids=["html-inside", "html-after-eof", "zip-appended", "png-html", "jpeg-zip"],
)
def test_a_polyglot_is_refused_at_registration(
    uploading, attachment_dir, name, data, message
):
    response, _seconds = uploading(name, data)

    assert _refusal(response).startswith(f"{name}: {message}")
    _nothing_stored(attachment_dir)


# Decompression bombs.


def test_a_pdf_whose_stream_unpacks_to_a_gigabyte_is_refused_at_registration(
    uploading, attachment_dir
):
    bomb = hostile.flate_bomb_pdf(hostile.GiB)
    assert len(bomb) < 2 * hostile.MiB

    response, seconds = uploading("scan.pdf", bomb)

    assert _refusal(response).startswith(
        "scan.pdf: This PDF unpacks to far more data than its size (more than 256 MB)"
    )
    _nothing_stored(attachment_dir)
    assert seconds < GUARD_SECONDS


def test_a_pdf_whose_object_stream_unpacks_to_a_gigabyte_is_refused():
    started = time.monotonic()

    with pytest.raises(storage.FileRefused, match="unpacks to far more data"):
        services.check_upload(
            SimpleUploadedFile("scan.pdf", hostile.object_stream_bomb_pdf())
        )

    assert time.monotonic() - started < GUARD_SECONDS


def test_streams_that_together_unpack_to_too_much_are_refused():
    # Each under the stream limit, together over the file's.
    size = pdf_safety.MAX_STREAM_BYTES - hostile.MiB
    pages = pdf_safety.MAX_UNPACKED_BYTES // size + 1
    packed = hostile.zlib_run(size)
    objects = [
        hostile.CATALOG % b"",
        b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % (3 + 2 * n) for n in range(pages)), pages),
    ]
    for n in range(pages):
        objects += [
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << >> /Contents %d 0 R >>" % (4 + 2 * n),
            hostile.stream(packed, b"/Filter /FlateDecode "),
        ]

    with pytest.raises(pdf_safety.Refused, match="more than 512 MB"):
        pdf_safety.check(hostile.raw_pdf(objects))


def test_a_stream_packed_twice_is_measured_unpacked():
    twice = hostile.zlib_run(300 * hostile.MiB)
    data = hostile.one_page_pdf(
        content=hostile.stream(
            zlib.compress(twice), b"/Filter [/FlateDecode /FlateDecode] "
        )
    )

    with pytest.raises(pdf_safety.Refused, match="unpacks to far more data"):
        pdf_safety.check(data)


def test_an_image_larger_than_a_reader_can_hold_is_refused():
    image = hostile.stream(
        b"\xff\xd8\xff\xe0",
        b"/Type /XObject /Subtype /Image /Width 100000 /Height 100000 "
        b"/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode ",
    )
    data = hostile.one_page_pdf(
        resources=b"<< /XObject << /Im0 5 0 R >> >>", more=[image]
    )

    with pytest.raises(storage.FileRefused, match="An image in this PDF is too large"):
        services.check_upload(SimpleUploadedFile("scan.pdf", data))


def test_the_copy_of_a_stored_bomb_is_refused_with_409_and_no_copy_logged(
    client, stored_before_the_checks, records_officer
):
    attachment = stored_before_the_checks(hostile.flate_bomb_pdf())
    client.force_login(records_officer)
    started = time.monotonic()

    response = client.post(
        reverse("documents:attachment_copy", args=[attachment.pk]),
        {"purpose": "Council"},
    )

    assert response.status_code == 409
    assert "can&#x27;t be stamped" in response.content.decode()
    assert not Copy.objects.exists()
    assert time.monotonic() - started < GUARD_SECONDS


# Pages.


@pytest.mark.parametrize("declared", [None, 1], ids=["counted", "lying-count"])
def test_a_20000_page_pdf_is_refused_at_registration_at_once(
    uploading, attachment_dir, declared
):
    data = hostile.many_pages_pdf(20_000, declared=declared)

    response, seconds = uploading("scan.pdf", data)

    assert _refusal(response).startswith(
        "scan.pdf: This PDF has more than 1000 pages. Split it into parts of at "
        "most 1000 pages"
    )
    _nothing_stored(attachment_dir)
    assert seconds < GUARD_SECONDS


def test_a_pdf_of_as_many_pages_as_allowed_is_accepted_and_stamped():
    data = hostile.many_pages_pdf(pdf_safety.MAX_PAGES)

    upload = services.check_upload(SimpleUploadedFile("report.pdf", data))

    assert upload.data == data
    copy = PdfReader(io.BytesIO(services.stamp.stamp_pdf(data, ["COPY No. 1"])))
    assert len(copy.pages) == pdf_safety.MAX_PAGES
    assert "COPY No. 1" in copy.pages[-1].extract_text()


def test_the_copy_of_a_stored_20000_page_pdf_is_refused_with_409(
    client, stored_before_the_checks, records_officer
):
    attachment = stored_before_the_checks(hostile.many_pages_pdf(20_000))
    client.force_login(records_officer)

    response = client.post(
        reverse("documents:attachment_copy", args=[attachment.pk]),
        {"purpose": "Council"},
    )

    assert response.status_code == 409
    assert not Copy.objects.exists()


def _tree(kids: bytes) -> bytes:
    return hostile.raw_pdf(
        [
            hostile.CATALOG % b"",
            b"<< /Type /Pages /Kids %s /Count 2 >>" % kids,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>",
        ]
    )


def test_a_page_tree_that_loops_is_refused():
    with pytest.raises(storage.FileRefused, match="This PDF can't be read"):
        services.check_upload(SimpleUploadedFile("scan.pdf", _tree(b"[2 0 R 3 0 R]")))


def test_a_page_listed_twice_is_two_pages_as_in_every_reader():
    # qpdf copies it, once: listing one page millions of times is refused
    # after a thousand repairs (QPDF_LIMITS' doc_max_warnings).
    data = _tree(b"[3 0 R 3 0 R]")

    services.check_upload(SimpleUploadedFile("scan.pdf", data))

    copy = PdfReader(io.BytesIO(services.stamp.stamp_pdf(data, ["COPY No. 1"])))
    assert len(copy.pages) == 2


def test_a_page_listed_a_million_times_is_refused_in_bounded_time():
    kids = b"[%s]" % b" ".join([b"3 0 R"] * 90_000)
    data = hostile.raw_pdf(
        [
            hostile.CATALOG % b"",
            b"<< /Type /Pages /Kids [%s] /Count 1080000 >>"
            % b" ".join(b"%d 0 R" % (4 + n) for n in range(12)),
            b"<< /Type /Page /MediaBox [0 0 595 842] /Resources << >> >>",
            *[b"<< /Type /Pages /Parent 2 0 R /Kids %s /Count 90000 >>" % kids] * 12,
        ]
    )
    started = time.monotonic()

    with pytest.raises(pdf_safety.Refused):
        pdf_safety.check(data)

    assert time.monotonic() - started < GUARD_SECONDS


def test_references_to_missing_objects_cost_nothing():
    # 5000 of them: pypdf searched the whole file for each, for minutes.
    data = hostile.missing_objects_pdf()
    started = time.monotonic()

    services.check_upload(SimpleUploadedFile("scan.pdf", data))
    services.stamp.stamp_pdf(data, ["COPY No. 1"])

    assert time.monotonic() - started < GUARD_SECONDS


# Page sizes.


@pytest.mark.parametrize(
    "case", ["a-name-inside", "a-string", "three-numbers", "a-reference-to-itself"]
)
def test_a_broken_page_size_gets_the_size_every_reader_gives_it(case):
    # Readers (and qpdf) take a page without a usable /MediaBox for US Letter.
    data = hostile.one_page_pdf(media_box=hostile.BROKEN_MEDIA_BOXES[case])

    upload = services.check_upload(SimpleUploadedFile("scan.pdf", data))

    copy = services.stamp.stamp_pdf(upload.data, ["COPY No. 1"])
    (page,) = PdfReader(io.BytesIO(copy)).pages
    assert [float(n) for n in page.mediabox] == [0, 0, 612, 792]
    assert "COPY No. 1" in page.extract_text()


@pytest.mark.parametrize(
    "box", [b"[0 0 0 0]", b"[0 0 595 1]", b"[0 0 100000 842]"], ids=str
)
def test_a_page_of_no_usable_size_is_refused_at_registration(
    uploading, attachment_dir, box
):
    response, _seconds = uploading("scan.pdf", hostile.one_page_pdf(media_box=box))

    assert _refusal(response).startswith(
        "scan.pdf: Page 1 of this PDF has no valid size. Save it as a PDF again"
    )
    _nothing_stored(attachment_dir)


def test_the_copy_of_a_stored_page_of_no_size_is_refused_with_409(
    client, stored_before_the_checks, records_officer
):
    attachment = stored_before_the_checks(hostile.one_page_pdf(media_box=b"[0 0 0 0]"))
    client.force_login(records_officer)

    response = client.post(
        reverse("documents:attachment_copy", args=[attachment.pk]),
        {"purpose": "Council"},
    )

    assert response.status_code == 409
    assert not Copy.objects.exists()


CYRILLIC_STAMP = [
    "КӨЧҮРМӨ № 3 / 7 — КЫЗМАТТЫК КОЛДОНУУ ҮЧҮН",
    "Жумабаева Гүлнара Асанбековна (records)",
    "26.08.2022 14:05",
]


@pytest.mark.parametrize(
    "data",
    [
        hostile.one_page_pdf(media_box=b"[0 0 60 40]"),
        hostile.one_page_pdf(media_box=b"[0 0 14400 14400]"),
        hostile.one_page_pdf(media_box=b"[0 0 842 595]", page=b"/Rotate 90 "),
        hostile.one_page_pdf(
            media_box=b"[100 200 695 1042]", page=b"/CropBox [120 220 600 900] "
        ),
        hostile.one_page_pdf(media_box=hostile.BROKEN_MEDIA_BOXES["a-string"]),
        hostile.one_page_pdf(resources=b"<< >>", content=hostile.stream(b"")),
        _tree(b"[3 0 R 3 0 R]"),
        hostile.HTML_AFTER_EOF,
    ],
    ids=["tiny", "huge", "rotated", "crop-box", "broken-size", "empty", "twice", "eof"],
)
def test_an_odd_pdf_takes_the_cyrillic_stamp_with_its_font(data):
    copy = services.stamp.stamp_pdf(data, CYRILLIC_STAMP)

    for page in PdfReader(io.BytesIO(copy)).pages:
        text = page.extract_text()
        for line in CYRILLIC_STAMP:
            assert line in text
    assert_stamp_font_embedded(copy)


def test_the_stamp_lands_on_the_visible_part_of_the_page():
    data = hostile.one_page_pdf(
        media_box=b"[100 200 695 1042]", page=b"/CropBox [120 220 600 900] "
    )

    copy = pikepdf.open(io.BytesIO(services.stamp.stamp_pdf(data, ["COPY No. 1"])))

    (page,) = copy.pages
    (form,) = [
        xobject
        for name, xobject in page.resources.XObject.items()
        if name.startswith("/PortalStamp")
    ]
    assert list(form.Matrix) == [1, 0, 0, 1, 120, 220]
    assert list(form.BBox) == [0, 0, 480, 680]


# Office files.


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "order.docx",
            hostile.docx_bomb(hostile.GiB),
            "This file unpacks to far more data than its size (more than 200 MB)",
        ),
        (
            "order.docx",
            hostile.docx_bomb(hostile.GiB, declared=1000),
            "This office file is damaged",
        ),
        (
            "order.docx",
            hostile.docx({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}),
            "This document contains macros",
        ),
        ("order.doc", hostile.DOC_WITH_MACROS, "This document contains macros"),
        (
            "order.odt",
            hostile.odt({"Basic/Standard/Module1.xml": "<module/>"}),
            "This document contains macros",
        ),
        (
            "order.docx",
            hostile.docx({"word/activeX/activeX1.xml": "<ax/>"}),
            "This document contains macros or ActiveX controls",
        ),
        (
            "order.docx",
            hostile.docx({"word/_rels/settings.xml.rels": hostile.REMOTE_TEMPLATE}),
            "This document loads a template or an object from another computer",
        ),
        (
            "order.docx",
            hostile.docx({"word/document.xml": hostile.BILLION_LAUGHS}),
            "This office file contains XML with a document type declaration",
        ),
        (
            "list.xlsx",
            hostile.xlsx([["a"]], **{hostile.SHEET: hostile.EXTERNAL_ENTITY}),
            "This office file contains XML with a document type declaration",
        ),
        (
            "order.docx",
            hostile.docx({"word/styles.xml": hostile.BILLION_LAUGHS.encode("utf-16")}),
            "This office file contains XML with a document type declaration",
        ),
        (
            "order.docx",
            hostile.docx(
                {"word/styles.xml": " " * 900_000 + hostile.BILLION_LAUGHS[21:]}
            ),
            "This office file contains XML with a document type declaration",
        ),
    ],
    ids=[
        "zip-bomb",
        "zip-bomb-that-understates-its-size",
        "vba-project",
        "legacy-word-macros",
        "opendocument-basic",
        "activex",
        "remote-template",
        "billion-laughs",
        "external-entity",
        "dtd-in-utf-16",
        "dtd-after-whitespace",
    ],
)
def test_a_hostile_office_file_is_refused_at_registration(
    uploading, attachment_dir, name, data, message
):
    response, seconds = uploading(name, data)

    assert _refusal(response).startswith(f"{name}: {message}")
    _nothing_stored(attachment_dir)
    assert seconds < GUARD_SECONDS


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("order.docx", hostile.docx()),
        (
            "order.docx",
            hostile.docx({"word/_rels/document.xml.rels": hostile.WEB_LINK}),
        ),
        ("list.xlsx", hostile.xlsx([["Аты", "Класс"], ["Бакыт", "7А"]])),
        ("order.odt", hostile.odt()),
    ],
    ids=["docx", "docx-with-a-web-link", "xlsx", "odt"],
)
def test_an_ordinary_office_file_is_registered_unchanged(uploading, name, data):
    response, _seconds = uploading(name, data)

    assert response.status_code == 302
    assert _stored_bytes(Attachment.objects.get()) == data


def test_an_office_file_with_too_many_parts_is_refused_before_they_are_read():
    data = hostile.docx(
        {f"word/media/image{n}.png": b"" for n in range(office_files.MAX_PARTS)}
    )

    with pytest.raises(storage.FileRefused, match="more than 5000 parts"):
        services.check_upload(SimpleUploadedFile("order.docx", data))


def test_an_ordinary_pdf_is_still_accepted_unchanged_with_the_checks():
    data = make_pdf(3)

    upload = services.check_upload(SimpleUploadedFile("scan.pdf", data))

    assert upload.data == data


def test_an_official_use_pdf_with_a_script_is_refused_in_the_add_files_form(
    client, official, records_officer, attachment_dir
):
    document = official()
    client.force_login(records_officer)
    page = client.get(reverse("documents:document", args=[document.pk]))
    (form,) = [
        f for f in post_forms(page.content.decode()) if f.action.endswith("/attach/")
    ]

    response = client.post(
        form.action,
        {
            **dict(form.data()),
            "files": [
                SimpleUploadedFile(
                    "scan.pdf", hostile.ACTIVE_PDFS["open-action-javascript"]
                )
            ],
        },
    )

    assert response.status_code == 302
    shown = client.get(response.url).content.decode()
    assert "scan.pdf: This PDF contains scripts (JavaScript)" in shown
    assert not Attachment.objects.exists()


def _locked_against_changes(data: bytes) -> bytes:
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(owner="owner", user="", R=6))
    return out.getvalue()


def test_a_pdf_locked_only_against_changes_is_checked_like_any_other():
    # An owner password: every reader opens it, and so does the check.
    letter = _locked_against_changes(make_pdf(1))
    active = _locked_against_changes(hostile.ACTIVE_PDFS["launch-action"])

    assert services.check_upload(SimpleUploadedFile("a.pdf", letter)).data == letter
    with pytest.raises(storage.FileRefused, match="commands that start programs"):
        services.check_upload(SimpleUploadedFile("b.pdf", active))
    assert_no_active_content(services.stamp.stamp_pdf(active, ["COPY No. 1"]))
