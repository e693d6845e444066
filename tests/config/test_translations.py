"""Every catalog is complete: Chinese is the default language, so an untranslated string shows
English to a resident."""

import polib
import pytest

from config.translations import catalogs

# Django's own strings that our admin template re-uses; Django's catalog translates them.
DJANGO_OWN = {"Django site admin", "Django administration"}


@pytest.mark.parametrize("path", catalogs(), ids=lambda p: str(p.parent.parent.parent.parent.name))
def test_catalog_is_complete(path):
    po = polib.pofile(str(path))
    untranslated = [e.msgid for e in po.untranslated_entries() if e.msgid not in DJANGO_OWN]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    obsolete = [e.msgid for e in po.obsolete_entries()]
    assert not untranslated, f"untranslated in {path}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {path}: {fuzzy[:10]}"
    assert not obsolete, f"obsolete in {path} (strings removed from the code?): {obsolete[:10]}"


def test_there_are_catalogs():
    assert catalogs()
