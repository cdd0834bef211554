"""`Merge`: the base of the layers combining a list of tensors element-wise."""

import functools

from unikeras import ops
from unikeras.layers.layer import Layer


class Merge(Layer):
    """Base class of element-wise merge layers (`Add`, `Multiply`, `Maximum`, ...).

    Inputs are a list of tensors with the same batch size whose other axes broadcast
    against each other, aligned from the right (a lower-rank input gets new axes after the
    batch axis). Subclasses set `_reduce_op` (a binary op folded over the inputs) or
    implement `_merge_function(inputs)`.
    """

    _reduce_op = None

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def _merge_function(self, inputs):
        return functools.reduce(self._reduce_op, inputs)

    def build(self, input_shape):
        self.compute_output_shape(input_shape)
        self.built = True

    def call(self, inputs):
        self._check_list(inputs)
        rank = max(len(x.shape) for x in inputs)
        expanded = []
        for x in inputs:
            while len(x.shape) < rank:
                x = ops.expand_dims(x, 1)
            expanded.append(x)
        return self._merge_function(expanded)

    def _check_list(self, inputs):
        if not isinstance(inputs, (list, tuple)) or not inputs:
            raise ValueError(
                f'Layer "{self.name}" ({type(self).__name__}) should be called on a list of '
                f"at least 1 input. Received: {inputs!r}"
            )

    def compute_output_shape(self, input_shape):
        self._check_list(input_shape)
        if not all(isinstance(s, (list, tuple)) for s in input_shape):
            raise ValueError(
                f'Layer "{self.name}" ({type(self).__name__}) should be called on a list of '
                f"inputs. Received: input_shape={input_shape}"
            )
        shapes = [tuple(s) for s in input_shape]
        batches = {s[0] for s in shapes if s and s[0] is not None}
        if len(batches) > 1 or any(not s for s in shapes):
            raise ValueError(
                f'Layer "{self.name}" ({type(self).__name__}): cannot merge tensors with '
                f"different batch sizes (or without a batch axis). Received input shapes "
                f"{shapes}."
            )
        out = shapes[0][1:]
        for shape in shapes[1:]:
            out = self._broadcast(out, shape[1:], shapes)
        return (batches.pop() if batches else None,) + out

    def _broadcast(self, a, b, shapes):
        """Right-aligned broadcast of two non-batch shapes (`None` = unknown)."""
        if len(a) < len(b):
            a, b = b, a
        out = list(a[: len(a) - len(b)])
        for i, j in zip(a[len(a) - len(b) :], b):
            if i is None or j is None:
                out.append(j if i in (None, 1) else i)
            elif i == 1 or j == 1 or i == j:
                out.append(j if i == 1 else i)
            else:
                raise ValueError(
                    f'Layer "{self.name}" ({type(self).__name__}) requires inputs whose shapes '
                    f"broadcast against each other (apart from the batch axis). Expected "
                    f"compatible shapes, received incompatible input shapes {shapes} "
                    f"(axes of size {i} and {j})."
                )
        return tuple(out)

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        if not isinstance(mask, (list, tuple)) or len(mask) != len(inputs):
            raise ValueError(
                f'Layer "{self.name}": `mask` should be a list of one mask per input. '
                f"Received: mask={mask!r}"
            )
        masks = [ops.expand_dims(m, 0) for m in mask if m is not None]
        if not masks:
            return None
        return ops.all(ops.concatenate(masks, axis=0), axis=0)
