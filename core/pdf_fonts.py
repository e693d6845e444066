"""The Chinese font that every PDF of the platform embeds.

Receipts, certificates, posters and reports are printed, filed and opened on phones and office
computers that may have no Chinese font, so each PDF carries its own: WenQuanYi Micro Hei, a
TrueType collection installed from PyPI with the project (package ``paperang-p2-fonts-cjk``;
the font is Apache-2.0 / GPL-3.0 with the font exception). ReportLab embeds the subset of
glyphs a document uses, so files stay small, and nothing depends on fonts of the machine.

``PDF_CJK_FONT_PATH`` may point at another font with TrueType outlines (``.ttf`` or ``.ttc``;
ReportLab cannot embed PostScript-outline ``.otf`` files).
"""

from pathlib import Path

import paperang_p2_fonts_cjk
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

FONT = "WenQuanYiMicroHei"
PACKAGED_FONT = Path(paperang_p2_fonts_cjk.__file__).parent / "fonts" / "wqy-microhei.ttc"


def font_path() -> Path:
    return Path(getattr(settings, "PDF_CJK_FONT_PATH", "") or PACKAGED_FONT)


def register() -> str:
    """Register the font with ReportLab once and make it every canvas's initial font.

    The initial fonts matter: a canvas or a drawing otherwise starts in Helvetica, which would
    leave a reference to a font that is not embedded in every file.
    """
    if FONT not in pdfmetrics.getRegisteredFontNames():
        path = font_path()
        try:
            # subfontIndex 0 of a collection is the proportional face.
            pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0))
        except (OSError, TTFError) as error:
            raise ImproperlyConfigured(
                f"PDF_CJK_FONT_PATH={path} is not a usable TrueType font: {error}"
            ) from error
        # One face for every style: <b> in a paragraph must not fall back to Helvetica-Bold.
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT, italic=FONT, boldItalic=FONT)
    rl_config.canvas_basefontname = FONT
    rl_config.defaultGraphicsFontName = FONT  # drawings (QR codes, charts) start in it too
    return FONT
