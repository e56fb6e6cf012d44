"""What every ``reviewbook`` subcommand shares: the program name, exit statuses, the type of
the subparsers it registers with, and how an input that cannot be read is reported."""

from __future__ import annotations

import argparse

from reviewbook.errors import ReadError

Subparsers = argparse._SubParsersAction  # the type ``add_subparsers`` returns

PROG = "reviewbook"
EXIT_OK = 0
EXIT_INVALID = 1
"""The input was read but has problems: annotation errors, notebooks out of step."""
EXIT_FAILED_INPUT = 2
"""Some input could not be read (argparse also uses 2 for a bad command line)."""
EXIT_SIGNALLED = 128
"""Added to a signal's number for the exit status of a command it stopped (SIGTERM: 143)."""
EXIT_BROKEN_PIPE = 141
"""What a shell reports for a command stopped by SIGPIPE, e.g. output piped into ``head``."""


def failure_line(path: str, error: ReadError | OSError) -> str:
    """``<path>[:<line>]: <reason>`` for a file that could not be read."""
    if isinstance(error, ReadError):
        where = error.path or path
        if error.line is not None:
            where = f"{where}:{error.line}"
        return f"{where}: {error.reason}"
    return f"{path}: {error.strerror or error}"
