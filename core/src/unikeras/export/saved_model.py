"""`keras.export.ExportArchive` and `model.export(format="tf_saved_model")`: TensorFlow
SavedModel artifacts for inference (TF Serving, `tf.saved_model.load`).

A SavedModel holds TensorFlow graphs, so the endpoints are traced with `tf.function` and the
model's computation must be TensorFlow ops: the model runs on a backend that declares the
`"tf_saved_model"` export format (its plugin's `unikeras_plugin_info`). A backend whose
variables are not `tf.Variable`s supplies the optional `saved_model_adapter` hook instead
(the JAX plugin converts with `jax2tf`, as Keras 3 does). `model.export(format=
"tf_saved_model")` from any other backend runs the export on such a backend in a subprocess.
TensorFlow is imported only when an archive is created.
"""

import os

from unikeras import backend
from unikeras.backend import registry
from unikeras.layers import Layer
from unikeras.variables import BaseVariable

FORMAT = "tf_saved_model"

DEFAULT_ENDPOINT_NAME = "serve"


def _tensorflow():
    try:
        import tensorflow as tf
    except ImportError:
        raise ImportError(
            "Exporting a TensorFlow SavedModel (`keras.export.ExportArchive`, "
            "`model.export(format='tf_saved_model')`) requires TensorFlow. Install it with "
            "`pip install tensorflow` (or `pip install unikeras-tf` for the TensorFlow backend)."
        ) from None
    return tf


def _is_layer(obj):
    return isinstance(obj, Layer)


def _native(variable):
    """The `tf.Variable` of a unikeras Variable (or the `tf.Variable` itself)."""
    return getattr(variable, "native", variable)


def _exporting_backends():
    """The installed backends that trace SavedModels, as text (`"a or b"`)."""
    return " or ".join(registry.backends_exporting(FORMAT)) or "(none installed)"


def _declares_format():
    """Whether the active backend declares the SavedModel export format."""
    try:
        return FORMAT in registry.declared_info(backend.backend())["export_formats"]
    except registry.BackendError:
        return False


class _NativeVariables:
    """The core's default for the `saved_model_adapter` hook: the backend's variables are
    `tf.Variable`s (`variable.native`), archived as they are; endpoints are `tf.function`s."""

    endpoint_kwargs = ()

    def __init__(self, archive):
        self.archive = archive

    def track_layer(self, layer):
        trackable = self.archive._tf_trackable
        known = {id(v) for v in trackable.variables}
        for variable in layer.variables:
            native = _native(variable)
            if id(native) in known:
                continue
            known.add(id(native))
            trackable.variables.append(native)
            if getattr(variable, "trainable", False):
                trackable.trainable_variables.append(native)
            else:
                trackable.non_trainable_variables.append(native)

    def endpoint(self, fn, input_signature):
        tf = _tensorflow()
        return tf.function(fn, input_signature=input_signature, autograph=False)

    def native_variables(self, variables):
        return [_native(v) for v in variables]


def make_tf_tensor_spec(x):
    """A `tf.TensorSpec` for a `tf.TensorSpec`, `keras.InputSpec`, KerasTensor or tensor."""
    tf = _tensorflow()
    if isinstance(x, tf.TensorSpec):
        return x
    shape, dtype = getattr(x, "shape", None), getattr(x, "dtype", None)
    if shape is None or dtype is None:
        raise TypeError(
            f"Unsupported x={x!r} of type {type(x).__name__} in `input_signature`: expected "
            "a `tf.TensorSpec`, `keras.InputSpec`, `KerasTensor` or tensor."
        )
    name = getattr(x, "name", None)
    dtype = backend.standardize_dtype(dtype) if not isinstance(dtype, tf.DType) else dtype
    return tf.TensorSpec(
        shape=tuple(shape), dtype=dtype, name=name if isinstance(name, str) else None
    )


def _map_signature(signature, fn):
    if isinstance(signature, (list, tuple)):
        return type(signature)(_map_signature(s, fn) for s in signature)
    if isinstance(signature, dict):
        return {k: _map_signature(v, fn) for k, v in signature.items()}
    return fn(signature)


