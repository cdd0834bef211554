"""Conformance cases per op namespace: each module has `CASES = {op_name: [Case, ...]}`."""
