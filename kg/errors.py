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


class BuildError(KGError):
    """Documents of a build that could not be read: names each file and why.

    ``failures`` holds ``(path, reason)`` pairs; ``graph`` the graph of the
    documents that did build (None when none did).
    """

    def __init__(self, failures: list[tuple[Path, str]], graph: object | None = None, total: int = 0) -> None:
        self.failures = failures
        self.graph = graph
        if not failures:
            super().__init__("no documents to build (supported: .txt .md .html .htm .docx .pdf)")
            return
        shown = "; ".join(f"{p}: {r}" for p, r in failures[:5]) + ("; …" if len(failures) > 5 else "")
        super().__init__(f"{len(failures)} of {total or len(failures)} documents could not be built: {shown}")


class KGWarning(UserWarning):
    """Something a build kept going past: a file read only in part."""
