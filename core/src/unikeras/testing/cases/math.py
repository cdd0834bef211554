"""Conformance cases for the `math` op hooks."""

from unikeras.testing.case import Case, rand  # noqa: F401

CASES = {}
