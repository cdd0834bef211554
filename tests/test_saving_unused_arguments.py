"""`_KERAS3_UNUSED_ARGUMENTS` (Keras 3 config keys dropped on load when they hold their unused
value) lists only arguments that some class carrying them in Keras 3.15.1 still lacks here;
the arguments we implement reach the constructor.
"""

import pytest

from unikeras import initializers, layers
from unikeras.saving import serialization
from unikeras.saving.serialization import _KERAS3_UNUSED_ARGUMENTS, _accepted_arguments

# Keras 3.15.1 classes whose configs carry each key (from Keras' sources).
KERAS3_CARRIERS = {
    "gptq_unpacked_column_size": [layers.EinsumDense],
    "sliding_window": [layers.MultiHeadAttention, layers.GroupedQueryAttention],
    "use_gate": [layers.MultiHeadAttention, layers.GroupedQueryAttention],
    "lora_alpha": [layers.Dense, layers.EinsumDense, layers.Embedding, layers.Conv2D],
    "quantization_config": [layers.Dense, layers.EinsumDense, layers.Embedding],
    "ragged": [layers.InputLayer],
    "input_axes": [initializers.GlorotUniform, initializers.HeNormal, initializers.VarianceScaling],
    "output_axes": [initializers.LecunUniform, initializers.VarianceScaling],
}


def test_only_unimplemented_arguments_are_listed():
    for key, classes in KERAS3_CARRIERS.items():
        missing = [cls.__name__ for cls in classes if key not in _accepted_arguments(cls)]
        if key in _KERAS3_UNUSED_ARGUMENTS:
            assert missing, f"{key} is implemented by {classes}: remove it from the list"
        else:
            assert not missing, f"{key} is not taken by {missing}"
    assert set(_KERAS3_UNUSED_ARGUMENTS) <= set(KERAS3_CARRIERS)


def test_implemented_arguments_reach_the_constructor():
    config = layers.Dense(3, lora_rank=2, lora_alpha=4.0).get_config()
    assert config["lora_alpha"] == 4.0
    restored = serialization.deserialize_keras_object(
        {"module": "keras.layers", "class_name": "Dense", "config": config}
    )
    assert restored.lora_alpha == 4.0
    # An unused Keras 3 argument at its unused value loads; any other value is refused.
    mha = layers.MultiHeadAttention(2, 4).get_config()
    loaded = serialization.deserialize_keras_object(
        {
            "module": "keras.layers",
            "class_name": "MultiHeadAttention",
            "config": {**mha, "use_gate": False, "sliding_window": None},
        }
    )
    assert loaded.num_heads == 2
    with pytest.raises((TypeError, ValueError), match="use_gate"):
        serialization.deserialize_keras_object(
            {
                "module": "keras.layers",
                "class_name": "MultiHeadAttention",
                "config": {**mha, "use_gate": True},
            }
        )
