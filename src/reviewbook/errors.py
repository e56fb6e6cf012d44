"""The one error reviewbook raises for input it cannot read at all."""

from __future__ import annotations


class PubMedPageError(ValueError):
    """The input is not a PubMed abstract page (empty, binary, HTML source, another site).

    ``path`` and ``line`` say where the reader gave up; either may be None.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        self.reason = message
        self.path = path
        self.line = line
        where = path or "<text>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}")
