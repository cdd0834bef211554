"""`InputLayer` and `keras.Input`: the entry points of functional models."""

from unikeras.backend import dtypes
from unikeras.backend.keras_tensor import KerasTensor
from unikeras.layers.layer import Layer
from unikeras.ops.node import Node
from unikeras.backend.registry import table


class InputLayer(Layer):
    """The layer behind `keras.Input`: holds the symbolic input tensor of a model.

    Args:
        shape: Shape without the batch dimension.
        batch_size: Optional fixed batch size.
        dtype: Input dtype (default `floatx()`).
        sparse: Whether the input is sparse.
        ragged: Whether the input is ragged; only backends whose `backend_info()` declares
            `"ragged": True` accept `True` (none of the shipped ones does yet).
        batch_shape: Full shape including the batch dimension (instead of `shape`).
        input_tensor: Optional existing KerasTensor to wrap.
        optional: Whether the input may be `None`.
        name: Layer name.

    Examples:
        >>> layer = keras.layers.InputLayer(shape=(3,), dtype="int32")
        >>> layer.output.shape, layer.output.dtype
        ((None, 3), 'int32')
    """

    def __init__(
        self,
        shape=None,
        batch_size=None,
        dtype=None,
        sparse=None,
        ragged=None,
        batch_shape=None,
        input_tensor=None,
        optional=False,
        name=None,
        **kwargs,
    ):
        if "input_shape" in kwargs:
            shape = kwargs.pop("input_shape")
        if "batch_input_shape" in kwargs:
            batch_shape = kwargs.pop("batch_input_shape")
        kwargs.pop("trainable", None)
        super().__init__(name=name, **kwargs)
        if shape is not None and batch_shape is not None:
            raise ValueError("InputLayer: pass either `shape` or `batch_shape`, not both.")
        if batch_shape is None:
            if shape is None and input_tensor is None:
                raise ValueError("InputLayer: `shape` or `batch_shape` is required.")
            batch_shape = (
                (batch_size,) + tuple(shape) if shape is not None else tuple(input_tensor.shape)
            )
        self._batch_shape = tuple(None if d is None else int(d) for d in batch_shape)
        self._dtype_name = dtypes.standardize_dtype(dtype)
        self.sparse = bool(sparse)
        self.ragged = bool(ragged)
        if self.ragged:
            info = table.backend_info()
            if not info.get("ragged", False):
                raise ValueError(f"`ragged=True` is not supported with the {info['name']} backend")
        self.optional = optional
        self.built = True
        if input_tensor is None:
            input_tensor = KerasTensor(
                self._batch_shape, dtype=self._dtype_name, sparse=self.sparse, name=self.name
            )
        self._input_tensor = input_tensor
        Node(self, (), {}, input_tensor)

    @property
    def batch_shape(self):
        """The input's shape, batch axis included."""
        return self._batch_shape

    @property
    def dtype(self):
        return self._dtype_name

    def call(self):
        return None

    def get_config(self):
        return {
            "batch_shape": list(self._batch_shape),
            "dtype": self._dtype_name,
            "sparse": self.sparse,
            "ragged": self.ragged,
            "name": self.name,
            "optional": self.optional,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def Input(
    shape=None,
    batch_size=None,
    dtype=None,
    sparse=None,
    ragged=None,
    batch_shape=None,
    name=None,
    tensor=None,
    optional=False,
):
    """Returns a symbolic input tensor, the start of a functional model.

    Args:
        shape: Shape tuple without the batch dimension (entries may be `None`).
        batch_size: Optional static batch size.
        dtype: dtype of the input (default `floatx()`).
        sparse: Whether the input is sparse.
        ragged: Whether the input is ragged (`True` raises a `ValueError` naming the backend
            on backends without ragged tensors, as Keras 3 does).
        batch_shape: Full shape including the batch dimension.
        name: Name of the input layer.
        tensor: Optional KerasTensor to wrap.
        optional: Whether the input may be `None` when the model is called.

    Returns:
        A `KerasTensor`.

    Examples:
        >>> x = keras.Input(shape=(3,))
        >>> x.shape, x.dtype
        ((None, 3), 'float32')
        >>> model = keras.Model(x, keras.layers.Dense(2)(x))
        >>> model(np.zeros((4, 3), "float32")).shape
        (4, 2)
    """
    layer = InputLayer(
        shape=shape,
        batch_size=batch_size,
        dtype=dtype,
        sparse=sparse,
        ragged=ragged,
        batch_shape=batch_shape,
        name=name,
        input_tensor=tensor,
        optional=optional,
    )
    return layer.output
