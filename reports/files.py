"""Report files on disk, written whole or not at all.

Each run of a report writes into its own directory (``<report code>/<run id>/``); a file is
written to a temporary name in that directory, flushed to disk, then renamed into place, so
no reader ever sees half a file. The Report row points to a run's files only after all of them
are in place (``services``), and older runs' directories are removed after that commit.
"""

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from django.conf import settings


def root() -> Path:
    return Path(settings.REPORTS_FILES_DIR)


def absolute(relative: str) -> Path:
    path = (root() / relative).resolve()
    if root().resolve() not in path.parents:
        raise ValueError(f"{relative!r} is outside the reports directory")
    return path


def write_atomically(path: Path, write: Callable[[BinaryIO], None]) -> None:
    """Call ``write(file)`` on a temporary file beside ``path`` and rename it into place.

    On any error the temporary file is removed and ``path`` is untouched.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def _fsync_directory(directory: Path) -> None:
    # The rename itself is made durable by syncing the directory entry.
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def run_directory(report_code: str, run_id: str) -> str:
    return f"{report_code}/{run_id}"


def remove_runs_except(report_code: str, keep: str | None) -> None:
    """Remove the report's run directories other than ``keep`` (a relative run directory)."""
    report_dir = root() / report_code
    if not report_dir.is_dir():
        return
    for child in report_dir.iterdir():
        if keep is None or child.name != Path(keep).name:
            shutil.rmtree(child, ignore_errors=True)


def remove_run(relative_dir: str) -> None:
    shutil.rmtree(root() / relative_dir, ignore_errors=True)