class ExportArchive:
    """Writes SavedModel artifacts for inference.

    Register the layers/models used with `track()`, their serving functions with
    `add_endpoint()`, then `write_out()`. The artifact reloads with
    `tf.saved_model.load(path)`, each endpoint being a method of the reloaded object (the
    first one also as the `serving_default` signature, for TF Serving).

    Examples:
        ```python
        archive = keras.export.ExportArchive()
        archive.track(model)
        archive.add_endpoint(
            name="serve",
            fn=model.call,
            input_signature=[keras.InputSpec(shape=(None, 3), dtype="float32")],
        )
        archive.write_out("path/to/location")
        outputs = tf.saved_model.load("path/to/location").serve(inputs)
        ```

    Requires TensorFlow, and models on a backend that traces SavedModels: one declaring the
    `"tf_saved_model"` export format (TensorFlow's variables are archived as they are; the
    JAX plugin converts with `jax.experimental.jax2tf` and saves `tf.Variable` copies of the
    tracked variables' values at `track()` time).
    """

    def __init__(self):
        tf = _tensorflow()
        self._endpoint_names = []
        self._endpoint_signatures = {}
        self.tensorflow_version = tf.__version__
        self._tf_trackable = tf.__internal__.tracking.AutoTrackable()
        self._tf_trackable.variables = []
        self._tf_trackable.trainable_variables = []
        self._tf_trackable.non_trainable_variables = []
        self._tracked = []
        self._adapter_instance = None

    @property
    def variables(self):
        """The tracked variables (`tf.Variable`s)."""
        return self._tf_trackable.variables

    @property
    def trainable_variables(self):
        """The trainable variables tracked by the archive."""
        return self._tf_trackable.trainable_variables

    @property
    def non_trainable_variables(self):
        """The non-trainable variables tracked by the archive."""
        return self._tf_trackable.non_trainable_variables

    @property
    def _adapter(self):
        """The active backend's `saved_model_adapter` (or the core default), one per
        archive."""
        if self._adapter_instance is None:
            hook = registry.optional_hook("saved_model_adapter")
            adapter_class = hook() if hook is not None else None
            self._adapter_instance = (adapter_class or _NativeVariables)(self)
        return self._adapter_instance

    def _check_backend(self):
        if not _declares_format():
            raise NotImplementedError(
                "ExportArchive traces the model with TensorFlow ops (or converts it to "
                "them), so the model must run on a backend that declares the "
                f"'{FORMAT}' export format: the {_exporting_backends()} backend (e.g. load "
                "a `.keras` file saved under another backend there; `model.export(path, "
                "format='tf_saved_model')` does that for you). The active backend is "
                f"{backend.backend()!r}."
            )

    def track(self, resource):
        """Tracks the variables (and other state) of a layer, model or TensorFlow
        trackable resource, so that they are saved with the artifact.

        Args:
            resource: A built `Layer`/`Model`, or a TensorFlow `Trackable` (e.g. a
                lookup table).
        """
        tf = _tensorflow()
        if _is_layer(resource):
            self._check_backend()
            if not resource.built:
                raise ValueError(
                    "The layer provided has not yet been built. It must be built before export."
                )
            self._adapter.track_layer(resource)
            if isinstance(resource, tf.__internal__.tracking.Trackable):
                self._tracked.append(resource)
        elif isinstance(resource, tf.__internal__.tracking.Trackable):
            self._tracked.append(resource)
        else:
            raise ValueError(
                "Invalid resource type. Expected a Keras `Layer` or `Model` or a TensorFlow "
                f"`Trackable` object. Received object {resource!r} of type "
                f"'{type(resource).__name__}'."
            )

    def add_endpoint(self, name, fn, input_signature=None, **kwargs):
        """Registers `fn` as the endpoint `name` of the artifact.

        Args:
            name: Name of the endpoint (a method of the reloaded object).
            fn: The function to serve, e.g. `model.call` or a lambda calling the model.
                It may use only tracked resources (variables are tracked automatically).
            input_signature: Shapes and dtypes of `fn`'s arguments: a list (one entry per
                argument, possibly nested) of `keras.InputSpec`, `tf.TensorSpec`,
                `KerasTensor` or tensors. May be left out only when `fn` is a
                `tf.function` that has been called at least once.
            **kwargs: Backend-specific arguments of the `saved_model_adapter` hook. On the
                jax backend, `jax2tf_kwargs` (a dict of `jax2tf.convert` arguments;
                `polymorphic_shapes` defaults to a symbolic size for each `None`
                dimension, `batch` for the first axis) and `is_static` (accepted; state
                updates made by `fn` are not saved). Refused on other backends.

        Returns:
            The `tf.function` registered.
        """
        tf = _tensorflow()
        self._check_backend()
        if name in self._endpoint_names:
            raise ValueError(f"Endpoint name '{name}' is already taken.")
        adapter = self._adapter
        extra = {k: kwargs.pop(k) for k in adapter.endpoint_kwargs if k in kwargs}
        if "jax2tf_kwargs" in kwargs or "is_static" in kwargs:  # Keras 3's JAX-route names
            raise ValueError(
                "'jax2tf_kwargs' and 'is_static' are only supported with the jax backend. "
                f"Current backend: {backend.backend()}"
            )
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments: {sorted(kwargs)}")
        if input_signature is None:
            if not isinstance(fn, tf.types.experimental.GenericFunction):
                raise ValueError(
                    "If the `fn` argument provided is not a `tf.function`, you must provide "
                    "an `input_signature` argument to specify the shape and dtype of the "
                    "function arguments. Example:\n\n"
                    "export_archive.add_endpoint(\n    name='call',\n    fn=model.call,\n"
                    "    input_signature=[\n        keras.InputSpec(\n"
                    "            shape=(None, 224, 224, 3),\n            dtype='float32',\n"
                    "        )\n    ],\n)"
                )
            if not fn._list_all_concrete_functions():
                raise ValueError(
                    f"The provided tf.function '{fn}' has never been called. To specify the "
                    "expected shape and dtype of the function's arguments, you must either "
                    "provide a function that has been called at least once, or alternatively "
                    "pass an `input_signature` argument in `add_endpoint()`."
                )
            decorated = fn
        else:
            input_signature = _map_signature(list(input_signature), make_tf_tensor_spec)
            decorated = adapter.endpoint(fn, input_signature, **extra)
            self._endpoint_signatures[name] = input_signature
        setattr(self._tf_trackable, name, decorated)
        self._endpoint_names.append(name)
        return decorated

    def track_and_add_endpoint(self, name, resource, input_signature, **kwargs):
        """`track(resource)`, then `add_endpoint(name, resource.__call__,
        input_signature)`."""
        self.track(resource)
        return self.add_endpoint(name, resource.__call__, input_signature, **kwargs)

    def add_variable_collection(self, name, variables):
        """Saves `variables` as the attribute `name` of the reloaded object.

        Args:
            name: Attribute name of the collection.
            variables: A list, tuple or set of `keras.Variable`s (or `tf.Variable`s).
        """
        tf = _tensorflow()

        if not isinstance(variables, (list, tuple, set)):
            raise ValueError(
                "Expected `variables` to be a list/tuple/set. Received instead object of "
                f"type '{type(variables).__name__}'."
            )
        if not all(isinstance(v, (tf.Variable, BaseVariable)) for v in variables):
            raise ValueError(
                "Expected all elements in `variables` to be `tf.Variable` instances. Found "
                "instead the following types: "
                f"{sorted({type(v).__name__ for v in variables})}"
            )
        self._check_backend()
        setattr(self._tf_trackable, name, self._adapter.native_variables(variables))

    def _concrete_function(self, name):
        function = getattr(self._tf_trackable, name)
        if name in self._endpoint_signatures:
            return function.get_concrete_function()
        return function._list_all_concrete_functions()[0]

    def write_out(self, filepath, options=None, verbose=True):
        """Writes the SavedModel to `filepath`.

        Every endpoint is also a SavedModel signature; the first one is the
        `serving_default` signature too (unless an endpoint has that name).

        Args:
            filepath: Directory of the artifact (`str` or `pathlib.Path`).
            options: Optional `tf.saved_model.SaveOptions`.
            verbose: Whether to print the endpoints written.
        """
        tf = _tensorflow()
        if not self._endpoint_names:
            raise ValueError("No endpoints have been set yet. Call add_endpoint().")
        signatures = {name: self._concrete_function(name) for name in self._endpoint_names}
        if "serving_default" not in signatures:
            signatures["serving_default"] = signatures[self._endpoint_names[0]]
        # Variables read by the endpoints but not tracked explicitly are saved too.
        known = {id(v) for v in self._tf_trackable.variables}
        extra = []
        for function in signatures.values():
            for variable in function.variables:
                if id(variable) not in known:
                    known.add(id(variable))
                    extra.append(variable)
        self._tf_trackable._endpoint_variables = extra
        self._tf_trackable._tracked = list(self._tracked)
        tf.saved_model.save(
            self._tf_trackable, str(filepath), options=options, signatures=signatures
        )
        if verbose:
            lines = [f"Saved artifact at '{filepath}'. The following endpoints are available:"]
            for name in self._endpoint_names:
                function = signatures[name]
                inputs = ", ".join(
                    f"{spec.name or 'input'}: {spec.dtype.name}{list(spec.shape)}"
                    for spec in tf.nest.flatten(function.structured_input_signature)
                )
                lines.append(
                    f"* Endpoint '{name}'\n  inputs: {inputs}\n  outputs: "
                    f"{function.structured_outputs}"
                )
            print("\n\n".join(lines))


