"""A non-editable install works outside a checkout: the wheel carries the lexicons and the prompts,
and the model engine's prompts load from the installed package."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import REPO


def test_the_wheel_carries_lexicons_and_prompts_and_they_load_outside_the_checkout(tmp_path: Path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-q", "-w", str(wheels)], check=True)
    [wheel] = list(wheels.glob("*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for lexicon in (REPO / "rag" / "core" / "lexicon").glob("*.toml"):
        assert f"rag/core/lexicon/{lexicon.name}" in names
    for prompt in (REPO / "prompts").glob("*.md"):
        assert f"rag/llm/prompt_files/{prompt.name}" in names
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)], check=True)
    probe = ("import sys; sys.path.insert(0, sys.argv[1]); import rag.llm.prompts as p; "
             "assert 'site' in str(p.PROMPTS), p.PROMPTS; p.load_prompt('answer.v1'); "
             "from rag.core.lexicon import lexicon; lexicon('indicators'); print('ok')")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([sys.executable, "-c", probe, str(target)], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr


def test_every_package_under_rag_is_listed_in_pyproject():
    import tomllib

    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "rag").rglob("__init__.py")}
    assert found <= listed, found - listed
