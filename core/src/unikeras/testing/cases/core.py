"""Conformance cases for the `core` op hooks."""

from unikeras.testing.case import Case, rand  # noqa: F401

CASES = {}