def get_input_signature(model):
    """The input signature of `model`: its `inputs` (one spec per input, nested as the
    model takes them)."""
    inputs = getattr(model, "inputs", None)
    if not inputs:
        raise ValueError(
            "The model has no known inputs (a subclassed model that was never called or "
            "built with Input objects). Pass `input_signature=[keras.InputSpec(shape=..., "
            "dtype=...)]` to `model.export()`."
        )
    if len(inputs) == 1:
        return [inputs[0]]
    return [list(inputs)]


def export_saved_model(model, filepath, verbose=None, input_signature=None, **kwargs):
    """Exports `model`'s forward pass (`model(x, training=False)`) as a SavedModel whose
    endpoint `serve` (also the `serving_default` signature) serves it.

    Args:
        model: A built model (on any backend; see the module docstring).
        filepath: Directory of the artifact.
        verbose: Whether to print the endpoints (default True).
        input_signature: Optional input specs; defaults to the model's inputs.
        **kwargs: Refused (Keras' are for its JAX route).
    """
    if not _declares_format() or registry.optional_hook("saved_model_adapter") is not None:
        _tensorflow()
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments: {sorted(kwargs)}")
        return export_in_subprocess(model, filepath, FORMAT, verbose, input_signature)
    archive = ExportArchive()
    if input_signature is None:
        input_signature = get_input_signature(model)
    archive.track(model)

    def serve(*args):
        return model(*args, training=False)

    archive.add_endpoint(DEFAULT_ENDPOINT_NAME, serve, input_signature, **kwargs)
    archive.write_out(filepath, verbose=True if verbose is None else verbose)
    return filepath


