"""The one error hierarchy. The CLI turns a RagError into a single line on stderr."""

from __future__ import annotations

from pathlib import Path


class RagError(Exception):
    """An error the user can act on; its message is shown as is."""

    exit_code = 1


class UsageError(RagError):
    exit_code = 2


class ConfigError(RagError):
    """Settings that cannot work together, or a value out of range."""


class InputFileError(RagError):
    """A file that cannot be read as a document. Always names the file."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")

    def __reduce__(self) -> tuple:
        # Crosses from ingest worker processes to the main one.
        return (InputFileError, (str(self.path), self.reason))


class StoreError(RagError):
    """The index store cannot be opened, written or read."""


class NotFoundError(RagError):
    """A document id or other named thing that does not exist."""


class VectorsUnavailableError(StoreError):
    """The vector store cannot be opened on a read-only store; readers go on without it."""
