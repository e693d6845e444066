"""Full mobile numbers and resident ID numbers never reach a log line.

Installed once at start-up (``StationsConfig.ready``) as the log-record factory, so it covers
every logger and handler, including Django's request log ("Not Found: /path/13812345678/")
and the Celery worker's. Only text is rewritten: numbers passed as ``%d`` are left alone.
"""

import logging
import re

from .personal_data import mask_id_number, mask_phone

_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
_ID_NUMBER = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")


def mask_text(text: str) -> str:
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group(0)), text)
    return _MOBILE.sub(lambda m: mask_phone(m.group(0)), text)


def _mask(value):
    """Text masked; another object (a dict, an exception...) replaced by its masked text when
    that text holds a number; numbers (for %d) and the rest left as they are."""
    if isinstance(value, str):
        return mask_text(value)
    if value is None or isinstance(value, int | float | bool):
        return value
    try:
        text = str(value)
    except Exception:  # noqa: BLE001 - logging must never fail because of masking
        return value
    masked = mask_text(text)
    return value if masked == text else masked


def install() -> None:
    previous = logging.getLogRecordFactory()
    if getattr(previous, "masks_personal_data", False):
        return

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        record.msg = _mask(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_mask(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _mask(value) for key, value in record.args.items()}
        return record

    # Set through __dict__, as an attribute would be: mypy allows no attributes on a function.
    factory.__dict__["masks_personal_data"] = True
    logging.setLogRecordFactory(factory)
