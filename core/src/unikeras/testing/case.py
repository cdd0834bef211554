"""Conformance cases: an op's arguments plus a tolerance, built from NumPy values."""

import zlib

import numpy as np


class Case:
    """One call of an op in the conformance kit.

    NumPy arrays among the arguments (also inside lists/tuples/dicts) are converted to the
    tested backend's tensors; other values (Python scalars, shapes, axes, dtype names) are
    passed as they are. The result is compared with the numpy backend's result on the same
    arguments: same dtype, same shape, values within `rtol`/`atol`.

    Args:
        *args: Positional arguments of the op.
        rtol, atol: Tolerances for float results.
        int_atol: Tolerance for integer results that the op computes through floats (for
            example `resize` of `uint8` images), applied only on a backend without exact
            float64 (JAX without x64, as Keras 3 on JAX; OpenVINO), whose float32
            intermediates may round one unit away from the float64 reference. Default 0.
        id: Short label shown in test ids.
        convert: Whether to convert array arguments to backend tensors first (set `False`
            to test that an op accepts NumPy arrays and Python lists directly).
        call_result: For ops that return a function (`custom_gradient`): a tuple of
            arguments to call that function with; the call's results are compared.
        **kwargs: Keyword arguments of the op.
    """

    def __init__(
        self,
        *args,
        rtol=1e-5,
        atol=1e-6,
        id=None,
        convert=True,
        call_result=None,
        int_atol=0,
        **kwargs,
    ):
        self.args = args
        self.kwargs = kwargs
        self.rtol = rtol
        self.atol = atol
        self.int_atol = int_atol
        self.id = id
        self.convert = convert
        self.call_result = call_result

    def __repr__(self):
        return f"Case({self.id or ''})"


def rand(shape, dtype="float32", seed=0, low=-1.0, high=1.0):
    """Deterministic random test data of `shape` and `dtype` (ints in [low, high], bools)."""
    shape = tuple(int(d) for d in np.atleast_1d(shape)) if shape != () else ()
    rng = np.random.default_rng(zlib.crc32(repr((shape, dtype, seed)).encode()))
    if dtype == "bool":
        return rng.random(shape) > 0.5
    if "int" in dtype:
        return rng.integers(int(low), int(high) + 1, size=shape).astype(dtype)
    values = rng.uniform(low, high, size=shape)
    if dtype == "bfloat16":
        import ml_dtypes

        return values.astype(ml_dtypes.bfloat16)
    return values.astype(dtype)
