"""The promises the repository makes about itself."""

from __future__ import annotations

import re

from conftest import REPO, SEEDS


def readme_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", quick_start, flags=re.S)


def test_quick_start_is_two_commands_and_ci_runs_the_test_one():
    commands = readme_commands()
    assert len(commands) == 2
    setup, tests = commands
    assert "python3 -m venv .venv" in setup and "rag demo" in setup
    assert "pytest" in tests
    assert tests in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def test_seeds_are_the_shared_corpus_byte_for_byte():
    shared = REPO.parent / "shared" / "seeds"
    ours = sorted(p.name for p in SEEDS.iterdir())
    assert len(ours) == 5
    if shared.is_dir():
        assert ours == sorted(p.name for p in shared.iterdir())
        for name in ours:
            assert (SEEDS / name).read_bytes() == (shared / name).read_bytes()


def test_top_level_layout():
    for name in ("pyproject.toml", "rag", "prompts", "schemas", "seeds", "tests", "evals", "README.md", ".ci/run"):
        assert (REPO / name).exists(), name


def test_the_readme_cli_reference_is_what_help_prints_and_the_table_names_every_command():
    import cli_reference

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = cli_reference.current_section(readme)
    assert section is not None and cli_reference.words(section) == cli_reference.words(cli_reference.reference()), \
        "run: .venv/bin/python tests/cli_reference.py --write"
    table = readme[readme.index("## Commands") : readme.index("## How it works")]
    assert [name for name in cli_reference.commands() if f"`rag {name}" not in table] == []
