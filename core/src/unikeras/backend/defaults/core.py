"""Default implementations of `keras.ops.core` control flow, as plain Python loops.

They serve eager backends (NumPy, PyTorch); a backend with compiled control flow
(`jax.lax.while_loop`, `tf.while_loop`, OpenVINO's `Loop`) implements the hooks itself.
"""

from unikeras.backend.common import eager_loops
from unikeras.backend.hookspec import hookimpl
from unikeras.backend.registry import table as ops

default = hookimpl(trylast=True)


@default
def switch(index, branches, *operands):
    return eager_loops.switch(ops.convert_to_numpy(index), branches, operands)


@default
def while_loop(cond, body, loop_vars, maximum_iterations=None):
    return eager_loops.while_loop(cond, body, loop_vars, maximum_iterations)


@default
def fori_loop(lower, upper, body_fun, init_val):
    return eager_loops.fori_loop(lower, upper, body_fun, init_val)
