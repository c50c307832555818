"""The package's shape: imports flow one way, nothing depends on import order, files stay short.

The arrow of docs/architecture.md, ``backend/random -> autograd -> functional ->
layers/optimizers/... -> models -> experiments/cli``, with `datasets` on NumPy and the
standard library alone, is checked on a static import graph read with `ast` (every
import, also those inside functions; only ``if TYPE_CHECKING:`` blocks are left out,
since they never run). Each module is also imported first, in a fresh process.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "numnet"
MAX_LINES = 300

# Files allowed over MAX_LINES while someone splits them; each entry says who and why, and
# goes when the split lands (test_stale_exceptions_are_removed insists on that).
TEMPORARILY_LONG: dict[str, str] = {}

# What each low layer may import from numnet (prefixes): the arrow read from below.
MAY_IMPORT: dict[str, tuple[str, ...]] = {
    "numnet.backend": (),
    "numnet.random": (),
    "numnet.autograd": ("numnet.backend", "numnet.random", "numnet.autograd"),
    "numnet.functional": (
        "numnet.backend",
        "numnet.random",
        "numnet.autograd",
        "numnet.functional",
    ),
    # datasets stands beside the arrow: NumPy, the standard library, and two leaf modules
    # of numnet that need nothing else (the random state and the download progress bar).
    "numnet.progbar": (),
    "numnet.datasets": ("numnet.random", "numnet.progbar", "numnet.datasets"),
    "numnet.gradcheck": ("numnet.backend", "numnet.autograd"),
}
# What the upper layers must not import: the arrow read from above.
_TOP = ("numnet.models", "numnet.experiments", "numnet.cli")
MAY_NOT_IMPORT: dict[str, tuple[str, ...]] = {
    "numnet.layers": _TOP,
    "numnet.optimizers": _TOP,
    "numnet.initializers": _TOP,
    "numnet.regularizers": _TOP,
    "numnet.activations": _TOP,
    "numnet.losses": _TOP,
    "numnet.metrics": _TOP,
    "numnet.models": ("numnet.experiments", "numnet.cli"),
    "numnet.experiments": ("numnet.cli",),
}
# NumPy is the one runtime dependency; the optional ones load lazily, inside functions.
RUNTIME_DEPENDENCIES = {"numpy"}
OPTIONAL_DEPENDENCIES = {"matplotlib", "PIL", "onnx", "gymnasium", "optuna", "mpi4py"}


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _is_type_checking(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(tree: ast.AST) -> list[tuple[ast.Import | ast.ImportFrom, bool]]:
    """Every import statement, with True when it sits inside a function (lazy)."""
    found: list[tuple[ast.Import | ast.ImportFrom, bool]] = []
    stack: list[tuple[ast.AST, bool]] = [(tree, False)]
    while stack:
        node, lazy = stack.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append((node, lazy))
        children: list[ast.AST] = list(ast.iter_child_nodes(node))
        if _is_type_checking(node):
            children = list(node.orelse)  # the TYPE_CHECKING body never runs
        lazy = lazy or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        stack.extend((child, lazy) for child in children)
    return found


def imported_names(module: str) -> list[tuple[str, bool]]:
    """(imported module, lazy) for each import of `module`; `from a import b` names the
    module a.b when there is one, else a."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    names: list[tuple[str, bool]] = []
    for node, lazy in _import_nodes(tree):
        if isinstance(node, ast.Import):
            names.extend((alias.name, lazy) for alias in node.names)
            continue
        base = node.module or ""
        if node.level:
            anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
            base = ".".join(anchor + ([base] if base else []))
        for alias in node.names:
            candidate = f"{base}.{alias.name}"
            names.append((candidate if candidate in MODULES else base, lazy))
    return names


def import_graph() -> dict[str, set[str]]:
    """module -> the numnet modules importing it executes.

    Importing a.b.c runs the packages a and a.b first; those the importer sits inside
    are already running, so only the others count (an explicit import of one counts).
    """
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for module in MODULES:
        for target, _ in imported_names(module):
            if not _within(target, "numnet"):
                continue
            parts = target.split(".")
            for depth in range(1, len(parts)):
                package = ".".join(parts[:depth])
                if package in MODULES and not _within(module, package):
                    graph[module].add(package)
            if target in MODULES and target != module:
                graph[module].add(target)
    return graph


def shortest_paths(graph: dict[str, set[str]], start: str) -> dict[str, list[str]]:
    """Each module reachable from `start`, with a shortest path to it (breadth-first)."""
    paths: dict[str, list[str]] = {}
    frontier = [[start]]
    while frontier:
        path = frontier.pop(0)
        for child in sorted(graph[path[-1]]):
            if child not in paths:
                paths[child] = [*path, child]
                frontier.append(paths[child])
    return paths


def import_cycles(graph: dict[str, set[str]]) -> list[tuple[list[str], list[str]]]:
    """(group, cycle) for each group of modules that all reach each other: its members,
    and a shortest cycle (first = last) through the first of them."""
    paths = {module: shortest_paths(graph, module) for module in graph}
    found, seen = [], set()
    for module in sorted(graph):
        if module in paths[module] and module not in seen:
            group = sorted(m for m in paths[module] if module in paths[m])
            seen.update(group)
            found.append((group, paths[module][module]))
    return found