_SUBPROCESS_EXPORT = """
import json, sys
import unikeras
model = unikeras.saving.load_model(sys.argv[1], compile=False)
specs = json.loads(sys.argv[4])
signature = None if specs is None else [
    [unikeras.InputSpec(shape=tuple(s["shape"]), dtype=s["dtype"], name=s["name"])
     for s in group] if isinstance(group, list) else
    unikeras.InputSpec(shape=tuple(group["shape"]), dtype=group["dtype"], name=group["name"])
    for group in specs]
model.export(sys.argv[2], format=sys.argv[3], verbose=False, input_signature=signature,
             **json.loads(sys.argv[5]))
"""


def _spec_json(spec):
    name = getattr(spec, "name", None)
    shape = [None if d is None else int(d) for d in spec.shape]
    dtype = getattr(spec, "dtype", None)
    dtype = getattr(dtype, "name", dtype)  # a tf.DType
    return {
        "shape": shape,
        "dtype": backend.standardize_dtype(dtype),
        "name": name.split(":")[0] if isinstance(name, str) else None,
    }


def example_input(spec):
    """A NumPy array of zeros matching `spec` (`None` sizes become 2)."""
    import numpy as np

    dtype = getattr(spec, "dtype", None)
    dtype = backend.standardize_dtype(getattr(dtype, "name", dtype) or "float32")
    shape = tuple(2 if d is None else int(d) for d in spec.shape)
    return np.zeros(shape, dtype)


