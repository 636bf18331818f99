"""Prompts: versioned template files in `prompts/` (shipped in the package as `rag.llm.prompt_files`),
filled with named variables.

A template is `[system]` and `[user]` sections; variables are `{name}`, literal braces `{{ }}`.
Filling a template with a variable missing (or one it does not use) is an error naming it, so a
renamed variable can never silently send an empty prompt.
"""

from __future__ import annotations

import hashlib
import string
from dataclasses import dataclass
from pathlib import Path

from rag.core.errors import ConfigError


def _prompt_folder() -> Path:
    """`prompts/` of the checkout, else the copy installed in the package (`rag.llm.prompt_files`)."""
    checkout = Path(__file__).resolve().parents[2] / "prompts"
    if checkout.is_dir():
        return checkout
    return Path(__file__).resolve().parent / "prompt_files"


PROMPTS = _prompt_folder()


@dataclass(frozen=True)
class Prompt:
    name: str
    system: str
    user: str

    @property
    def variables(self) -> set[str]:
        return {field for part in (self.system, self.user) for _, field, _, _ in string.Formatter().parse(part) if field}

    @property
    def sha(self) -> str:
        return hashlib.sha256(f"{self.system}\0{self.user}".encode()).hexdigest()[:16]

    def render(self, **values: str) -> tuple[str, str]:
        missing = self.variables - set(values)
        if missing:
            raise ConfigError(f"prompt {self.name!r} needs variable(s) {', '.join(sorted(missing))}")
        unused = set(values) - self.variables
        if unused:
            raise ConfigError(f"prompt {self.name!r} has no variable(s) {', '.join(sorted(unused))}")
        return self.system.format(**values), self.user.format(**values)


def load_prompt(name: str, folder: Path = PROMPTS) -> Prompt:
    path = folder / f"{name}.md"
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError:
        raise ConfigError(f"prompt file {path} is missing") from None
    if "[system]" not in raw or "[user]" not in raw:
        raise ConfigError(f"prompt file {path} needs a [system] and a [user] section")
    system = raw.split("[system]", 1)[1].split("[user]", 1)[0].strip()
    user = raw.split("[user]", 1)[1].strip()
    return Prompt(name, system, user)
