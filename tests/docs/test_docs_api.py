"""The API reference's inputs: every public name has a docstring, every public namespace is
in the reference, the op coverage table matches the active backend, and the docstring
examples of ops and layers run as doctests (on the numpy backend)."""

import doctest
import inspect
import os
import sys

import numpy as np
import pytest

import unikeras
from unikeras import info

DOCS = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "docs")
sys.path.insert(0, os.path.abspath(DOCS))
import gen_ref  # noqa: E402

sys.path.pop(0)


def _members(cls):
    """Public methods and properties a class defines itself (inherited ones are documented
    where they are defined)."""
    for name, value in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(value, property):
            yield name, value
        elif inspect.isfunction(value) or isinstance(value, (classmethod, staticmethod)):
            yield name, getattr(cls, name)


def undocumented():
    """Returns the public names (and public members of public classes) without a docstring."""
    missing, seen = [], set()
    for namespace in gen_ref.namespaces():
        for name, obj in gen_ref.public_names(namespace):
            public = gen_ref.public_path(namespace, name)
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            doc = inspect.getdoc(obj) if inspect.isclass(obj) else obj.__doc__
            if not inspect.isclass(obj) and not inspect.isroutine(obj):
                # A callable instance documents itself with its own docstring, not its class'.
                doc = obj.__doc__ if obj.__doc__ != type(obj).__doc__ else None
            if not (doc or "").strip():
                missing.append(public)
            if inspect.isclass(obj) and (obj.__module__ or "").startswith("unikeras"):
                for member, value in _members(obj):
                    if not (inspect.getdoc(value) or "").strip():
                        missing.append(f"{public}.{member}")
    return missing


def test_every_public_name_has_a_docstring():
    missing = undocumented()
    assert missing == [], f"{len(missing)} public names without a docstring: {missing}"


def test_every_public_namespace_is_in_the_reference():
    documented = {space.split(".")[0] for space in gen_ref.namespaces()}
    modules = {
        name
        for name in dir(unikeras)
        if name.isidentifier()
        and not name.startswith("_")
        and inspect.ismodule(getattr(unikeras, name))
    }
    assert modules - documented - gen_ref.INTERNAL_MODULES == set()


def test_reference_pages_cover_every_op():
    pages = gen_ref.pages()
    text = "\n".join(body for _, body in pages.values())
    for op in info.contract_ops():
        public = "random." + op[len("random_") :] if op.startswith("random_") else op
        assert f'.{public}"' in text, f"op {op!r} is missing from the reference"


def test_op_coverage_table_matches_the_active_backend():
    coverage = gen_ref.load_coverage()
    assert sorted(coverage["ops"]) == info.contract_ops(), (
        "docs/op_coverage.json is stale: run `python docs/gen_ref.py --coverage`"
    )
    report = info.coverage()
    if report["backend"] not in coverage["backends"]:
        pytest.skip(f"backend {report['backend']!r} has no column in docs/op_coverage.json")
    column = sorted(op for op, have in coverage["ops"].items() if report["backend"] in have)
    assert column == report["implemented"], (
        f"docs/op_coverage.json's {report['backend']} column differs from its dispatch table: "
        "run `python docs/gen_ref.py --coverage`"
    )


def _doctest_targets():
    """Public ops and layers whose docstrings have examples (`>>>`)."""
    targets = []
    for namespace in [
        "ops.numpy",
        "ops.nn",
        "ops.linalg",
        "ops.math",
        "ops.core",
        "ops.image",
        "layers",
    ]:
        for name, obj in gen_ref.public_names(namespace):
            if ">>>" in (obj.__doc__ or ""):
                targets.append((gen_ref.public_path(namespace, name), obj))
    return targets


DOCTESTS = _doctest_targets()


def test_ops_and_layers_have_examples():
    assert len(DOCTESTS) >= 20, [name for name, _ in DOCTESTS]


@pytest.mark.skipif(
    unikeras.backend.backend() != "numpy", reason="docstring examples print NumPy-backend values"
)
@pytest.mark.parametrize("name,obj", DOCTESTS, ids=[name for name, _ in DOCTESTS])
def test_docstring_examples_run(name, obj):
    globs = {"keras": unikeras, "np": np}
    parser = doctest.DocTestParser()
    test = parser.get_doctest(obj.__doc__, globs, name, None, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed"
