"""What a stamped copy must show, read back from the PDF as a reader sees it."""

import io

import pikepdf

KY_MARK = "КЫЗМАТТЫК КОЛДОНУУ ҮЧҮН"
RU_MARK = "ДЛЯ СЛУЖЕБНОГО ПОЛЬЗОВАНИЯ"


def ky_copy(number: int) -> str:
    """The start of the Kyrgyz stamp's first line, for copy ``number``."""
    return f"КӨЧҮРМӨ № {number} / "


def stamp_fonts(data: bytes) -> list[tuple[str, bool]]:
    """(font name, embedded?) for each font of each page's stamp form."""
    found = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for name, form in page.resources.XObject.items():
                if not name.startswith("/PortalStamp"):
                    continue
                for font in form.Resources.Font.values():
                    described = (
                        font.DescendantFonts[0] if "/DescendantFonts" in font else font
                    )
                    descriptor = described.FontDescriptor
                    found.append((str(font.BaseFont), "/FontFile2" in descriptor))
    return found


def assert_stamp_font_embedded(data: bytes) -> None:
    fonts = stamp_fonts(data)
    assert fonts, "the copy has no stamp"
    for name, embedded in fonts:
        assert "DejaVuSans" in name and embedded, (name, embedded)
