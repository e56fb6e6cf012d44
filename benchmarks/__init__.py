"""Benchmarks for reviewbook: ``python -m benchmarks`` runs them and writes docs/benchmarks.md."""
