"""Conformance cases for the `random` op hooks."""

from unikeras.testing.case import Case, rand  # noqa: F401

CASES = {}
