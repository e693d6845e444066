"""Helpers for the tests that hold a page's query count to the same figure for one row as
for fifty (tests/admin_pages/, tests/public_pages/): the page's queries, and what grew."""

import re
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Page:
    rows: int  # the rows the page showed
    queries: list[str]  # the SQL it ran, in order

    def __len__(self) -> int:
        return len(self.queries)


def get_page(client, url: str, *, rows) -> Page:
    """GET ``url`` and count its queries; ``rows(response)`` says how many rows it showed
    (read after the measurement, from what the page has already loaded)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return Page(rows=rows(response), queries=[query["sql"] for query in captured])


def _shape(sql: str) -> str:
    """The statement with its literals taken out: one row's query and the next row's match."""
    sql = re.sub(r"'(?:[^']|'')*'", "?", sql)
    sql = re.sub(r"(?<![\w.])-?\d+(?:\.\d+)?\b", "?", sql)
    return re.sub(r"IN \(\?(?:, \?)*\)", "IN (…)", sql)  # a prefetch for one row or fifty


def what_grew(one: Page, many: Page, *, limit: int = 6) -> str:
    """The statements run more often for many rows than for one, most repeated first."""
    before, after = Counter(map(_shape, one.queries)), Counter(map(_shape, many.queries))
    grown = sorted(
        ((after[shape] - before[shape], shape) for shape in after if after[shape] > before[shape]),
        reverse=True,
    )
    gone = [shape for shape in before if before[shape] > after[shape]]
    lines = []
    for extra, shape in grown[:limit]:
        example = next(sql for sql in many.queries if _shape(sql) == shape)
        lines.append(f"  +{extra} × {example[:400]}")
    if len(grown) > limit:
        lines.append(f"  … and {len(grown) - limit} more statements")
    for shape in gone[:limit]:
        lines.append(f"  (run fewer times with more rows) {shape[:400]}")
    return "\n".join(lines) or "  (the same statements, in another number)"


@contextmanager
def data_for_the_module(django_db_blocker):
    """Rows built once for a whole module, inside a transaction rolled back at its end: each
    test then runs in a savepoint of its own (pytest-django's ``django_db``), so what a test
    adds is gone before the next one."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        yield
        transaction.set_rollback(True)
