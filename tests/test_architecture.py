"""The house stays one-way: no import loops, nothing imports upward, rooms stay small.

Imports are read from the source (every ``import``, including those inside functions and
under ``TYPE_CHECKING``), so a loop hidden in a function body fails here too.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from .conftest import REPO

PACKAGE = REPO / "replay_viewer"

# Bottom to top; a module may import its own layer (without loops) and the layers below.
LAYERS = (
    ("_version", "_resources", "errors", "files", "timecode"),
    ("model", "histogram", "baseline"),
    # "": the package's __init__
    (
        "describe",
        "groups",
        "options",
        "compare",
        "loader",
        "analysis",
        "story",
        "postmortem",
        "importers",
        "",
    ),
    ("render",),
    ("export",),
    ("edit",),
    ("app",),
    ("cli", "__main__"),
)
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
MAX_CLASS_LINES = 300


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules ``name`` imports (``from . import x`` counts as module x when
    x is a module, else as the package)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                child = f"{target}.{alias.name}"
                found.add(child if child in known else target)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m in known and m != name}


def layer_of(name: str) -> int:
    inside = name.removeprefix("replay_viewer").removeprefix(".")
    top = inside.split(".")[0]
    for index, layer in enumerate(LAYERS):
        if top in layer:
            return index
    raise AssertionError(f"{name} is in no layer: add it to LAYERS (and docs/architecture.md)")


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports_of(name, path, set(found)) for name, path in found.items()}


def test_no_import_loops(graph):
    loops, state = [], {}

    def visit(name, stack):
        state[name] = "open"
        for target in sorted(graph[name]):
            if state.get(target) == "open":
                loops.append(" -> ".join([*stack[stack.index(target) :], target]))
            elif target not in state:
                visit(target, [*stack, target])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not loops, "import loops:\n" + "\n".join(loops)


def test_nothing_imports_upward(graph):
    upward = [
        f"{name} (layer {layer_of(name)}) imports {target} (layer {layer_of(target)})"
        for name, targets in graph.items()
        for target in targets
        if layer_of(target) > layer_of(name)
    ]
    assert not upward, "\n".join(upward)


def test_nothing_imports_the_cli(graph):
    assert not [name for name, targets in graph.items() if "replay_viewer.cli" in targets
                and name != "replay_viewer.__main__"]  # fmt: skip


def test_the_test_can_see_a_loop(tmp_path):
    # The reader itself: a loop through a function-level import is found.
    (tmp_path / "a.py").write_text("def f():\n    from . import b\n", encoding="utf-8")
    (tmp_path / "b.py").write_text("from .a import f\n", encoding="utf-8")
    known = {"pkg.a", "pkg.b"}
    fake_a, fake_b = tmp_path / "a.py", tmp_path / "b.py"
    assert imports_of("pkg.a", fake_a, known) == {"pkg.b"}
    assert imports_of("pkg.b", fake_b, known) == {"pkg.a"}


def documented_exceptions() -> set[str]:
    """``path`` or ``path:name`` entries of docs/architecture.md's size-limit section."""
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = text.partition("## Rooms over the size limits")[2].partition("\n## ")[0]
    return set(re.findall(r"^- `([^`]+)`", section, re.M))


def test_rooms_are_small():
    allowed = documented_exceptions()
    too_big = []
    for path in modules().values():
        relative = str(path.relative_to(REPO))
        source = path.read_text(encoding="utf-8")
        lines = source.count("\n")
        if lines > MAX_MODULE_LINES and relative not in allowed:
            too_big.append(f"{relative}: {lines} lines")
        for node in ast.walk(ast.parse(source)):
            limit = {ast.FunctionDef: MAX_FUNCTION_LINES, ast.AsyncFunctionDef: MAX_FUNCTION_LINES,
                     ast.ClassDef: MAX_CLASS_LINES}.get(type(node))  # fmt: skip
            if limit is None:
                continue
            length = node.end_lineno - node.lineno + 1
            if length > limit and f"{relative}:{node.name}" not in allowed:
                too_big.append(f"{relative}:{node.name}: {length} lines (limit {limit})")
    assert not too_big, "over the size limits (split, or say why in docs/architecture.md):\n" + (
        "\n".join(too_big)
    )


def documented_rows(package: str) -> list[set[str]]:
    """The rows of docs/architecture.md's ``| render/ | Modules |`` (or app/) table, top
    (imported by the rows below) first."""
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = text.partition(f"| {package}/ | Modules |")[2].partition("\n\n")[0]
    rows = [line for line in table.splitlines()[1:] if line.startswith("|") and "`" in line]
    return [set(re.findall(r"`([^`]+)`", row.split("|")[2])) for row in rows]


@pytest.mark.parametrize("package", ["render", "app"])
def test_the_order_inside_a_package_is_the_documented_one(graph, package):
    rows = documented_rows(package)
    assert len(rows) >= 3, f"docs/architecture.md has no table for {package}/"
    prefix = f"replay_viewer.{package}"
    names = {"__init__" if n == prefix else n.removeprefix(prefix + ".")
             for n in graph if n == prefix or n.startswith(prefix + ".")}  # fmt: skip
    row_of = {module: number for number, row in enumerate(rows) for module in row}
    assert names == set(row_of), (
        f"{package}/ modules missing from the table: {sorted(names - set(row_of))}; "
        f"listed but gone: {sorted(set(row_of) - names)}"
    )
    upward = []
    for name in names:
        full = prefix if name == "__init__" else f"{prefix}.{name}"
        for target in graph[full]:
            if target.startswith(prefix + "."):
                other = target.removeprefix(prefix + ".").split(".")[0]
                if row_of[other] > row_of[name]:
                    upward.append(
                        f"{name} (row {row_of[name]}) imports {other} (row {row_of[other]})"
                    )
    assert not upward, "\n".join(upward)
