"""keras.distillation: distillation losses against NumPy, and a Distiller that trains.

On purpose unlike Keras 3.15.1's code (and like its docs and the literature):
`LogitsDistillation()`'s default `"kl_divergence"` compares softmax probabilities of the
temperature-scaled logits and scales by temperature**2; Keras resolves the string to the
function and then skips its KL branch, comparing raw scaled logits.
"""

import numpy as np
import pytest

import unikeras as keras
from unikeras import layers
from unikeras.backend import table
from unikeras.distillation import (
    DistillationLoss,
    Distiller,
    FeatureDistillation,
    LogitsDistillation,
)

TRAINS = table.backend_info()["training"]
needs_training = pytest.mark.skipif(
    not TRAINS, reason="inference-only backend: fit raises by design"
)


def _softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _kl(p, q):
    p, q = np.clip(p, 1e-7, 1), np.clip(q, 1e-7, 1)
    return (p * np.log(p / q)).sum(axis=-1)


def _mlp(units, name, seed):
    keras.utils.set_random_seed(seed)
    inputs = keras.Input((6,))
    hidden = layers.Dense(units, activation="relu", name="hidden")(inputs)
    outputs = layers.Dense(3, name="logits")(hidden)
    return keras.Model(inputs, outputs, name=name)


def test_logits_distillation_kl_matches_numpy():
    rng = np.random.default_rng(0)
    teacher, student = rng.normal(size=(2, 5, 3)).astype("float32")
    for temperature in (1.0, 3.0):
        loss = LogitsDistillation(temperature=temperature)
        got = keras.ops.convert_to_numpy(loss.compute_loss(teacher, student))
        expected = (
            _kl(_softmax(teacher / temperature), _softmax(student / temperature)).mean()
            * temperature**2
        )
        np.testing.assert_allclose(got, expected, rtol=1e-5)


def test_logits_distillation_other_losses_compare_scaled_logits():
    rng = np.random.default_rng(1)
    teacher, student = rng.normal(size=(2, 4, 3)).astype("float32")
    got = LogitsDistillation(temperature=2.0, loss="mse").compute_loss(teacher, student)
    expected = (((teacher - student) / 2.0) ** 2).mean()
    np.testing.assert_allclose(keras.ops.convert_to_numpy(got), expected, rtol=1e-5)
    # A structure of losses, None skipping an output.
    two = LogitsDistillation(temperature=2.0, loss=["mae", None])
    got = two.compute_loss([teacher, teacher], [student, teacher * 7])
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(got), np.abs((teacher - student) / 2.0).mean(), rtol=1e-5
    )


def test_feature_distillation_matches_numpy():
    rng = np.random.default_rng(2)
    teacher, student = rng.normal(size=(2, 4, 8)).astype("float32")
    got = FeatureDistillation().compute_loss(teacher, student)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(got), ((teacher - student) ** 2).mean(), rtol=1e-5
    )
    cosine = FeatureDistillation(loss="cosine_similarity").compute_loss(teacher, student)
    t = teacher / np.linalg.norm(teacher, axis=-1, keepdims=True)
    s = student / np.linalg.norm(student, axis=-1, keepdims=True)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(cosine), -(t * s).sum(-1).mean(), rtol=1e-5
    )


def test_bad_arguments_are_refused_clearly():
    with pytest.raises(ValueError, match="temperature"):
        LogitsDistillation(temperature=0)
    with pytest.raises(ValueError, match="at least one"):
        FeatureDistillation(loss=[None, None])
    with pytest.raises(ValueError, match="no_such_loss"):
        LogitsDistillation(loss="no_such_loss")
    teacher, student = _mlp(8, "teacher", 0), _mlp(4, "student", 1)
    with pytest.raises(ValueError, match="between 0 and 1"):
        Distiller(teacher, student, LogitsDistillation(), student_loss_weight=1.5)
    with pytest.raises(ValueError, match="must match"):
        Distiller(
            teacher,
            student,
            [LogitsDistillation(), FeatureDistillation()],
            distillation_loss_weights=[1.0],
        )
    with pytest.raises(ValueError, match="no_such_layer"):
        Distiller(teacher, student, FeatureDistillation(teacher_layer_name="no_such_layer"))
    with pytest.raises(ValueError, match="cannot be None"):
        Distiller(teacher, student, None)
    with pytest.raises(NotImplementedError, match="compute_loss"):
        DistillationLoss().compute_loss(1.0, 1.0)


