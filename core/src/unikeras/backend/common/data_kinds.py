"""Which kind of dataset an input is, recognised by type name without importing its engine
(so the core and every plugin, on any backend, classify inputs alike)."""


def is_tf_dataset(x):
    """Whether `x` is a `tf.data.Dataset` (checked without importing TensorFlow)."""
    module = type(x).__module__ or ""
    return module.startswith("tensorflow") and hasattr(x, "as_numpy_iterator")


def is_torch_dataloader(x):
    """Whether `x` is a `torch.utils.data.DataLoader` (checked without importing torch)."""
    return any(
        (cls.__module__ or "").startswith("torch.utils.data") and cls.__name__ == "DataLoader"
        for cls in type(x).__mro__
    )
