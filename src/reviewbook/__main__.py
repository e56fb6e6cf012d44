"""``python -m reviewbook``: the same command line as the ``reviewbook`` script."""

from reviewbook.cli.main import main

raise SystemExit(main())