def test_distiller_loss_is_the_weighted_sum():
    teacher, student = _mlp(8, "teacher", 0), _mlp(4, "student", 1)
    feature = FeatureDistillation(teacher_layer_name="logits", student_layer_name="logits")
    distiller = Distiller(
        teacher,
        student,
        [LogitsDistillation(temperature=2.0), feature],
        distillation_loss_weights=[1.0, 0.25],
        student_loss_weight=0.3,
    )
    distiller.compile(
        optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    )
    rng = np.random.default_rng(3)
    x = rng.normal(size=(5, 6)).astype("float32")
    y = rng.integers(0, 3, size=(5,))
    t = keras.ops.convert_to_numpy(teacher(x))
    s = keras.ops.convert_to_numpy(student(x))
    got = distiller.compute_loss(x, y, student(x), training=False)
    student_loss = -np.log(_softmax(s)[np.arange(5), y]).mean()
    logits_loss = _kl(_softmax(t / 2), _softmax(s / 2)).mean() * 4
    feature_loss = ((t - s) ** 2).mean()
    expected = 0.3 * student_loss + 0.7 * (logits_loss + 0.25 * feature_loss)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(got), expected, rtol=1e-4)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(distiller(x)), s, rtol=1e-6)


def test_config_round_trip():
    teacher, student = _mlp(8, "teacher", 0), _mlp(4, "student", 1)
    distiller = Distiller(
        teacher,
        student,
        [
            LogitsDistillation(temperature=4.0, loss="mse"),
            FeatureDistillation(
                loss="mae", teacher_layer_name="hidden", student_layer_name="hidden"
            ),
        ],
        distillation_loss_weights=[1.0, 0.5],
        student_loss_weight=0.2,
    )
    config = keras.saving.serialize_keras_object(distiller)
    clone = keras.saving.deserialize_keras_object(config)
    assert isinstance(clone, Distiller)
    assert clone.student_loss_weight == 0.2
    assert clone.distillation_loss_weights == [1.0, 0.5]
    assert clone.distillation_losses[0].temperature == 4.0
    assert clone.distillation_losses[1].teacher_layer_name == "hidden"
    assert [type(l) for l in clone.distillation_losses] == [LogitsDistillation, FeatureDistillation]
    assert clone.teacher.get_config() == teacher.get_config()


@needs_training
def test_distiller_trains_the_student_only():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(128, 6)).astype("float32")
    y = (x[:, 0] > 0).astype("int32") + (x[:, 1] > 0.5).astype("int32")
    teacher = _mlp(16, "teacher", 0)
    teacher.compile(
        optimizer=keras.optimizers.Adam(0.02),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    teacher.fit(x, y, epochs=6, batch_size=32, verbose=0)
    teacher_weights = [w.copy() for w in teacher.get_weights()]
    student = _mlp(4, "student", 1)
    student_before = [w.copy() for w in student.get_weights()]
    distiller = Distiller(
        teacher, student, LogitsDistillation(temperature=3.0), student_loss_weight=0.5
    )
    distiller.compile(
        optimizer=keras.optimizers.Adam(0.02),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    history = distiller.fit(x, y, epochs=5, batch_size=32, verbose=0)
    logs = history.history
    for key in ("student_loss", "distillation_loss", "total_loss", "accuracy"):
        assert key in logs, logs.keys()
    assert logs["total_loss"][-1] < logs["total_loss"][0]
    assert logs["distillation_loss"][-1] < logs["distillation_loss"][0]
    for before, after in zip(teacher_weights, teacher.get_weights()):
        np.testing.assert_array_equal(before, after)
    assert any(not np.allclose(b, a) for b, a in zip(student_before, student.get_weights()))
    assert teacher.trainable_weights == []
