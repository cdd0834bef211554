"""The conformance kit's tests: every op case on the active backend vs. the numpy reference.

Run it with `pytest --pyargs unikeras.testing.conformance` or `pytest --unikeras-conformance`
(see the top-level module `unikeras_pytest_plugin`), with the backend under test selected as usual
(`UNIKERAS_BACKEND=mybackend`). Each case of `unikeras.testing.cases.<namespace>.CASES` calls
the backend's implementation (the dispatch table entry) and the numpy backend's
implementation of the same hook on the same arguments, and requires the same structure,
shapes and dtypes (standardized names), and values within the case's tolerances (integers and
booleans exactly). Random ops are compared on shape and dtype only: engines draw different
numbers from the same seed. Ops the backend does not implement are skipped and counted as
missing in the summary printed at the end of the session.
"""

import importlib
import pkgutil

import numpy as np
import pytest

from unikeras.backend import defaults
from unikeras.backend import numpy as reference_backend
from unikeras.backend import registry
from unikeras.backend.registry import spec_functions
from unikeras.backend.dtypes import standardize_dtype
from unikeras.backend.hookspec import FAST_ENTRY_ATTRIBUTE, PROJECT_NAME
from unikeras.info import contract_ops
from unikeras.testing import cases as cases_package
from unikeras.backend import tree

#: Case namespaces whose values differ between engines by design.
SHAPE_AND_DTYPE_ONLY = ("random",)


