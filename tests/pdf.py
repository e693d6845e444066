"""Reading back the PDFs the platform makes (pypdf)."""

import io

from pypdf import PdfReader


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def fonts_of(pdf: bytes) -> dict[str, bool]:
    """Every font the pages use, by base name, and whether its glyphs are embedded."""
    fonts = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            # A TrueType font embedded by ReportLab is a subset named "ABCDEF+Name" with its
            # file in the descriptor (/FontFile2).
            descriptor = font.get("/FontDescriptor")
            embedded = descriptor is not None and "/FontFile2" in descriptor.get_object()
            fonts[str(font["/BaseFont"])] = embedded
    return fonts


def assert_fonts_embedded(pdf: bytes) -> None:
    """All text is set in the Chinese font, embedded: no font comes from the reader's machine."""
    fonts = fonts_of(pdf)
    assert fonts, "the PDF uses no font"
    not_embedded = sorted(name for name, embedded in fonts.items() if not embedded)
    assert not not_embedded, f"fonts referenced but not embedded: {not_embedded}"
    # Subsets are named "ABCDEF+WenQuanYiMicroHei-0", "-1"…, 256 glyphs each.
    assert all(name.split("+")[-1].startswith("WenQuanYiMicroHei-") for name in fonts), fonts
