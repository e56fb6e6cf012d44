"""Records as pandas tables, and what researchers do with them: filter, export, compare."""