def _export_backend(format):
    """The backend a subprocess exports `format` on: among the other installed backends
    declaring it, the one of lowest declared priority (for SavedModels, whether one has a
    `saved_model_adapter` cannot be told without importing its engine; the TensorFlow
    plugin, which needs none, declares a lower priority than the JAX one)."""
    names = [n for n in registry.backends_exporting(format) if n != backend.backend()]
    if names:
        return names[0]
    raise ImportError(
        f"Exporting format {format!r} from the {backend.backend()!r} backend runs the model "
        f"on a backend that declares the {format!r} export format, and none is installed: "
        "install the TensorFlow backend plugin (`pip install unikeras-tf`)"
        + (" or the PyTorch one (`pip install unikeras-torch`)." if format == "onnx" else ".")
    )


def export_in_subprocess(model, filepath, format, verbose, input_signature, **kwargs):
    """`model.export(format=format)` from a backend that cannot trace `format` itself: the
    model is saved to a temporary `.keras` file (backend-neutral), loaded on a backend that
    declares the format (the TensorFlow one first) in a subprocess and exported there.
    `kwargs` must be JSON values. Custom layers must be importable and registered in that
    subprocess too.

    Args:
        model: The model to export.
        filepath: Destination path.
        format: Export format name (`"tf_saved_model"`, `"onnx"`).
        verbose: Whether to print where the artifact was written (default True).
        input_signature: Optional input specs (nested at most one level).
        **kwargs: Further `model.export` arguments (JSON values).

    Returns:
        `filepath`.
    """
    import json
    import subprocess
    import sys
    import tempfile

    target = _export_backend(format)
    specs = None
    if input_signature is not None:
        specs = [
            [_spec_json(s) for s in group]
            if isinstance(group, (list, tuple))
            else _spec_json(group)
            for group in input_signature
        ]
    try:
        extra = json.dumps(kwargs)
    except TypeError:
        raise ValueError(
            f"Exporting {format!r} from the {backend.backend()!r} backend runs on the "
            f"{target} backend in a subprocess: its keyword arguments must be JSON values. "
            f"Received: {sorted(kwargs)}"
        ) from None
    with tempfile.TemporaryDirectory() as folder:
        keras_file = os.path.join(folder, "model.keras")
        model.save(keras_file)
        env = dict(os.environ, UNIKERAS_BACKEND=target)
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                _SUBPROCESS_EXPORT,
                keras_file,
                os.fspath(filepath),
                format,
                json.dumps(specs),
                extra,
            ],
            env=env,
            capture_output=True,
            text=True,
        )
    if done.returncode:
        raise RuntimeError(
            f"Exporting {format!r} from the {backend.backend()!r} backend runs the model "
            f"on the {target} backend in a subprocess (from a temporary `.keras` file), "
            "which failed. Custom objects must be registered there too (or export on the "
            f"{target} backend directly). Its error:\n" + done.stderr[-3000:]
        )
    if verbose is None or verbose:
        print(f"Saved artifact at '{filepath}' (traced on the {target} backend).")
    return filepath
