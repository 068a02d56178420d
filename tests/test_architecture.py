"""The package's shape: no import cycle between modules, stages that import only downward,
and modules small enough to read (or saying at their top why they are not)."""

from __future__ import annotations

import ast
import graphlib
import re
import tomllib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "sqcorpus"
STAGES = ("text", "annotate", "release", "publish", "evaluation")
"""The wings, in pipeline order; a stage may import the foundation and earlier stages only."""
ALLOWED_STAGE_IMPORTS = {
    "text": set(),
    "annotate": {"text"},
    "release": {"text", "annotate"},
    "publish": {"text", "annotate", "release"},
    "evaluation": {"text", "annotate", "release"},
}
ENTRY_POINTS = {"sqcorpus", "sqcorpus.cli", "sqcorpus.__main__"}
"""The public API and the CLI (with its command modules) sit above every stage and import
them by need."""


def is_entry_point(module: str) -> bool:
    return module in ENTRY_POINTS or module.startswith("sqcorpus.cli.")


MAX_LINES = 400
LONG_MODULE_NOTE = "Longer than 400 lines because"


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, is_package: bool, level: int, target: str | None) -> str:
    """The absolute name of a relative import ``from <level dots><target> import ...``."""
    if level == 0:
        return target or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, target] if target else base)


def import_graph(root: Path) -> dict[str, set[str]]:
    """Module → the package's modules it imports, at any depth of its code (an import inside a
    function counts: hiding a cycle there is what this graph is meant to catch), except under
    ``if TYPE_CHECKING:``, which never runs. Ancestor packages are left out: Python imports
    them first whatever a module says."""
    files = {module_name(p, root): p for p in root.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        skipped = {
            id(node)
            for stmt in ast.walk(tree)
            if isinstance(stmt, ast.If) and "TYPE_CHECKING" in ast.unparse(stmt.test)
            for node in ast.walk(stmt)
        }
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(name, path.name == "__init__.py", node.level, node.module)
                targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            # An ancestor package is imported before any module of it anyway: no edge.
            graph[name].update(
                t for t in targets if t in files and t != name and not name.startswith(t + ".")
            )
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as err:
        return list(reversed(err.args[1]))  # graphlib lists importers first
    return None


def stage_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in STAGES else None


def test_the_package_has_no_import_cycle() -> None:
    cycle = find_cycle(import_graph(PACKAGE))
    assert cycle is None, " -> ".join(cycle or [])


def test_the_checker_finds_a_cycle_hidden_inside_a_function(tmp_path: Path) -> None:
    package = tmp_path / "sqcorpus"
    (package / "release").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "release" / "__init__.py").write_text("")
    (package / "release" / "store.py").write_text("from . import build\n")
    (package / "release" / "build.py").write_text("def f():\n    from .store import x\n")
    (package / "about.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .release import store\n"
    )
    graph = import_graph(package)
    assert graph["sqcorpus.about"] == set()  # type-checking imports never run
    assert set(find_cycle(graph) or []) == {"sqcorpus.release.store", "sqcorpus.release.build"}


def test_the_foundation_imports_no_stage() -> None:
    graph = import_graph(PACKAGE)
    for module, imported in graph.items():
        if stage_of(module) is None and not is_entry_point(module):
            stages = {stage_of(m) for m in imported} - {None}
            assert not stages, f"{module} (foundation) imports the stages {sorted(stages)}"


@pytest.mark.parametrize("stage", STAGES)
def test_a_stage_imports_only_earlier_stages(stage: str) -> None:
    graph = import_graph(PACKAGE)
    for module, imported in graph.items():
        if stage_of(module) == stage:
            others = {stage_of(m) for m in imported} - {None, stage}
            assert others <= ALLOWED_STAGE_IMPORTS[stage], f"{module} imports {sorted(others)}"


def test_every_module_is_short_or_says_why_not() -> None:
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > MAX_LINES:
            docstring = ast.get_docstring(ast.parse(text)) or ""
            assert LONG_MODULE_NOTE in docstring, f"{path.relative_to(PACKAGE)} is long"


def test_the_readme_pipeline_table_names_modules_that_exist() -> None:
    readme = (PACKAGE.parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The pipeline")[1].split("```")[0].replace("`src/sqcorpus/`", "")
    named = re.findall(r"`([a-z_]+/(?:[a-z_]+/)?(?:[a-z_]+\.py)?)`", section)
    assert len(named) > 15
    for name in named:
        assert (PACKAGE / name).exists(), name


def test_every_source_folder_is_a_listed_package() -> None:
    """setuptools warns, and leaves out of the wheel, a folder missing from ``packages``."""
    pyproject = tomllib.loads((PACKAGE.parents[1] / "pyproject.toml").read_text("utf-8"))
    listed = set(pyproject["tool"]["setuptools"]["packages"])
    folders = {
        ".".join(path.relative_to(PACKAGE.parent).parts)
        for path in [PACKAGE, *PACKAGE.rglob("*")]
        if path.is_dir() and path.name != "__pycache__" and any(path.iterdir())
    }
    assert folders - {"sqcorpus.data"} <= listed
    assert {name for name in listed if not name.startswith("sqcorpus.data")} <= folders
