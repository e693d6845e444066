"""A file storage that stops in the middle of a job, for tests that kill a worker there.

While the file named by ``HOLD_AFTER_SAVE_MARKER`` exists, each save writes its file, says so
(``<marker>.reached``) and then waits: the receipt PDF is on disk but no row points to it yet,
the most awkward moment for a worker to die."""

import os
import time
from pathlib import Path

from django.core.files.storage import FileSystemStorage


class HoldingStorage(FileSystemStorage):
    def _save(self, name, content):
        name = super()._save(name, content)
        marker = os.environ.get("HOLD_AFTER_SAVE_MARKER")
        if marker and Path(marker).exists():
            Path(marker + ".reached").write_text(name)
            while Path(marker).exists():
                time.sleep(0.05)
        return name
