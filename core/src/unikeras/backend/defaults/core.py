"""Default implementations of `keras.ops.core` ops written with the backend's conversion.

`cast` and `shape` go through `convert_to_tensor`; the control flow (`switch`,
`while_loop`, `fori_loop`) runs as plain Python loops, which serves eager backends (NumPy,
PyTorch): a backend with compiled control flow (`jax.lax.while_loop`, `tf.while_loop`,
OpenVINO's `Loop`) implements those hooks itself. `custom_gradient` runs the forward
function alone, which serves the inference-only backends (NumPy, OpenVINO).
"""

from unikeras.backend.common import eager_loops
from unikeras.backend.hookspec import hookimpl
from unikeras.backend.registry import table as ops

default = hookimpl(trylast=True)


@default
def cast(x, dtype):
    return ops.convert_to_tensor(x, dtype=dtype)


@default
def shape(x):
    return tuple(ops.convert_to_tensor(x).shape)


@default
def switch(index, branches, *operands):
    return eager_loops.switch(ops.convert_to_numpy(index), branches, operands)


@default
def while_loop(cond, body, loop_vars, maximum_iterations=None):
    return eager_loops.while_loop(cond, body, loop_vars, maximum_iterations)


@default
def fori_loop(lower, upper, body_fun, init_val):
    return eager_loops.fori_loop(lower, upper, body_fun, init_val)


@default
def custom_gradient(f):
    def forward(*args, **kwargs):
        output, _ = f(*args, **kwargs)
        return output

    return forward
