"""One exception hierarchy; every message names the file or thing it is about."""

from __future__ import annotations

from pathlib import Path


class KGError(Exception):
    """Base class of every error the package raises on purpose."""


class InputError(KGError):
    """A document that cannot be read: names the file and the reason in one line."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class LexiconError(KGError):
    """A lexicon data file with a bad line: names the file and line number."""

    def __init__(self, path: Path | str, line: int, reason: str) -> None:
        self.path = Path(path)
        self.line = line
        super().__init__(f"{path}:{line}: {reason}")


class GoldError(KGError):
    """A gold annotation file that cannot be used for evaluation."""
