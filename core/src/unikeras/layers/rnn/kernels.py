"""Functional recurrent loops: the generic `rnn` driver plus the LSTM and GRU recurrences.

Every loop runs through `ops.scan`, so JAX compiles it into `lax.scan` and TensorFlow (in a
graph) into one `tf.while_loop`. `lstm` and `gru` are the single entry points of the LSTM and
GRU layers: they first offer the whole recurrence to the backend's optional fused kernel
(hooks `lstm` and `gru`, e.g. `torch.lstm` or cuDNN), and otherwise project all timesteps
through the input kernel with one matmul before the loop.
"""

from unikeras import activations, ops
from unikeras.backend import registry
from unikeras.backend import tree


def _time_major(x):
    return ops.moveaxis(x, 1, 0)


def _select(keep, new, old):
    """`new` where `keep` (shape `(batch,)`) is true, else `old`, for every leaf."""

    def pick(n, o):
        k = ops.reshape(keep, (-1,) + (1,) * (len(n.shape) - 1))
        return ops.where(k, n, o)

    return tree.map_structure(pick, new, old)


def rnn(
    step_function,
    inputs,
    initial_states,
    initial_output,
    mask=None,
    go_backwards=False,
    unroll=False,
    zero_output_for_mask=False,
    return_sequences=True,
):
    """Iterates `step_function` over the time axis (axis 1) of `inputs`.

    Args:
        step_function: `(inputs_t, states) -> (output_t, new_states)`; `inputs_t` has the
            structure of `inputs` without the time axis, `new_states` that of `states`.
        inputs: Tensor (or nested tensors) of shape `(batch, time, ...)`.
        initial_states: Nested structure of `(batch, ...)` state tensors.
        initial_output: Zeros shaped like one step's output (the output "before" step 0,
            carried through masked steps).
        mask: Optional boolean `(batch, time)`; at masked steps the states are carried over
            unchanged and the output is the previous one (or zeros with
            `zero_output_for_mask`).
        go_backwards: Iterate from the last timestep to the first; the returned sequence is
            then in processing order (reversed time), as in Keras.
        unroll: Unroll the loop fully (hint passed to `ops.scan`).
        zero_output_for_mask: Output zeros instead of the previous output at masked steps.
        return_sequences: Whether to return every step's output.

    Returns:
        `(last_output, outputs, final_states)`; `outputs` is `(batch, time, ...)` or `None`
        when `return_sequences` is False.
    """
    xs = tree.map_structure(_time_major, inputs)
    if mask is not None:
        xs = (xs, _time_major(mask))

    def step(carry, x):
        states, previous = carry
        x_t, keep = (x, None) if mask is None else x
        output, new_states = step_function(x_t, states)
        new_states = tree.pack_sequence_as(states, tree.flatten(new_states))
        if keep is not None:
            new_states = _select(keep, new_states, states)
            fallback = ops.zeros_like(output) if zero_output_for_mask else previous
            output = _select(keep, output, fallback)
        return (new_states, output), (output if return_sequences else None)

    (states, last_output), outputs = ops.scan(
        step,
        (initial_states, initial_output),
        xs,
        reverse=go_backwards,
        unroll=True if unroll else 1,
    )
    if return_sequences:
        outputs = ops.moveaxis(outputs, 0, 1)
        if go_backwards:
            outputs = ops.flip(outputs, axis=1)
    return last_output, outputs, states


def lstm_gates(z, c_tm1, activation, recurrent_activation):
    """One LSTM update from the pre-activations `z` (gates i, f, c, o) and the cell state.

    Returns `(h, c)`.
    """
    z_i, z_f, z_c, z_o = ops.split(z, 4, axis=-1)
    c = recurrent_activation(z_f) * c_tm1 + recurrent_activation(z_i) * activation(z_c)
    h = recurrent_activation(z_o) * activation(c)
    return h, c


def gru_gates(
    x_proj,
    h_tm1,
    recurrent_kernel,
    recurrent_bias,
    reset_after,
    activation,
    recurrent_activation,
    recurrent_input=None,
):
    """One GRU update (gates z, r, h) from the projected input `x_proj` (bias included).

    `recurrent_bias` is added to the recurrent projection (only used with `reset_after`);
    `recurrent_input` (default `h_tm1`) is what multiplies the recurrent kernel, e.g. `h_tm1`
    after recurrent dropout. Returns the new state `h`.
    """
    x_z, x_r, x_h = ops.split(x_proj, 3, axis=-1)
    units = h_tm1.shape[-1]
    h_in = h_tm1 if recurrent_input is None else recurrent_input
    if reset_after:
        recurrent = ops.matmul(h_in, recurrent_kernel)
        if recurrent_bias is not None:
            recurrent = recurrent + recurrent_bias
        r_z, r_r, r_h = ops.split(recurrent, 3, axis=-1)
        z = recurrent_activation(x_z + r_z)
        r = recurrent_activation(x_r + r_r)
        hh = activation(x_h + r * r_h)
    else:
        r_z, r_r = ops.split(ops.matmul(h_in, recurrent_kernel[:, : 2 * units]), 2, axis=-1)
        z = recurrent_activation(x_z + r_z)
        r = recurrent_activation(x_r + r_r)
        hh = activation(x_h + ops.matmul(r * h_in, recurrent_kernel[:, 2 * units :]))
    return z * h_tm1 + (1 - z) * hh


