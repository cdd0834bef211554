"""`keras.utils.FeatureSpace`: one-step preprocessing and encoding of structured (tabular) data.

Each feature has a preprocessing layer (normalization, lookup, hashing, discretization, ...)
and an output mode (`"float"`, `"int"`, `"one_hot"`); feature crosses hash pairs/tuples of
features together. The preprocessing runs eagerly on NumPy inputs and on the active backend's
tensors; `get_inputs()` / `get_encoded_features()` give the same pipeline as a symbolic graph
for building a Functional model.
"""

import itertools

import numpy as np

from unikeras import layers, ops
from unikeras.backend.common.autograph import keep_unikeras_unconverted
from unikeras.layers.layer import Layer
from unikeras.layers.preprocessing.host_data import is_tf_graph_tensor, to_host_array
from unikeras.saving.serialization import register_keras_serializable

_NAME_COUNTER = itertools.count()


def _auto_name(prefix):
    return f"{prefix}_{next(_NAME_COUNTER)}"


def _serialize(obj):
    from unikeras.saving.serialization import serialize_keras_object

    return serialize_keras_object(obj)


def _deserialize(config):
    from unikeras.saving.serialization import _deserialize_object

    return _deserialize_object(config)


@register_keras_serializable(package="keras")
class Cross:
    """A feature cross: the named features hashed together into `crossing_dim` bins.

    Args:
        feature_names: Names of the crossed features.
        crossing_dim: Number of hashing bins of the cross.
        output_mode: `"one_hot"` or `"int"`.
    """

    def __init__(self, feature_names, crossing_dim, output_mode="one_hot"):
        if output_mode not in ("int", "one_hot"):
            raise ValueError(
                "Invalid value for argument `output_mode`. Expected one of "
                f"{{'int', 'one_hot'}}. Received: output_mode={output_mode}"
            )
        self.feature_names = tuple(feature_names)
        self.crossing_dim = crossing_dim
        self.output_mode = output_mode

    @property
    def name(self):
        return "_X_".join(self.feature_names)

    def get_config(self):
        return {
            "feature_names": self.feature_names,
            "crossing_dim": self.crossing_dim,
            "output_mode": self.output_mode,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)


