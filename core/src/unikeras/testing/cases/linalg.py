"""Conformance cases for the `linalg` op hooks."""

from unikeras.testing.case import Case, rand  # noqa: F401

CASES = {}
