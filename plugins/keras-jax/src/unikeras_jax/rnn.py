"""Lean recurrences: the LSTM and GRU layers run one `lax.scan` whose body does the input
and recurrent matmuls of its step and the gates, when their arguments fit the fused
(cuDNN) semantics. On XLA's CPU backend this is about twice as fast, forward and backward,
as projecting the whole sequence before the loop (the generic path), whose backward pass
must write the projection's gradient for every step."""

import jax
import jax.numpy as jnp
from jax import lax

from unikeras.backend.common.recurrent import fused_semantics, same_dtype
from unikeras.backend.api import hookimpl
from unikeras_jax.convert import convert_to_tensor


def _scan(step, inputs, initial_state, go_backwards, return_sequences):
    """Runs `step(states, x_t) -> states` (the first state is the output) over the time axis
    of `inputs`; returns `(last_output, outputs or None, final states)`."""
    xs = jnp.swapaxes(inputs, 0, 1)
    if go_backwards:
        xs = xs[::-1]

    def body(states, x_t):
        states = step(states, x_t)
        return states, (states[0] if return_sequences else None)

    states, outputs = lax.scan(body, tuple(initial_state), xs)
    if return_sequences:
        outputs = jnp.swapaxes(outputs, 0, 1)
    return states[0], outputs, list(states)


def _tensors(inputs, initial_state, kernel, recurrent_kernel, bias):
    """The arguments as JAX arrays, or `None` when their dtypes differ."""
    converted = [convert_to_tensor(t) for t in (inputs, *initial_state, kernel, recurrent_kernel)]
    converted.append(None if bias is None else convert_to_tensor(bias))
    return converted if same_dtype(*converted) else None


def _add(x, bias):
    return x if bias is None else x + bias


@hookimpl
def lstm(
    inputs,
    initial_state,
    kernel,
    recurrent_kernel,
    bias,
    mask,
    activation,
    recurrent_activation,
    go_backwards,
    return_sequences,
    unroll,
    zero_output_for_mask,
):
    if not fused_semantics(activation, recurrent_activation, mask, unroll):
        return None
    tensors = _tensors(inputs, initial_state, kernel, recurrent_kernel, bias)
    if tensors is None:
        return None
    x, h0, c0, kernel, recurrent_kernel, bias = tensors

    def step(states, x_t):
        h, c = states
        i, f, g, o = jnp.split(_add(x_t @ kernel + h @ recurrent_kernel, bias), 4, axis=-1)
        c = jax.nn.sigmoid(f) * c + jax.nn.sigmoid(i) * jnp.tanh(g)
        return jax.nn.sigmoid(o) * jnp.tanh(c), c

    return _scan(step, x, (h0, c0), go_backwards, return_sequences)


@hookimpl
def gru(
    inputs,
    initial_state,
    kernel,
    recurrent_kernel,
    bias,
    mask,
    activation,
    recurrent_activation,
    reset_after,
    go_backwards,
    return_sequences,
    unroll,
    zero_output_for_mask,
):
    if not fused_semantics(activation, recurrent_activation, mask, unroll, reset_after):
        return None
    tensors = _tensors(inputs, initial_state, kernel, recurrent_kernel, bias)
    if tensors is None:
        return None
    x, h0, kernel, recurrent_kernel, bias = tensors
    input_bias, recurrent_bias = (None, None) if bias is None else (bias[0], bias[1])

    def step(states, x_t):
        h = states[0]
        x_z, x_r, x_h = jnp.split(_add(x_t @ kernel, input_bias), 3, axis=-1)
        r_z, r_r, r_h = jnp.split(_add(h @ recurrent_kernel, recurrent_bias), 3, axis=-1)
        z = jax.nn.sigmoid(x_z + r_z)
        hh = jnp.tanh(x_h + jax.nn.sigmoid(x_r + r_r) * r_h)
        return (z * h + (1 - z) * hh,)

    return _scan(step, x, (h0,), go_backwards, return_sequences)
