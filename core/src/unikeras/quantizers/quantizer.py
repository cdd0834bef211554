"""`keras.Quantizer`: the base class of quantizers (callables mapping float tensors to a
quantized dtype)."""


class Quantizer:
    """Base class of quantizers.

    A quantizer maps a tensor to its quantized form (subclasses override `__call__`) and is
    serializable with `get_config` / `from_config`.

    Args:
        output_dtype: dtype of the quantized values, `"int8"` by default.
    """

    def __init__(self, output_dtype="int8"):
        self.output_dtype = output_dtype

    def __call__(self, x):
        """Computes the quantized form of `x` (the base class returns `x` unchanged)."""
        return x

    def get_config(self):
        """Returns the quantizer's constructor arguments as a JSON-serializable dict."""
        return {"output_dtype": self.output_dtype}

    @classmethod
    def from_config(cls, config):
        """Creates a quantizer from its `get_config()` dict."""
        return cls(**config)