def _case_modules():
    return {
        info.name: importlib.import_module(f"{cases_package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(cases_package.__path__)
    }


def all_cases():
    """Returns a `pytest.param(namespace, op name, case)` for every case of the kit."""
    return [
        pytest.param(namespace, op_name, case, id=f"{op_name}-{case.id or index}")
        for namespace, module in sorted(_case_modules().items())
        for op_name, op_cases in sorted(module.CASES.items())
        for index, case in enumerate(op_cases)
    ]


def _on_reference_backend(fn):
    """`fn` (a core default, which calls the active backend's ops) run on the numpy backend."""

    def run(*args, **kwargs):
        with registry.graph_scope(registry.BUILTIN):
            return fn(*args, **kwargs)

    return run


def _reference_impls():
    """The numpy backend's implementation of each op: its own, else the core's default."""
    impls = {}
    for module in reference_backend.unikeras_plugins:
        for attr, fn in vars(module).items():
            if getattr(fn, PROJECT_NAME + "_impl", None) is not None:
                impls[attr] = fn
    for module in defaults.unikeras_plugins:
        for attr, fn in vars(module).items():
            if getattr(fn, PROJECT_NAME + "_impl", None) is not None and attr not in impls:
                impls[attr] = _on_reference_backend(fn)
    return impls


REFERENCE = _reference_impls()
CASES = all_cases()


def _to_backend(value):
    if isinstance(value, np.ndarray):
        return registry.table.convert_to_tensor(value)
    return value


def _dtype_name(x):
    dtype = getattr(x, "dtype", None)
    return standardize_dtype(np.asarray(x).dtype if dtype is None else dtype)


def _as_comparable(x):
    # bfloat16 has no NumPy arithmetic of its own: compare its values as float32.
    return x.astype(np.float32) if _dtype_name(x) == "bfloat16" else x


def _compare(got, want, case, values=True):
    got_leaves, want_leaves = tree.flatten(got), tree.flatten(want)
    assert len(got_leaves) == len(want_leaves), (
        f"returned {len(got_leaves)} values, the reference {len(want_leaves)}"
    )
    for i, (g, w) in enumerate(zip(got_leaves, want_leaves)):
        where = f"output {i}: " if len(want_leaves) > 1 else ""
        if not isinstance(w, (np.ndarray, np.generic)):  # Python values such as shapes
            assert g == w, f"{where}got {g!r}, expected {w!r}"
            continue
        assert _dtype_name(g) == _dtype_name(w), (
            f"{where}dtype {_dtype_name(g)}, expected {_dtype_name(w)}"
        )
        g = np.asarray(registry.table.convert_to_numpy(g))
        assert g.shape == w.shape, f"{where}shape {g.shape}, expected {w.shape}"
        if not values:
            continue
        g, w = _as_comparable(g), _as_comparable(w)
        if np.issubdtype(w.dtype, np.inexact):
            np.testing.assert_allclose(g, w, rtol=case.rtol, atol=case.atol, err_msg=where)
        elif getattr(case, "int_atol", 0) and not _exact_float64():
            np.testing.assert_allclose(
                g.astype(np.int64), w.astype(np.int64), rtol=0, atol=case.int_atol, err_msg=where
            )
        else:
            np.testing.assert_array_equal(g, w, err_msg=where)


def _exact_float64():
    """Whether the backend computes float64 exactly (declares it, at float64 precision)."""
    info = registry.table.backend_info()
    return (
        "float64" in info.get("dtypes", ["float64"])
        and info.get("float64_precision", "float64") == "float64"
    )


def _array_dtypes(*structures):
    return {
        _dtype_name(leaf)
        for leaf in tree.flatten(structures)
        if isinstance(leaf, (np.ndarray, np.generic))
    }


def _is_core_default(implementation):
    """Whether the dispatch table serves this op with a core default implementation."""
    return getattr(implementation, "__module__", "").startswith("unikeras.backend.defaults")


def _skip_undeclared(case, want):
    """Skips a case using dtypes the backend declares it lacks (see `backend_info`)."""
    info = registry.table.backend_info()
    used = _array_dtypes(case.args, case.kwargs, case.call_result, want)
    undeclared = sorted(used - set(info.get("dtypes", used)))
    if undeclared:
        pytest.skip(
            f"{registry.backend()} declares no {', '.join(undeclared)} tensors "
            "(backend_info dtypes)"
        )
    if "float64" in used and info.get("float64_precision", "float64") != "float64":
        pytest.skip(
            f"{registry.backend()} computes float64 at "
            f"{info['float64_precision']} precision (backend_info float64_precision)"
        )


@pytest.mark.unikeras_conformance
@pytest.mark.parametrize("namespace, op_name, case", CASES)
def test_op_case(namespace, op_name, case):
    implementation = getattr(registry.table, op_name, None)
    if implementation is None:
        pytest.fail(f"{op_name!r} has cases but is not an op of the contract")
    if getattr(implementation, "unikeras_missing", False):
        pytest.skip(f"not implemented by {registry.backend()}")
    if op_name not in REFERENCE:
        pytest.fail(f"{op_name!r} has no reference implementation in the numpy backend")
    want = REFERENCE[op_name](*case.args, **case.kwargs)
    _skip_undeclared(case, want)
    args, kwargs = case.args, case.kwargs
    if case.convert:
        args, kwargs = tree.map_structure(_to_backend, (args, kwargs))
    try:
        got = implementation(*args, **kwargs)
        if case.call_result is not None:
            want = want(*case.call_result)
            got = got(*tree.map_structure(_to_backend, case.call_result))
    except NotImplementedError as e:
        # A core default (an op written with other ops) on a backend that lacks one of
        # those ops is as good as missing; a backend's own kernel raising it still fails.
        if not _is_core_default(implementation):
            raise
        pytest.skip(f"the core's default {op_name} needs an op {registry.backend()} lacks: {e}")
    _compare(got, want, case, values=namespace not in SHAPE_AND_DTYPE_ONLY)


def test_every_contract_op_has_a_case():
    covered = {p.values[1] for p in CASES}
    missing = [op for op in contract_ops() if op not in covered]
    assert not missing, (
        f"{len(missing)} op(s) of the contract have no case in unikeras.testing.cases, so no "
        f"backend is checked on them: {', '.join(missing)}"
    )


def test_cases_name_contract_ops():
    unknown = sorted({p.values[1] for p in CASES} - set(contract_ops()))
    assert not unknown, f"cases for ops that are not in the contract: {', '.join(unknown)}"


def _fast_entries():
    """`{op name: FastEntry}` of the active backend's implementations that declare one."""
    entries = {}
    for name in spec_functions():
        entry = getattr(getattr(registry.table, name, None), FAST_ENTRY_ATTRIBUTE, None)
        if entry is not None:
            entries[name] = entry
    return entries


@pytest.mark.unikeras_conformance
@pytest.mark.parametrize("op_name", sorted(_fast_entries()) or [None])
def test_fast_entry_agrees_with_its_implementation(op_name):
    """A declared fast entry (`unikeras.backend.api.fast_entry`) gives what the op's
    implementation gives for two tensors of every dtype it serves."""
    if op_name is None:
        pytest.skip(f"{registry.backend()} declares no fast entry")
    entry = _fast_entries()[op_name]
    implementation = getattr(registry.table, op_name)
    shape = (2, 2) if op_name in ("matmul", "dot", "inner", "outer", "kron", "solve") else (3,)
    served = []
    for dtype in registry.table.backend_info().get("dtypes", []):
        if dtype == "string":
            continue
        values = np.resize(np.array([3, 1, 2, 1]), shape)
        try:
            x1 = registry.table.convert_to_tensor(values, dtype)
            x2 = registry.table.convert_to_tensor(values[::-1].copy(), dtype)
        except Exception:  # a dtype the engine cannot make tensors of here
            continue
        if x1.__class__ is not entry.tensor_type or x1.dtype not in entry.dtypes:
            continue
        served.append(dtype)
        got, want = entry.function(x1, x2), implementation(x1, x2)
        assert _dtype_name(got) == _dtype_name(want), (
            f"{op_name} fast entry on {dtype}: dtype {_dtype_name(got)}, the implementation "
            f"gives {_dtype_name(want)}"
        )
        got = np.asarray(registry.table.convert_to_numpy(got))
        want = np.asarray(registry.table.convert_to_numpy(want))
        np.testing.assert_array_equal(_as_comparable(got), _as_comparable(want), err_msg=dtype)
    assert served, f"{op_name}: the fast entry serves none of the backend's tensor dtypes"
