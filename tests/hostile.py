"""Hypothesis strategies for hostile form input, shared by the public form fuzz tests."""

from django.apps import apps
from hypothesis import strategies as st

NASTY_STRINGS = [
    "",
    " ",
    "\x00",
    "王\x00小明",
    "\x01\x02\x1b[31m\x7f",
    "\r\n\t",
    "\u202e\u202dabc",  # right-to-left override
    "\ufeff\u200b\u200d",  # BOM, zero-width characters
    "😀👨‍👩‍👧‍👦🇨🇳",
    "\U0010ffff",
    "\ud7ff",
    "' OR 1=1 --",
    "'; DROP TABLE donations_donation; --",
    '"><script>alert(1)</script>',
    "{{ 7*7 }}{% debug %}",
    "%s%s%n",
    "../../etc/passwd",
    "null",
    "None",
    "NaN",
    "-Infinity",
    "1e30",
    "-1",
    "0",
    "9" * 40,
    str(2**63),
    str(-(2**63) - 1),
    "0x1F",
    "1,000",
    "１２３",  # full-width digits
    "a" * 10_000,
    "王" * 10_000,
]

nasty_text = st.one_of(st.sampled_from(NASTY_STRINGS), st.text(max_size=60))
nasty_amount = st.one_of(
    st.sampled_from(
        ["1e30", "-5", "NaN", "Infinity", "-0", "0.001", "0.00", "1e-30", "12.345", "1_000", "5"]
    ),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats().map(str),
    nasty_text,
)


def form_value(values: st.SearchStrategy) -> st.SearchStrategy:
    """A field sent once, repeated (a list: several values for one key), or left out (None)."""
    return st.one_of(values, st.lists(values, min_size=2, max_size=3), st.none())


def without_missing(data: dict) -> dict:
    return {key: value for key, value in data.items() if value is not None}


def row_counts(*app_labels: str, extra_models=()) -> dict[str, int]:
    """Rows of every model of the apps, to compare before and after one request."""
    models = [m for label in app_labels for m in apps.get_app_config(label).get_models()]
    return {m._meta.label: m._default_manager.count() for m in [*models, *extra_models]}


def changed(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    return {
        label: after[label] - before[label] for label in before if after[label] != before[label]
    }
