"""Conformance cases for the `image` op hooks."""

from unikeras.testing.case import Case, rand  # noqa: F401

CASES = {}
