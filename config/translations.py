"""Compile every translation catalog of the project with polib (no system gettext needed).

Run by ``make install`` and the Docker build: ``python -m config.translations``.
"""

from pathlib import Path

import polib

BASE_DIR = Path(__file__).resolve().parent.parent


def catalogs() -> list[Path]:
    return sorted(
        path
        for path in BASE_DIR.glob("**/locale/*/LC_MESSAGES/*.po")
        if not {".venv", "var", "node_modules"} & set(path.relative_to(BASE_DIR).parts)
    )


def compile_all() -> int:
    for po_path in catalogs():
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
    return len(catalogs())


if __name__ == "__main__":
    print(f"compiled {compile_all()} translation catalogs")
