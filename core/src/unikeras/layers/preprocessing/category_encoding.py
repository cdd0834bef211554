"""`CategoryEncoding` and the integer-index encoding shared by the preprocessing layers."""

from unikeras import ops
from unikeras.backend.keras_tensor import KerasTensor
from unikeras.layers.layer import Layer
from unikeras.layers.preprocessing.host_data import is_string_like

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count")


def check_output_mode(layer_name, output_mode, allowed):
    """Raises a `ValueError` naming the layer when `output_mode` is not in `allowed`."""
    if output_mode not in allowed:
        raise ValueError(
            f'Layer "{layer_name}": invalid `output_mode`. Expected one of '
            f"{allowed}. Received: output_mode={output_mode!r}"
        )


def check_sparse(layer_name, sparse):
    """Dense outputs only: `sparse=True` raises a `ValueError` naming the layer."""
    if sparse:
        raise ValueError(
            f'Layer "{layer_name}": `sparse=True` is not supported by unikeras '
            "(outputs are dense tensors). Received: sparse=True"
        )


def encoded_shape(input_shape, output_mode, depth):
    """Output shape of `encode_categorical_inputs` for inputs of `input_shape`."""
    input_shape = tuple(input_shape)
    if output_mode == "int":
        return input_shape
    if not input_shape:
        return (depth,)
    if output_mode == "one_hot":
        if len(input_shape) > 1 and input_shape[-1] == 1:
            return input_shape[:-1] + (depth,)
        return input_shape + (depth,)
    if len(input_shape) == 1:
        return (depth,)
    return (input_shape[0],) + input_shape[2:] + (depth,)


def encode_categorical_inputs(indices, output_mode, depth, dtype, count_weights=None):
    """Encodes integer `indices` in `[0, depth)` as Keras 3's categorical layers do.

    Indices outside `[0, depth)` (masked or dropped values) encode to zeros.

    Args:
        indices: Integer tensor.
        output_mode: `"int"` (cast only), `"one_hot"` (a new last axis; a last axis of size
            1 is replaced), `"multi_hot"` or `"count"` (axis 1 of rank >= 2 inputs, the
            only axis of rank-1 inputs, is reduced to presence flags or counts).
        depth: Number of categories (the size of the encoded axis).
        dtype: Output dtype (for `"count"` with `count_weights`, their dtype).
        count_weights: Optional weights (same shape as `indices`) summed in `"count"` mode.

    Returns:
        The encoded tensor (shape as `encoded_shape`).
    """
    if not hasattr(indices, "shape"):  # a Python list or number, as Keras 3 accepts
        indices = ops.convert_to_tensor(indices)
    if output_mode == "int":
        return ops.cast(indices, dtype)
    if len(indices.shape) == 0:
        indices = ops.expand_dims(indices, -1)
        if count_weights is not None:
            count_weights = ops.expand_dims(count_weights, -1)
    if output_mode == "one_hot":
        if len(indices.shape) > 1 and indices.shape[-1] == 1:
            indices = ops.squeeze(indices, -1)
        return ops.one_hot(indices, depth, dtype=dtype)
    axis = 1 if len(indices.shape) > 1 else 0
    if count_weights is not None:
        hot = ops.one_hot(indices, depth, dtype=count_weights.dtype)
        return ops.sum(ops.multiply(hot, ops.expand_dims(count_weights, -1)), axis=axis)
    hot = ops.one_hot(indices, depth, dtype=dtype)
    if output_mode == "multi_hot":
        return ops.max(hot, axis=axis)
    return ops.sum(hot, axis=axis)


def check_numeric_input(layer, inputs):
    """Raises a `ValueError` naming `layer` when `inputs` holds strings."""
    if is_string_like(inputs):
        raise ValueError(
            f'Layer "{layer.name}" ({type(layer).__name__}) expects numeric '
            f"inputs. Received inputs with dtype={getattr(inputs, 'dtype', 'str')}"
        )


class CategoryEncoding(Layer):
    """Encodes integer features as one-hot, multi-hot or count vectors.

    Args:
        num_tokens: Number of categories; inputs must lie in `[0, num_tokens)`.
        output_mode: `"one_hot"` (each element becomes a vector; a last axis of size 1 is
            replaced), `"multi_hot"` (default; 1 for each category present in a sample, the
            last axis of the input being the sample) or `"count"` (occurrence counts).
        sparse: Only `False` (dense outputs) is supported.

    Call arguments:
        - `inputs`: Integer tensor of rank 1 or 2.
        - `count_weights`: Optional weights of the same shape as `inputs`, summed instead of
            counting in `"count"` mode.

    Examples:
        >>> keras.layers.CategoryEncoding(num_tokens=4, output_mode='one_hot')(np.array([0, 3]))
        array([[1., 0., 0., 0.],
               [0., 0., 0., 1.]], dtype=float32)
    """

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        super().__init__(**kwargs)
        if output_mode == "binary":
            output_mode = "multi_hot"
        check_output_mode(self.name, output_mode, OUTPUT_MODES[1:])
        if num_tokens is None:
            raise ValueError(
                f'Layer "{self.name}": `num_tokens` must be set. If the number of '
                "tokens is not known beforehand, use `IntegerLookup` instead."
            )
        if num_tokens < 1:
            raise ValueError(
                f'Layer "{self.name}": `num_tokens` must be >= 1. Received: num_tokens={num_tokens}'
            )
        check_sparse(self.name, sparse)
        self.num_tokens = num_tokens
        self.output_mode = output_mode
        self.sparse = sparse

    def _convert_inputs(self, x):
        check_numeric_input(self, x)
        return super()._convert_inputs(x)

    def call(self, inputs, count_weights=None):
        if count_weights is not None:
            if self.output_mode != "count":
                raise ValueError(
                    f'Layer "{self.name}": `count_weights` is only used when `output_mode` '
                    f"is 'count'. Received: output_mode={self.output_mode!r}"
                )
            count_weights = ops.convert_to_tensor(count_weights, dtype=self.compute_dtype)
        return encode_categorical_inputs(
            inputs, self.output_mode, self.num_tokens, self.compute_dtype, count_weights
        )

    def compute_output_shape(self, input_shape):
        return encoded_shape(input_shape, self.output_mode, self.num_tokens)

    def compute_output_spec(self, inputs, count_weights=None):
        return KerasTensor(self.compute_output_shape(inputs.shape), dtype=self.compute_dtype)

    def get_config(self):
        config = super().get_config()
        config.update(
            {"num_tokens": self.num_tokens, "output_mode": self.output_mode, "sparse": self.sparse}
        )
        return config
