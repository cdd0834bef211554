"""`RNN`: runs any recurrent cell over the time axis of its input."""

import numbers

from unikeras import ops
from unikeras.layers.layer import Layer
from unikeras.layers.rnn import kernels
from unikeras.layers.rnn.base_cell import DropoutRNNCell
from unikeras.saving import serialization
from unikeras.backend import tree
from unikeras.backend.name_scope import name_scope


def _as_list(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _is_size(size):
    return isinstance(size, numbers.Integral) and not isinstance(size, bool)


def _is_shape(shape):
    return isinstance(shape, (tuple, list)) and all(d is None or isinstance(d, int) for d in shape)


def _first_shape(shape):
    """The first shape of a (possibly nested) structure of shapes."""
    while not _is_shape(shape):
        shape = next(iter(shape.values())) if isinstance(shape, dict) else shape[0]
    return shape


def _step_shape(shape):
    """The shape(s) of one timestep of `shape` `(batch, time, ...)` (or nested shapes)."""
    if _is_shape(shape):
        return (shape[0],) + tuple(shape[2:])
    if isinstance(shape, dict):
        return {k: _step_shape(v) for k, v in shape.items()}
    return [_step_shape(s) for s in shape]


class RNN(Layer):
    """Base class of recurrent layers: iterates `cell` over axis 1 of `(batch, time, ...)`.

    Args:
        cell: A cell (any layer with `call(inputs, states)` returning `(output, new_states)`
            and a `state_size` attribute, optionally `output_size` and
            `get_initial_state(batch_size)`), or a list of cells (stacked).
        return_sequences: Return the full output sequence instead of the last output.
        return_state: Also return the final states (flattened) after the output.
        go_backwards: Process the sequence backwards; the returned sequence is reversed.
        stateful: Keep the final states of a batch as the initial states of the next
            (requires a fixed batch size); `reset_states()` zeroes them.
        unroll: Unroll the time loop (faster for short sequences, more memory).
        zero_output_for_mask: Output zeros instead of the previous output at masked steps.

    Call arguments:
        - `sequences`: `(batch, time, ...)`.
        - `initial_state`: Optional list of initial state tensors.
        - `mask`: Optional boolean `(batch, time)`; masked steps carry the states over.
        - `training`: Enables the cell's dropout.

    Examples:
        >>> layer = keras.layers.RNN(keras.layers.SimpleRNNCell(4), return_sequences=True)
        >>> layer(np.zeros((2, 5, 3), "float32")).shape
        (2, 5, 4)
        >>> cells = [keras.layers.SimpleRNNCell(4), keras.layers.SimpleRNNCell(2)]
        >>> outputs = keras.layers.RNN(cells, return_state=True)(np.zeros((2, 5, 3), "float32"))
        >>> [tuple(t.shape) for t in outputs]  # output, then each cell's final state
        [(2, 2), (2, 4), (2, 2)]
    """

    def __init__(
        self,
        cell,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        zero_output_for_mask=False,
        **kwargs,
    ):
        if isinstance(cell, (list, tuple)):
            from unikeras.layers.rnn.stacked_rnn_cells import StackedRNNCells

            cell = StackedRNNCells(cell)
        if "call" not in dir(cell) or not hasattr(cell, "state_size"):
            raise ValueError(
                "Argument `cell` should have a `call` method and a `state_size` "
                f"attribute. Received: cell={cell!r}"
            )
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences = return_sequences
        self.return_state = return_state
        self.go_backwards = go_backwards
        self.stateful = stateful
        self.unroll = unroll
        self.zero_output_for_mask = zero_output_for_mask
        self.supports_masking = True
        self.states = None

    # --- sizes ------------------------------------------------------------------------
    @property
    def state_size(self):
        """The cell's state size."""
        return self.cell.state_size

    def _state_structure(self):
        return _as_list(self.cell.state_size)

    def _output_size(self):
        size = getattr(self.cell, "output_size", None)
        return size if size is not None else tree.flatten(self._state_structure())[0]

    def _check_cell_sizes(self):
        """Refuses a cell whose `state_size` or `output_size` is not made of ints: Keras 3's
        RNN takes one int per state (states and outputs of shape `(batch, size)`), not
        multi-dimensional shapes such as `TensorShape([units_2, units_3])`."""
        cell = self.cell
        checks = [("state_size", cell.state_size, tree.flatten(self._state_structure()))]
        output_size = getattr(cell, "output_size", None)
        if output_size is not None:
            checks.append(("output_size", output_size, [output_size]))
        for attribute, declared, sizes in checks:
            wrong = [s for s in sizes if not _is_size(s)]
            if sizes and not wrong:
                continue
            bad = wrong[0] if wrong else declared
            what = "int" if attribute == "output_size" else "int or a list of ints"
            cell_name = getattr(cell, "name", type(cell).__name__)
            raise ValueError(
                f'Layer "{self.name}" ({type(self).__name__}): the cell "{cell_name}" '
                f"({type(cell).__name__}) declares {attribute}={declared!r}; it must be an "
                f"{what}, the size of each state (states and outputs have the shape "
                "`(batch, size)`, as in Keras 3: multi-dimensional state shapes such as a "
                f"`TensorShape` are not supported). Received the entry {bad!r} of type "
                f"{type(bad).__name__}."
            )

    # --- building ---------------------------------------------------------------------
    def build(self, sequences_shape, initial_state_shape=None):
        self._check_cell_sizes()
        if not self.cell.built:
            self._build_cell(_step_shape(sequences_shape))
        if self.stateful:
            batch = sequences_shape[0]
            if batch is None:
                raise ValueError(
                    f'Layer "{self.name}": a stateful RNN needs a fixed batch size; pass '
                    "`batch_size` to `keras.Input` or `batch_input_shape` to the first layer. "
                    f"Received input shape {sequences_shape}"
                )
            self.states = tree.map_structure(
                lambda size: self.add_weight(
                    shape=(batch, size), initializer="zeros", trainable=False, name="rnn_state"
                ),
                self._state_structure(),
            )
        self.built = True

    def _build_cell(self, step_shape):
        with name_scope(self.cell.name):
            self.cell.build(step_shape)
        self.cell.built = True

    def get_initial_state(self, batch_size):
        """Zero states for `batch_size` sequences, in the cell's state structure."""
        make = getattr(self.cell, "get_initial_state", None)
        if make is not None:
            return _as_list(make(batch_size=batch_size))
        return tree.map_structure(
            lambda size: ops.zeros((batch_size, size), dtype=self.compute_dtype),
            self._state_structure(),
        )

    def _initial_state_like(self, first):
        """Zero states for a batch whose size is unknown while tracing (e.g. OpenVINO with
        a dynamic batch): one sequence's states broadcast over the batch of `first`."""
        ndim = len(first.shape)
        batch = ops.sum(ops.zeros_like(first), axis=tuple(range(1, ndim)))

        def widen(state):
            shape = (-1,) + (1,) * (len(state.shape) - 1)
            return state + ops.reshape(ops.cast(batch, state.dtype), shape)

        return tree.map_structure(widen, self.get_initial_state(1))

    def reset_states(self):
        """Zeroes the kept states of a stateful layer."""
        for state in tree.flatten(self.states or []):
            state.assign(ops.zeros_like(state.value))

    reset_state = reset_states

    # --- calling ----------------------------------------------------------------------
    def call(self, sequences, initial_state=None, mask=None, training=False):
        first = tree.flatten(sequences)[0]
        batch_size = ops.shape(first)[0]
        if initial_state is not None:
            states = tree.pack_sequence_as(self._state_structure(), tree.flatten(initial_state))
        elif self.stateful:
            states = tree.map_structure(lambda v: v.value, self.states)
        elif batch_size is None:
            states = self._initial_state_like(first)
        else:
            states = self.get_initial_state(batch_size)
        if mask is not None:
            mask = ops.cast(mask, "bool")
        last_output, outputs, states = self.inner_loop(sequences, states, mask, training)
        if self.stateful:
            for variable, value in zip(tree.flatten(self.states), tree.flatten(states)):
                variable.assign(value)
        output = outputs if self.return_sequences else last_output
        if self.return_state:
            return [output] + tree.flatten(states)
        return output

    def inner_loop(self, sequences, initial_state, mask, training=False):
        """Runs the cell over time; returns `(last_output, outputs, final_states)`."""
        cell = self.cell
        dropout = training and isinstance(cell, DropoutRNNCell)
        if dropout:
            cell.prepare_dropout_masks(
                tree.map_structure(lambda x: x[:, 0], sequences), tree.flatten(initial_state)[0]
            )
        cell_kwargs = {"training": training} if training is not None else {}

        def step(inputs, states):
            output, new_states = cell(inputs, states, **cell_kwargs)
            return output, _as_list(new_states)

        batch_size = ops.shape(tree.flatten(sequences)[0])[0]
        first_state = tree.flatten(initial_state)[0]
        initial_output = ops.zeros((batch_size, self._output_size()), dtype=first_state.dtype)
        try:
            return kernels.rnn(
                step,
                sequences,
                initial_state,
                initial_output,
                mask=mask,
                go_backwards=self.go_backwards,
                unroll=self.unroll,
                zero_output_for_mask=self.zero_output_for_mask,
                return_sequences=self.return_sequences,
            )
        finally:
            if dropout:
                cell.reset_dropout_mask()
                cell.reset_recurrent_dropout_mask()

    # --- shapes, masks, config --------------------------------------------------------
    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        self._check_cell_sizes()
        batch, time = _first_shape(sequences_shape)[:2]
        size = self._output_size()
        output = (batch, time, size) if self.return_sequences else (batch, size)
        if self.return_state:
            return [output] + [(batch, s) for s in tree.flatten(self._state_structure())]
        return output

    def compute_mask(self, inputs, mask=None):
        if isinstance(mask, (list, tuple)):
            mask = mask[0]
        output_mask = mask if self.return_sequences else None
        if self.return_state:
            return [output_mask] + [None] * len(tree.flatten(self._state_structure()))
        return output_mask

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "return_sequences": self.return_sequences,
                "return_state": self.return_state,
                "go_backwards": self.go_backwards,
                "stateful": self.stateful,
                "unroll": self.unroll,
                "zero_output_for_mask": self.zero_output_for_mask,
                "cell": serialization.serialize_keras_object(self.cell),
            }
        )
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        if "cell" in config:
            config["cell"] = serialization._deserialize_object(
                config["cell"], custom_objects=custom_objects
            )
        return super().from_config(config)
