"""`keras.Function`: a graph of operations from symbolic inputs to outputs, reapplied to data."""

from unikeras import tree
from unikeras.backend.keras_tensor import KerasTensor
from unikeras.ops.node import build_graph
from unikeras.ops.operation import Operation


class Function(Operation):
    """Class that encapsulates a computation graph of Keras operations.

    A `Function` captures the graph linking some input tensors to some output tensors, and
    reapplies the same computation to new inputs. It is like a Functional model, except that
    it is stateless (it tracks no variables) and does not implement the `Layer` API.

    Examples:
        ```python
        input_1 = keras.KerasTensor(shape=(None, 2, 3))
        input_2 = keras.KerasTensor(shape=(None, 2, 3))
        x = input_1 + input_2
        output = keras.ops.sigmoid(x)
        fn = keras.Function(inputs=[input_1, input_2], outputs=output)

        output_val = fn([np.random.random((4, 2, 3)), np.random.random((4, 2, 3))])
        ```

    Args:
        inputs: `KerasTensor` instance or nested structure of `KerasTensor` instances.
        outputs: `KerasTensor` instance or nested structure of `KerasTensor` instances. They
            should be computable given only the values of `inputs`.
        name: String. The name of the function.
    """

    def __init__(self, inputs, outputs, name=None):
        super().__init__(name=name)
        self._inputs_struct = tree.map_structure(lambda x: x, inputs)
        self._outputs_struct = tree.map_structure(lambda x: x, outputs)
        self._inputs = tree.flatten(inputs)
        self._outputs = tree.flatten(outputs)
        if not self._inputs:
            raise ValueError(
                f"`inputs` argument cannot be empty. Received:\ninputs={inputs}\noutputs={outputs}"
            )
        if not self._outputs:
            raise ValueError(
                f"`outputs` argument cannot be empty. Received:\ninputs={inputs}\noutputs={outputs}"
            )
        for x in self._inputs + self._outputs:
            if not isinstance(x, KerasTensor):
                raise ValueError(
                    "All `inputs` and `outputs` of a Function must be KerasTensors. "
                    f"Received: {x!r}"
                )
        self._nodes = build_graph(self._inputs, self._outputs)
        operations, seen = [], set()
        for node in self._nodes:
            if id(node.operation) not in seen:
                seen.add(id(node.operation))
                operations.append(node.operation)
        self._operations = operations

    @property
    def operations(self):
        """The operations of the graph, in execution order."""
        return self._operations[:]

    @property
    def inputs(self):
        """Flat list of the symbolic inputs of the Function."""
        return self._inputs

    @property
    def outputs(self):
        """Flat list of the symbolic outputs of the Function."""
        return self._outputs

    def _run_through_graph(self, inputs, operation_fn):
        flat = tree.flatten(inputs)
        if len(flat) != len(self._inputs):
            raise ValueError(
                f"Function '{self.name}' expects {len(self._inputs)} input(s) structured as "
                f"{self._inputs_struct}, received {len(flat)}: {inputs!r}"
            )
        for symbolic, value in zip(self._inputs, flat):
            shape = getattr(value, "shape", None)
            if shape is not None and len(shape) != len(symbolic.shape):
                raise ValueError(
                    f"Function '{self.name}': input {symbolic.name!r} expects rank "
                    f"{len(symbolic.shape)} (shape {symbolic.shape}), received shape "
                    f"{tuple(shape)}."
                )
        values = {id(s): v for s, v in zip(self._inputs, flat)}

        def lookup(x):
            return values[id(x)] if isinstance(x, KerasTensor) else x

        for node in self._nodes:
            args = tree.map_structure(lookup, node.call_args)
            kwargs = tree.map_structure(lookup, node.call_kwargs)
            outputs = operation_fn(node.operation)(*args, **kwargs)
            for symbolic, value in zip(node.outputs, tree.flatten(outputs)):
                values[id(symbolic)] = value
        return tree.pack_sequence_as(self._outputs_struct, [values[id(x)] for x in self._outputs])

    def call(self, inputs):
        """Computes the outputs for `inputs` (tensors structured like the symbolic inputs)."""
        return self._run_through_graph(inputs, lambda op: op)

    def compute_output_spec(self, inputs):
        """The outputs' `KerasTensor`s for symbolic `inputs`."""
        return self._run_through_graph(inputs, lambda op: op.compute_output_spec)
