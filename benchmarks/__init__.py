"""Benchmarks of foerderflow (issue 7, section 1). Run with ``python -m benchmarks``."""
