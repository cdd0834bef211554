"""Conformance cases for the `numpy` op hooks."""

from unikeras.testing.case import Case, rand  # noqa: F401

CASES = {}
