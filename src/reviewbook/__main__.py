"""``python -m reviewbook``: the same command line as the ``reviewbook`` script."""

from reviewbook.cli import main

raise SystemExit(main())
