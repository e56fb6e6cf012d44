"""The ``reviewbook`` command: thin subcommands over the library."""

from reviewbook.cli.main import main

__all__ = ["main"]
