"""The font every PDF embeds, and a clear message when a configured one cannot be used."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from reportlab.pdfbase import pdfmetrics

from core import pdf_fonts


def test_the_packaged_font_is_registered_and_starts_every_canvas(settings):
    settings.PDF_CJK_FONT_PATH = ""
    assert pdf_fonts.font_path() == pdf_fonts.PACKAGED_FONT
    assert pdf_fonts.register() == "WenQuanYiMicroHei"
    assert "WenQuanYiMicroHei" in pdfmetrics.getRegisteredFontNames()
    # Chinese and Latin glyphs both come from it (no fallback to a standard PDF font).
    assert pdfmetrics.stringWidth("捐赠收据 No.1", "WenQuanYiMicroHei", 10) > 0


def test_a_font_file_that_is_not_truetype_is_refused_with_its_path(settings, tmp_path):
    bogus = tmp_path / "not-a-font.ttf"
    bogus.write_bytes(b"\x00" * 64)
    settings.PDF_CJK_FONT_PATH = str(bogus)
    pdfmetrics._fonts.pop("WenQuanYiMicroHei", None)
    try:
        with pytest.raises(ImproperlyConfigured, match="not-a-font.ttf"):
            pdf_fonts.register()
    finally:
        settings.PDF_CJK_FONT_PATH = ""
        pdf_fonts.register()
