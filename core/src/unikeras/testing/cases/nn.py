"""Conformance cases for the `nn` op hooks."""

from unikeras.testing.case import Case, rand  # noqa: F401

CASES = {}
