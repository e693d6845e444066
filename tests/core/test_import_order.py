"""The packages import one another in one direction only, the order docs/architecture.md
draws: ``core`` below everything, then ``stations``, then ``audit`` and ``operations``, then
``projects`` ← ``funds`` ← ``donations`` and ``projects`` ← ``volunteers``; ``reports`` reads
all of them; ``config`` is the wiring and is imported by no package (only by the entry
points: ``manage.py``, WSGI/ASGI, Celery's start-up and the tests)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

BELOW = {
    "core": set(),
    "stations": {"core"},
    "audit": {"core", "stations"},
    "operations": {"core"},
    "projects": {"core", "stations", "audit", "operations"},
    "funds": {"core", "stations", "audit", "operations", "projects"},
    "donations": {"core", "stations", "audit", "operations", "projects", "funds"},
    "volunteers": {"core", "stations", "audit", "operations", "projects"},
    "reports": {
        "core",
        "stations",
        "audit",
        "operations",
        "projects",
        "funds",
        "donations",
        "volunteers",
    },  # fmt: skip
}
PACKAGES = set(BELOW) | {"config"}


def arrows(root: Path = ROOT) -> set[tuple[str, str, str]]:
    """(importing package, imported package, file) for every import between packages,
    function-level (lazy) imports included."""
    found = set()
    for package in sorted(PACKAGES):
        for path in sorted((root / package).rglob("*.py")):
            tree = ast.parse(path.read_text(), str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                elif isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top in PACKAGES and top != package:
                        found.add((package, top, str(path.relative_to(root))))
    return found


def against_the_order(found) -> list[str]:
    return sorted(
        f"{path}: {source} imports {target}"
        for source, target, path in found
        if source != "config" and target not in BELOW[source]
    )


def test_no_import_runs_against_the_order():
    found = arrows()
    assert (
        "donations",
        "funds",
        "donations/services/confirming.py",
    ) in found  # the reader sees imports
    assert against_the_order(found) == []


def test_an_import_against_the_order_is_caught(tmp_path):
    for package in PACKAGES:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "funds" / "services.py").write_text("from projects.services import approve\n")
    (tmp_path / "projects" / "services.py").write_text(
        "def guards():\n    from funds.services import run_fundraising_guards\n"
    )
    (tmp_path / "core" / "money.py").write_text("import stations.models\n")
    (tmp_path / "operations" / "outbox.py").write_text("from config.celery import app\n")
    assert against_the_order(arrows(tmp_path)) == [
        "core/money.py: core imports stations",
        "operations/outbox.py: operations imports config",
        "projects/services.py: projects imports funds",
    ]
