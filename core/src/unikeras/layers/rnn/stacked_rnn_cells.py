"""`StackedRNNCells`: several cells run one after the other within each timestep."""

from unikeras.backend.name_scope import name_scope
from unikeras.layers.layer import Layer
from unikeras.saving import serialization
from unikeras.backend import tree
from unikeras import ops


def _output_size(cell):
    size = getattr(cell, "output_size", None)
    return size if size is not None else tree.flatten(cell.state_size)[0]


class StackedRNNCells(Layer):
    """Wraps a list of cells so that they behave as one cell: each cell's output is the
    next cell's input; the states are the list of each cell's states.

    Args:
        cells: List of cells.

    Examples:
        >>> cells = keras.layers.StackedRNNCells(
        ...     [keras.layers.LSTMCell(4), keras.layers.LSTMCell(2)]
        ... )
        >>> keras.layers.RNN(cells)(np.zeros((2, 5, 3), "float32")).shape  # the last cell's output
        (2, 2)
    """

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        for cell in cells:
            if "call" not in dir(cell) or not hasattr(cell, "state_size"):
                raise ValueError(
                    "All cells must have a `call` method and a `state_size` "
                    f"attribute. Received cells={cells!r}"
                )
        self.cells = list(cells)

    @property
    def state_size(self):
        """The state size of each cell, in order."""
        return [cell.state_size for cell in self.cells]

    @property
    def output_size(self):
        """The output size of the last cell."""
        return _output_size(self.cells[-1])

    def get_initial_state(self, batch_size=None):
        """Each cell's initial states (zeros when a cell has no `get_initial_state`)."""
        states = []
        for cell in self.cells:
            make = getattr(cell, "get_initial_state", None)
            if make is not None:
                states.append(make(batch_size=batch_size))
            else:
                sizes = (
                    cell.state_size
                    if isinstance(cell.state_size, (list, tuple))
                    else [cell.state_size]
                )
                states.append([ops.zeros((batch_size, s), dtype=self.compute_dtype) for s in sizes])
        return states

    def build(self, input_shape):
        shape = input_shape
        for cell in self.cells:
            if not cell.built:
                with name_scope(cell.name):
                    cell.build(shape)
                cell.built = True
            shape = (shape[0], _output_size(cell))
        self.built = True

    def call(self, inputs, states, training=False):
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            is_list = isinstance(cell_states, (list, tuple))
            inputs, cell_new = cell(
                inputs, list(cell_states) if is_list else [cell_states], training=training
            )
            cell_new = cell_new if isinstance(cell_new, (list, tuple)) else [cell_new]
            new_states.append(list(cell_new) if is_list else cell_new[0])
        return inputs, new_states

    def get_config(self):
        config = super().get_config()
        config["cells"] = [serialization.serialize_keras_object(c) for c in self.cells]
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        config["cells"] = [
            serialization._deserialize_object(c, custom_objects) for c in config["cells"]
        ]
        return super().from_config(config)
