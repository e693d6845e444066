"""Find, by reading the source, every function of the project that takes a row lock.

A function locks when its body calls ``core.locks.lock`` or a function of the project that
locks (followed through every module, by the names each module imports). It *holds its own
transaction* when it is decorated with ``transaction.atomic`` or the lock is reached inside a
``with transaction.atomic(...)`` block of its body.
"""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "audit",
    "core",
    "donations",
    "funds",
    "operations",
    "projects",
    "reports",
    "stations",
    "volunteers",
)


@dataclasses.dataclass
class Function:
    module: str
    name: str
    node: ast.FunctionDef
    atomic: bool  # decorated with transaction.atomic
    calls: list[tuple[str, bool]]  # (qualified callee, inside a `with transaction.atomic`)

    @property
    def qualname(self) -> str:
        return f"{self.module}.{self.name}"


def _is_atomic(expr: ast.expr) -> bool:
    target = expr.func if isinstance(expr, ast.Call) else expr
    return (
        isinstance(target, ast.Attribute)
        and target.attr == "atomic"
        or (isinstance(target, ast.Name) and target.id == "atomic")
    )


def _module_name(path: Path, root: Path) -> str:
    return ".".join(path.relative_to(root).with_suffix("").parts).removesuffix(".__init__")


def _imports(tree: ast.Module, module: str, is_package: bool) -> dict[str, str]:
    """Local name → qualified name, for what the module imports from the project."""
    package = module if is_package else module.rsplit(".", 1)[0]
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                source = f"{base}.{node.module}" if node.module else base
            else:
                source = node.module or ""
            for alias in node.names:
                names[alias.asname or alias.name] = f"{source}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                names[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
    return names


class _Calls(ast.NodeVisitor):
    def __init__(self, resolve):
        self.resolve = resolve
        self.depth = 0
        self.calls: list[tuple[str, bool]] = []

    def visit_With(self, node):
        atomic = any(_is_atomic(item.context_expr) for item in node.items)
        self.depth += atomic
        self.generic_visit(node)
        self.depth -= atomic

    def visit_Call(self, node):
        name = self.resolve(node.func)
        if name:
            self.calls.append((name, self.depth > 0))
        self.generic_visit(node)


def functions(root: Path = ROOT, apps=APPS) -> dict[str, Function]:
    found: dict[str, Function] = {}
    reexports: dict[str, str] = {}  # a name a package imports to offer it → where it is defined
    for app in apps:
        for path in sorted((root / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            module = _module_name(path, root)
            tree = ast.parse(path.read_text(), str(path))
            imported = _imports(tree, module, path.name == "__init__.py")
            for node in tree.body:
                if isinstance(node, ast.ImportFrom):
                    for alias in node.names:
                        local_name = alias.asname or alias.name
                        reexports[f"{module}.{local_name}"] = imported[local_name]
            local = {
                n.name
                for n in tree.body
                if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            }

            def resolve(func, imported=imported, local=local, module=module):
                if isinstance(func, ast.Name):
                    if func.id in local:
                        return f"{module}.{func.id}"
                    return imported.get(func.id)
                if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
                    base = imported.get(func.value.id)
                    if base:
                        return f"{base}.{func.attr}"
                return None

            for node in ast.walk(tree):
                if not isinstance(node, ast.FunctionDef):
                    continue
                visitor = _Calls(resolve)
                for statement in node.body:
                    visitor.visit(statement)
                atomic = any(_is_atomic(d) for d in node.decorator_list)
                owner = _owner(tree, node)
                name = f"{owner}.{node.name}" if owner else node.name
                found[f"{module}.{name}"] = Function(module, name, node, atomic, visitor.calls)
    for function in found.values():
        function.calls = [(_defined_at(c, reexports), inside) for c, inside in function.calls]
    return found


def _defined_at(name: str, reexports: dict[str, str]) -> str:
    """Follow a name through the packages that import it to offer it (``funds.services.x`` is
    ``funds.services.ledger.x``)."""
    seen = set()
    while name in reexports and name not in seen:
        seen.add(name)
        name = reexports[name]
    return name


def _owner(tree: ast.Module, target: ast.FunctionDef) -> str | None:
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and target in node.body:
            return node.name
    return None


def locking_functions(root: Path = ROOT, apps=APPS) -> dict[str, Function]:
    """Every function that takes a row lock, directly or through the functions it calls."""
    table = functions(root, apps)
    locking: set[str] = set()
    changed = True
    while changed:
        changed = False
        for qualname, function in table.items():
            if qualname in locking or qualname == "core.locks.lock":
                continue
            if any(c == "core.locks.lock" or c in locking for c, _ in function.calls):
                locking.add(qualname)
                changed = True
    return {q: table[q] for q in sorted(locking)}


def needing_a_callers_transaction(table: dict[str, Function]) -> set[str]:
    """Locking functions that reach a lock outside any transaction of their own: they work
    only when their caller already runs one."""
    holding: set[str] = set()
    changed = True
    while changed:
        changed = False
        for qualname, function in table.items():
            if qualname in holding:
                continue
            if function.atomic or all(
                inside or callee in holding
                for callee, inside in function.calls
                if callee == "core.locks.lock" or callee in table
            ):
                holding.add(qualname)
                changed = True
    return set(table) - holding


if __name__ == "__main__":
    table = locking_functions()
    bare = needing_a_callers_transaction(table)
    for q in table:
        print(("BARE " if q in bare else "     ") + q)
