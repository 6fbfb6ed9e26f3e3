"""Benchmarks of the performance budget (docs/design.md §10): outside the test run, reported as numbers.

``python -m benchmarks --cases N [--out results.json]`` builds (or reuses) a synthetic vault of N
cases with the demo generator, measures each figure of the budget with p50/p95 over repeated runs
and, where it makes sense, the same work on a baseline in the same run, prints a table and writes
JSON. Nothing here asserts a time: tests only check that it runs.
"""