@register_keras_serializable(package="keras")
class Feature:
    """One feature of a `FeatureSpace`: input dtype, preprocessing layer and output mode.

    Args:
        dtype: Dtype of the raw input (`"float32"`, `"int32"`, `"string"`, ...).
        preprocessor: The preprocessing layer (or any callable layer).
        output_mode: `"float"`, `"int"` or `"one_hot"`.
    """

    def __init__(self, dtype, preprocessor, output_mode):
        if output_mode not in ("int", "one_hot", "float"):
            raise ValueError(
                "Invalid value for argument `output_mode`. Expected one of "
                "{'int', 'one_hot', 'float'}. Received: "
                f"output_mode={output_mode}"
            )
        self.dtype = dtype
        if isinstance(preprocessor, dict):
            preprocessor = _deserialize(preprocessor)
        self.preprocessor = preprocessor
        self.output_mode = output_mode

    def get_config(self):
        return {
            "dtype": self.dtype,
            "preprocessor": _serialize(self.preprocessor),
            "output_mode": self.output_mode,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _feature_config(feature):
    name = type(feature).__name__
    return {
        "module": None,
        "class_name": name,
        "config": feature.get_config(),
        "registered_name": f"keras>{name}",
    }


def _feature_from_config(config):
    kinds = {"Feature": Feature, "Cross": Cross}
    return kinds[config["class_name"]].from_config(dict(config["config"]))


@register_keras_serializable(package="keras")
class FeatureSpace(Layer):
    """One-stop preprocessing and encoding of structured data.

    Examples:
        ```python
        feature_space = keras.utils.FeatureSpace(
            features={
                "age": "float_normalized",
                "city": "string_categorical",
                "rooms": FeatureSpace.integer_categorical(max_tokens=10),
            },
            crosses=[("city", "rooms")],
            output_mode="concat",
        )
        feature_space.adapt(dict_of_arrays_or_tf_dataset)
        encoded = feature_space({"age": [31.0], "city": ["Paris"], "rooms": [3]})
        ```

    Feature types (as strings or with the class methods of the same names):
    `"float"`, `"float_rescaled"`, `"float_normalized"`, `"float_discretized"`,
    `"integer_categorical"`, `"integer_hashed"`, `"string_categorical"`, `"string_hashed"`.

    Args:
        features: Dict feature name -> feature type string or `FeatureSpace.feature(...)`.
        output_mode: `"concat"` (one float vector) or `"dict"` (one entry per feature).
        crosses: Feature crosses: tuples of feature names or `FeatureSpace.cross(...)`.
        crossing_dim: Hashing bins of the crosses given as tuples.
        hashing_dim: Bins of the `"*_hashed"` features given as strings.
        num_discretization_bins: Bins of the `"float_discretized"` features given as
            strings.
        name: Name of the layer.
    """

    @classmethod
    def cross(cls, feature_names, crossing_dim, output_mode="one_hot"):
        """Returns a crossed feature of `feature_names`, hashed into `crossing_dim` bins."""
        return Cross(feature_names, crossing_dim, output_mode=output_mode)

    @classmethod
    def feature(cls, dtype, preprocessor, output_mode):
        """Returns a custom feature: its input dtype, preprocessing layer and output mode."""
        return Feature(dtype, preprocessor, output_mode)

    @classmethod
    def float(cls, name=None):
        """Returns a float feature passed through unchanged."""
        name = name or _auto_name("float")
        return Feature("float32", layers.Identity(name=f"{name}_preprocessor"), "float")

    @classmethod
    def float_rescaled(cls, scale=1.0, offset=0.0, name=None):
        """Returns a float feature rescaled as `x * scale + offset`."""
        name = name or _auto_name("float_rescaled")
        return Feature(
            "float32",
            layers.Rescaling(scale=scale, offset=offset, name=f"{name}_preprocessor"),
            "float",
        )

    @classmethod
    def float_normalized(cls, name=None):
        """Returns a float feature normalized to zero mean and unit variance (adapted)."""
        name = name or _auto_name("float_normalized")
        return Feature(
            "float32", layers.Normalization(axis=-1, name=f"{name}_preprocessor"), "float"
        )

    @classmethod
    def float_discretized(cls, num_bins, bin_boundaries=None, output_mode="one_hot", name=None):
        """Returns a float feature bucketized into `num_bins` bins (or `bin_boundaries`)."""
        name = name or _auto_name("float_discretized")
        return Feature(
            "float32",
            layers.Discretization(
                num_bins=num_bins, bin_boundaries=bin_boundaries, name=f"{name}_preprocessor"
            ),
            output_mode,
        )

    @classmethod
    def integer_categorical(
        cls, max_tokens=None, num_oov_indices=1, output_mode="one_hot", name=None
    ):
        """Returns an integer categorical feature, looked up in a vocabulary (adapted)."""
        name = name or _auto_name("integer_categorical")
        return Feature(
            "int32",
            layers.IntegerLookup(
                name=f"{name}_preprocessor", max_tokens=max_tokens, num_oov_indices=num_oov_indices
            ),
            output_mode,
        )

    @classmethod
    def string_categorical(
        cls, max_tokens=None, num_oov_indices=1, output_mode="one_hot", name=None
    ):
        """Returns a string categorical feature, looked up in a vocabulary (adapted)."""
        name = name or _auto_name("string_categorical")
        return Feature(
            "string",
            layers.StringLookup(
                name=f"{name}_preprocessor", max_tokens=max_tokens, num_oov_indices=num_oov_indices
            ),
            output_mode,
        )

    @classmethod
    def string_hashed(cls, num_bins, output_mode="one_hot", name=None):
        """Returns a string feature hashed into `num_bins` bins."""
        name = name or _auto_name("string_hashed")
        return Feature(
            "string", layers.Hashing(name=f"{name}_preprocessor", num_bins=num_bins), output_mode
        )

    @classmethod
    def integer_hashed(cls, num_bins, output_mode="one_hot", name=None):
        """Returns an integer feature hashed into `num_bins` bins."""
        name = name or _auto_name("integer_hashed")
        return Feature(
            "int32", layers.Hashing(name=f"{name}_preprocessor", num_bins=num_bins), output_mode
        )

    def __init__(
        self,
        features,
        output_mode="concat",
        crosses=None,
        crossing_dim=32,
        hashing_dim=32,
        num_discretization_bins=32,
        name=None,
        **kwargs,
    ):
        super().__init__(name=name, **kwargs)
        if not features:
            raise ValueError("The `features` argument cannot be None or empty.")
        if output_mode not in ("dict", "concat"):
            raise ValueError(
                "Invalid value for argument `output_mode`. Expected one of "
                f"{{'dict', 'concat'}}. Received: output_mode={output_mode}"
            )
        self.crossing_dim = crossing_dim
        self.hashing_dim = hashing_dim
        self.num_discretization_bins = num_discretization_bins
        self.output_mode = output_mode
        self.features = {
            name: self._standardize_feature(name, value) for name, value in features.items()
        }
        self.crosses = []
        for cross in crosses or []:
            if isinstance(cross, dict):
                cross = _feature_from_config(cross)
            if not isinstance(cross, Cross):
                if not crossing_dim:
                    raise ValueError(
                        "When specifying `crosses`, the argument `crossing_dim` "
                        "(dimensionality of the crossing space) should be "
                        "specified as well."
                    )
                cross = Cross(cross, crossing_dim=crossing_dim)
            unknown = [n for n in cross.feature_names if n not in self.features]
            if unknown:
                raise ValueError(
                    "All features referenced in the `crosses` argument should be "
                    "present in the `features` dict. Received unknown features: "
                    f"{unknown}"
                )
            self.crosses.append(cross)
        self.crosses_by_name = {cross.name: cross for cross in self.crosses}
        self.preprocessors = {name: f.preprocessor for name, f in self.features.items()}
        self.crossers = {
            cross.name: layers.HashedCrossing(cross.crossing_dim, name=cross.name)
            for cross in self.crosses
        }
        self.one_hot_encoders = {}
        self.inputs = None
        self.encoded_features = None
        self._is_adapted = False
        self._encoders_built = False

    def _standardize_feature(self, name, feature):
        if isinstance(feature, Feature):
            return feature
        if isinstance(feature, dict):
            return _feature_from_config(feature)
        makers = {
            "float": lambda: self.float(name=name),
            "float_normalized": lambda: self.float_normalized(name=name),
            "float_rescaled": lambda: self.float_rescaled(name=name),
            "float_discretized": lambda: self.float_discretized(
                num_bins=self.num_discretization_bins, name=name
            ),
            "integer_categorical": lambda: self.integer_categorical(name=name),
            "string_categorical": lambda: self.string_categorical(name=name),
            "integer_hashed": lambda: self.integer_hashed(self.hashing_dim, name=name),
            "string_hashed": lambda: self.string_hashed(self.hashing_dim, name=name),
        }
        if feature not in makers:
            raise ValueError(
                f"Invalid feature type: {feature!r} (for feature {name!r}). "
                f"Expected one of {sorted(makers)} or a `FeatureSpace.feature()`."
            )
        return makers[feature]()

    # ---------------------------------------------------------------- adapt

    def _adaptable(self):
        names = []
        for name, preprocessor in self.preprocessors.items():
            if (
                isinstance(preprocessor, layers.Normalization)
                and preprocessor.input_mean is not None
            ):
                continue
            if (
                isinstance(preprocessor, layers.Discretization)
                and preprocessor.bin_boundaries is not None
            ):
                continue
            if getattr(preprocessor, "_has_input_vocabulary", False):
                continue
            if hasattr(preprocessor, "adapt"):
                names.append(name)
        return names

    def _columns(self, dataset):
        """The dataset as a dict of NumPy columns (all batches concatenated)."""
        if isinstance(dataset, dict):
            return {k: np.asarray(v) for k, v in dataset.items()}
        module = type(dataset).__module__
        if module.startswith("tensorflow"):
            batches = list(dataset.as_numpy_iterator())
        elif hasattr(dataset, "__iter__"):
            batches = list(dataset)
        else:
            batches = None
        if not batches or not isinstance(batches[0], dict):
            raise ValueError(
                "`adapt()` can only be called on a tf.data.Dataset or a dict of "
                "arrays/lists (or an iterable of dicts). Received instead: "
                f"{dataset} (of type {type(dataset)})"
            )
        out = {}
        for key in batches[0]:
            parts = [np.asarray(b[key]) for b in batches]
            if parts[0].ndim == 0:
                out[key] = np.stack(parts)
            else:
                out[key] = np.concatenate(parts)
        return out

    def adapt(self, dataset):
        """Computes the state of the preprocessors (vocabularies, means, bins) from data.

        Args:
            dataset: A dict of arrays/lists keyed by feature name, a `tf.data.Dataset` of
                such dicts, or an iterable of such dicts (e.g. a `NumpyDataset`).
        """
        columns = self._columns(dataset)
        for name in self._adaptable():
            if name not in columns:
                raise ValueError(
                    f"adapt(): the data has no feature {name!r}. Received "
                    f"features: {sorted(columns)}"
                )
            values = self._as_column(columns[name], self.features[name].dtype)
            self.preprocessors[name].adapt(values)
        self._is_adapted = True
        self._build_encoders()
        self.built = True

    # ---------------------------------------------------------------- encoding

    @staticmethod
    def _as_column(x, dtype):
        if hasattr(x, "numpy") and not isinstance(x, np.ndarray):
            x = x.numpy()
        x = np.asarray(x)
        if dtype == "string":
            if x.dtype.kind == "S" or (
                x.dtype == object and x.size and isinstance(x.flat[0], bytes)
            ):
                x = np.vectorize(
                    lambda v: v.decode("utf-8") if isinstance(v, bytes) else v, otypes=[object]
                )(x)
            x = x.astype(str)
        if x.ndim == 0:
            x = x.reshape(1, 1)
        elif x.ndim == 1:
            x = x[:, None]
        return x

    def _check_if_adapted(self):
        if not self._is_adapted:
            if self._adaptable():
                raise ValueError(
                    "You need to call `.adapt(dataset)` on the FeatureSpace before "
                    "you can start using it."
                )
            self._is_adapted = True

    def _cardinality(self, name, preprocessor):
        if isinstance(preprocessor, (layers.IntegerLookup, layers.StringLookup)):
            return preprocessor.vocabulary_size()
        if isinstance(preprocessor, layers.CategoryEncoding):
            return preprocessor.num_tokens
        if isinstance(preprocessor, layers.Discretization):
            if preprocessor.bin_boundaries is not None:
                return len(preprocessor.bin_boundaries) + 1
            return preprocessor.num_bins
        if isinstance(preprocessor, (layers.HashedCrossing, layers.Hashing)):
            return preprocessor.num_bins
        raise ValueError(
            f"Feature '{name}' has `output_mode='one_hot'`. However it isn't a "
            "standard feature and the dimensionality of its output space is not "
            "known, thus it cannot be one-hot encoded. Try using "
            "`output_mode='int'`."
        )

    def _specs(self):
        names = sorted(self.features) + sorted(self.crosses_by_name)
        specs = [self.features.get(n) or self.crosses_by_name[n] for n in names]
        return names, specs

    def _build_encoders(self):
        if self._encoders_built:
            return
        self._check_if_adapted()
        for name, spec in zip(*self._specs()):
            if spec.output_mode == "one_hot":
                preprocessor = self.preprocessors.get(name) or self.crossers.get(name)
                self.one_hot_encoders[name] = layers.CategoryEncoding(
                    num_tokens=self._cardinality(name, preprocessor), output_mode="multi_hot"
                )
            elif self.output_mode == "concat" and spec.output_mode == "int":
                raise ValueError(
                    f"Cannot concatenate features because feature '{name}' has "
                    "not been encoded (it has dtype int). Consider using "
                    "`output_mode='dict'`."
                )
        self._encoders_built = True

    def _encode(self, data):
        preprocessed = {name: self.preprocessors[name](data[name]) for name in self.features}
        crossed = {
            cross.name: self.crossers[cross.name]([preprocessed[n] for n in cross.feature_names])
            for cross in self.crosses
        }
        outputs = {}
        for name, spec in zip(*self._specs()):
            value = preprocessed[name] if name in preprocessed else crossed[name]
            encoder = self.one_hot_encoders.get(name)
            if encoder is not None:
                value = encoder(value)
            elif spec.output_mode == "int" and self.output_mode == "concat":
                raise ValueError(
                    f"Cannot concatenate features because feature '{name}' has "
                    "not been encoded. Consider using `output_mode='dict'`."
                )
            outputs[name] = value
        if self.output_mode == "dict":
            return outputs
        return ops.concatenate([ops.cast(v, "float32") for v in outputs.values()], axis=-1)

    def get_inputs(self):
        """The symbolic `keras.Input`s of the features (dict name -> Input of shape (1,))."""
        self._build_encoders()
        if self.inputs is None:
            from unikeras.layers import Input

            self.inputs = {
                name: Input(shape=(1,), dtype=f.dtype, name=name)
                for name, f in self.features.items()
            }
        return self.inputs

    def get_encoded_features(self):
        """The encoded features as symbolic tensors of `get_inputs()` (for a Functional model)."""
        self._build_encoders()
        if self.encoded_features is None:
            self.encoded_features = self._encode(self.get_inputs())
        return self.encoded_features

    def __call__(self, data):
        # inside a `tf.data` map of a program that imported TensorFlow after unikeras,
        # AutoGraph must leave the rest of unikeras alone (converting it took minutes)
        keep_unikeras_unconverted()
        self._build_encoders()
        if not isinstance(data, dict):
            raise ValueError(
                "A FeatureSpace can only be called with a dict. Received: "
                f"data={data} (of type {type(data)})"
            )
        missing = [name for name in self.features if name not in data]
        if missing:
            raise ValueError(
                f"FeatureSpace: the input dict lacks features {missing}. "
                f"Expected keys: {sorted(self.features)}"
            )
        # rank from the static shape: a `tf.data` map's tensors have unknown (None) dims
        rebatched = all(
            (len(data[n].shape) if hasattr(data[n], "shape") else np.ndim(data[n])) == 0
            for n in self.features
        )
        if any(is_tf_graph_tensor(data[n]) for n in self.features):
            # e.g. `dataset.map(lambda x, y: (feature_space(x), y))`: run on the host
            return self._call_in_tf_graph(data, rebatched)
        columns = {name: self._as_column(data[name], f.dtype) for name, f in self.features.items()}
        for name, f in self.features.items():
            if f.dtype != "string":
                columns[name] = ops.convert_to_tensor(
                    columns[name], dtype="int32" if f.dtype.startswith("int") else f.dtype
                )
        out = self._encode(columns)
        if rebatched:
            if self.output_mode == "concat":
                return ops.squeeze(out, axis=0)
            return {k: ops.squeeze(v, axis=0) for k, v in out.items()}
        return out

    def _call_in_tf_graph(self, data, rebatched):
        """`self(data)` on the graph tensors of a `tf.data` map or `tf.function`: one
        `tf.numpy_function` that runs the encoding on the host when the graph runs, with
        the static shapes and dtypes of `get_encoded_features()`, as Keras 3's FeatureSpace
        runs inside `tf.data` pipelines on every backend."""
        import tensorflow as tf  # only reached inside a TensorFlow graph

        names = list(self.features)
        encoded = self.get_encoded_features()
        keys = None if self.output_mode == "concat" else list(encoded)
        specs = [encoded] if keys is None else [encoded[k] for k in keys]

        def run(*values):
            result = self(dict(zip(names, values)))
            result = [result] if keys is None else [result[k] for k in keys]
            return [np.asarray(to_host_array(r), dtype=s.dtype) for r, s in zip(result, specs)]

        outputs = tf.numpy_function(
            run,
            [tf.convert_to_tensor(data[n]) for n in names],
            [tf.as_dtype(s.dtype) for s in specs],
            stateful=False,
        )
        for output, spec in zip(outputs, specs):
            output.set_shape(tuple(spec.shape)[1:] if rebatched else tuple(spec.shape))
        return outputs[0] if keys is None else dict(zip(keys, outputs))

    # ---------------------------------------------------------------- config / saving

    def get_config(self):
        return {
            "features": {name: _feature_config(f) for name, f in self.features.items()},
            "output_mode": self.output_mode,
            "crosses": [_feature_config(c) for c in self.crosses],
            "crossing_dim": self.crossing_dim,
            "hashing_dim": self.hashing_dim,
            "num_discretization_bins": self.num_discretization_bins,
            "name": self.name,
        }

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def get_build_config(self):
        """Returns the state needed to rebuild the adapted preprocessors when loading."""
        return {
            name: f.preprocessor.get_build_config()
            for name, f in self.features.items()
            if hasattr(f.preprocessor, "get_build_config")
        }

    def build_from_config(self, config):
        for name, build_config in (config or {}).items():
            preprocessor = self.features[name].preprocessor
            if build_config and not preprocessor.built:
                preprocessor.build_from_config(build_config)
        self._is_adapted = True
        self.built = True

    def save(self, filepath):
        """Saves the FeatureSpace (config and adapted state) to a `.keras` file; reload it
        with `keras.models.load_model()`."""
        from unikeras.saving import saving_lib

        saving_lib.save_model(self, filepath)

    def save_own_variables(self, store):
        return

    def load_own_variables(self, store):
        return