def test_no_import_cycle():
    report = [
        f"{len(group)} modules import each other ({', '.join(group)}), e.g. " + " -> ".join(cycle)
        for group, cycle in import_cycles(import_graph())
    ]
    assert not report, "import cycles:\n" + "\n".join(report)


def test_imports_follow_the_arrow():
    wrong = []
    for module in MODULES:
        allowed = next((v for k, v in MAY_IMPORT.items() if _within(module, k)), None)
        denied = next((v for k, v in MAY_NOT_IMPORT.items() if _within(module, k)), ())
        for target, _ in imported_names(module):
            if not _within(target, "numnet"):
                continue
            if allowed is not None and not any(_within(target, a) for a in allowed):
                wrong.append(f"{module} imports {target}")
            if any(_within(target, d) for d in denied):
                wrong.append(f"{module} imports {target}")
    assert not wrong, "imports against the arrow:\n" + "\n".join(wrong)


def test_numpy_is_the_only_runtime_dependency():
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    wrong = []
    for module in MODULES:
        for target, lazy in imported_names(module):
            top = target.partition(".")[0]
            if top in stdlib or top == "numnet" or top in RUNTIME_DEPENDENCIES:
                continue
            strict = any(_within(module, k) for k in MAY_IMPORT)  # NumPy and stdlib alone
            if strict or not lazy or top not in OPTIONAL_DEPENDENCIES:
                wrong.append(f"{module} imports {target}" + (" (lazily)" if lazy else ""))
    assert not wrong, "imports beyond NumPy and the standard library:\n" + "\n".join(wrong)


def test_modules_stay_short():
    long = {}
    for path in MODULES.values():
        lines = len(path.read_text(encoding="utf-8").splitlines())
        name = path.relative_to(PACKAGE).as_posix()
        if lines > MAX_LINES and name not in TEMPORARILY_LONG:
            long[name] = lines
    assert not long, f"modules over {MAX_LINES} lines (split them by family): {long}"


def test_stale_exceptions_are_removed():
    for name in TEMPORARILY_LONG:
        path = PACKAGE / name
        if path.exists():
            lines = len(path.read_text(encoding="utf-8").splitlines())
            assert lines > MAX_LINES, f"{name} is {lines} lines now: drop its exception"


# Imports each module first. numnet/__init__ imports every subpackage in one fixed order,
# which would hide an order-dependent cycle, so the child registers the numnet package
# without running its __init__ (as if it were a namespace package), then imports the
# module: the module and the packages on its path must stand on their own. The children
# fork from an interpreter that has imported NumPy and nothing of numnet, which keeps
# 100-odd fresh imports to seconds; where there is no fork, each gets an interpreter.
_IMPORT_FIRST = """
import importlib, importlib.util, sys

def import_first(name):
    sys.modules["numnet"] = importlib.util.module_from_spec(importlib.util.find_spec("numnet"))
    importlib.import_module(name)
"""
_FORK_EACH = (
    _IMPORT_FIRST
    + """
import os, traceback
import numpy

failed = []
for name in sys.argv[1:]:
    pid = os.fork()
    if pid == 0:
        try:
            import_first(name)
        except BaseException:
            traceback.print_exc()
            os._exit(1)
        os._exit(0)
    if os.waitpid(pid, 0)[1] != 0:
        failed.append(name)
print("FAILED:" + " ".join(failed))
"""
)


def _python(*args: str, timeout: float) -> subprocess.CompletedProcess:
    # One BLAS thread: forked children must not inherit a thread pool's locks.
    env = {**os.environ, "PYTHONPATH": str(SRC), "OPENBLAS_NUM_THREADS": "1"}
    return subprocess.run(
        [sys.executable, "-c", *args], capture_output=True, text=True, timeout=timeout, env=env
    )


def test_every_module_imports_first_in_a_fresh_process():
    names = sorted(MODULES)
    if hasattr(os, "fork"):
        result = _python(_FORK_EACH, *names, timeout=300)
        assert result.returncode == 0 and "FAILED:" in result.stdout, result.stderr[-4000:]
        failed = result.stdout.rpartition("FAILED:")[2].split()
        errors = result.stderr
    else:
        runs = {
            name: _python(_IMPORT_FIRST + "import_first(sys.argv[1])", name, timeout=60)
            for name in names
        }
        failed = [name for name, run in runs.items() if run.returncode != 0]
        errors = "".join(runs[name].stderr for name in failed)
    assert not failed, f"modules that fail to import first: {failed}\n{errors[-4000:]}"


def test_package_imports_in_a_fresh_interpreter():
    result = _python("import numnet, numnet.functional; print(numnet.__version__)", timeout=60)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("graph", "cycle"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, ["a", "b", "c", "a"]),
        ({"a": {"b", "d"}, "b": {"c"}, "c": {"a", "b"}, "d": set()}, ["a", "b", "c", "a"]),
        ({"x": {"y"}, "y": {"x"}}, ["x", "y", "x"]),
        ({"a": {"b"}, "b": set()}, None),
    ],
)
def test_cycle_finder(graph: dict[str, set[str]], cycle: list[str] | None):
    assert [c for _, c in import_cycles(graph)] == ([cycle] if cycle else [])