def _fused(hook, **arguments):
    """The backend's fused kernel result for `arguments` (the hook's keyword arguments, named
    one by one by the caller), or `None` (no such kernel, or it does not compute these
    arguments' semantics)."""
    implementation = registry.optional_hook(hook)
    if implementation is None:
        return None
    return implementation(**arguments)


def _project(inputs, kernel, bias):
    projected = ops.matmul(inputs, kernel)
    return projected if bias is None else projected + bias


def lstm(
    inputs,
    initial_state,
    kernel,
    recurrent_kernel,
    bias=None,
    mask=None,
    activation="tanh",
    recurrent_activation="sigmoid",
    go_backwards=False,
    return_sequences=False,
    unroll=False,
    zero_output_for_mask=False,
    use_fused=True,
):
    """Runs an LSTM over `inputs` of shape `(batch, time, features)`.

    Args:
        inputs: Input sequences.
        initial_state: `[h, c]`, each `(batch, units)`.
        kernel: `(features, 4 * units)`, gates ordered i, f, c, o.
        recurrent_kernel: `(units, 4 * units)`.
        bias: Optional `(4 * units,)`.
        mask, go_backwards, return_sequences, unroll, zero_output_for_mask: as in `rnn`.
        activation, recurrent_activation: Activations (callables or names).
        use_fused: Offer the recurrence to the backend's fused kernel (hook `lstm`) first;
            `False` always runs the generic loop.

    Returns:
        `(last_output, outputs, [h, c])`.
    """
    activation = activations.get(activation)
    recurrent_activation = activations.get(recurrent_activation)
    if use_fused:
        result = _fused(
            "lstm",
            inputs=inputs,
            initial_state=initial_state,
            kernel=kernel,
            recurrent_kernel=recurrent_kernel,
            bias=bias,
            mask=mask,
            activation=activation,
            recurrent_activation=recurrent_activation,
            go_backwards=go_backwards,
            return_sequences=return_sequences,
            unroll=unroll,
            zero_output_for_mask=zero_output_for_mask,
        )
        if result is not None:
            return result

    def step(z_x, states):
        h, c = lstm_gates(
            z_x + ops.matmul(states[0], recurrent_kernel),
            states[1],
            activation,
            recurrent_activation,
        )
        return h, [h, c]

    return rnn(
        step,
        _project(inputs, kernel, bias),
        list(initial_state),
        ops.zeros_like(initial_state[0]),
        mask=mask,
        go_backwards=go_backwards,
        unroll=unroll,
        zero_output_for_mask=zero_output_for_mask,
        return_sequences=return_sequences,
    )


def gru(
    inputs,
    initial_state,
    kernel,
    recurrent_kernel,
    bias=None,
    mask=None,
    activation="tanh",
    recurrent_activation="sigmoid",
    reset_after=True,
    go_backwards=False,
    return_sequences=False,
    unroll=False,
    zero_output_for_mask=False,
    use_fused=True,
):
    """Runs a GRU over `inputs` of shape `(batch, time, features)`.

    Args:
        inputs: Input sequences.
        initial_state: `[h]`, `(batch, units)`.
        kernel: `(features, 3 * units)`, gates ordered z, r, h.
        recurrent_kernel: `(units, 3 * units)`.
        bias: Optional; `(2, 3 * units)` (input and recurrent biases) with `reset_after`,
            else `(3 * units,)`.
        reset_after: Apply the reset gate after the recurrent matmul (Keras 3 default).
        Other arguments: as in `lstm` (the fused hook is `gru`).

    Returns:
        `(last_output, outputs, [h])`.
    """
    activation = activations.get(activation)
    recurrent_activation = activations.get(recurrent_activation)
    if use_fused:
        result = _fused(
            "gru",
            inputs=inputs,
            initial_state=initial_state,
            kernel=kernel,
            recurrent_kernel=recurrent_kernel,
            bias=bias,
            mask=mask,
            activation=activation,
            recurrent_activation=recurrent_activation,
            reset_after=reset_after,
            go_backwards=go_backwards,
            return_sequences=return_sequences,
            unroll=unroll,
            zero_output_for_mask=zero_output_for_mask,
        )
        if result is not None:
            return result
    input_bias, recurrent_bias = bias, None
    if bias is not None and reset_after:
        input_bias, recurrent_bias = bias[0], bias[1]

    def step(x_proj, states):
        h = gru_gates(
            x_proj,
            states[0],
            recurrent_kernel,
            recurrent_bias,
            reset_after,
            activation,
            recurrent_activation,
        )
        return h, [h]

    return rnn(
        step,
        _project(inputs, kernel, input_bias),
        list(initial_state),
        ops.zeros_like(initial_state[0]),
        mask=mask,
        go_backwards=go_backwards,
        unroll=unroll,
        zero_output_for_mask=zero_output_for_mask,
        return_sequences=return_sequences,
    )
