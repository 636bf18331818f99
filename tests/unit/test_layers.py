"""The house plan: stage packages import one way only, and no package uses another's private names.

core ← llm ← ingest ← index ← extract ← answer, brief ← evaluation ← render ← app ← cli. A module may
import from its own package and from packages below it; answer and brief stand side by side and do
not import each other. Imports inside functions count too (they are how a stage defers a cost, not
how it escapes the plan).
"""

from __future__ import annotations

import ast
from pathlib import Path

RAG = Path(__file__).resolve().parents[2] / "rag"

LAYERS = {
    "core": 0, "llm": 1, "ingest": 2, "index": 3, "extract": 4, "answer": 5, "brief": 5,
    "evaluation": 6, "render": 7, "app": 8, "cli": 9, "__main__": 10, "__init__": 0,
}


def _package(module: str) -> str:
    """`rag.extract.rules.engine` → `extract`; `rag.app` → `app`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(module imported, names taken from it, line) for every `rag` import in a file."""
    out: list[tuple[str, list[str], int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "rag":
            if node.module == "rag":  # `from rag import __version__`, `from rag.ingest import readers`
                out.extend((f"rag.{a.name}", [], node.lineno) for a in node.names if a.name != "__version__")
            else:
                out.append((node.module, [a.name for a in node.names], node.lineno))
        elif isinstance(node, ast.Import):
            out.extend((a.name, [], node.lineno) for a in node.names if a.name.split(".")[0] == "rag")
    return out


def _modules() -> list[tuple[str, Path]]:
    return [("rag." + ".".join(p.relative_to(RAG).with_suffix("").parts), p) for p in sorted(RAG.rglob("*.py"))]


def test_every_package_is_in_the_plan():
    packages = {_package(m) for m, _ in _modules()}
    assert packages <= set(LAYERS), packages - set(LAYERS)


def test_imports_run_one_way():
    wrong = []
    for module, path in _modules():
        mine = _package(module)
        for imported, _, line in _imports(path):
            theirs = _package(imported)
            if theirs == mine:
                continue
            if LAYERS[theirs] >= LAYERS[mine] and theirs != "__init__":
                wrong.append(f"{path.relative_to(RAG.parent)}:{line}: {mine} imports {imported} ({theirs})")
    assert not wrong, "\n".join(wrong)


def test_no_package_uses_another_packages_private_names():
    wrong = []
    for module, path in _modules():
        mine = _package(module)
        for imported, names, line in _imports(path):
            if _package(imported) != mine:
                wrong.extend(f"{path.relative_to(RAG.parent)}:{line}: {imported}.{n}" for n in names if n.startswith("_"))
    assert not wrong, "\n".join(wrong)


def test_every_package_and_module_says_what_it_owns():
    missing = [str(p.relative_to(RAG.parent)) for _, p in _modules()
               if p.name != "__main__.py" and ast.get_docstring(ast.parse(p.read_text(encoding="utf-8"))) is None]
    assert not missing, missing
