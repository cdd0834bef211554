"""`Distiller`: a model that trains a student from labels and a frozen teacher."""

from unikeras import metrics, ops
from unikeras.distillation.distillation_loss import _as_loss, _sum_of
from unikeras.models.model import Model
from unikeras.saving.serialization import _deserialize_object, serialize_keras_object
from unikeras import tree

_FINAL = "final_output"


class Distiller(Model):
    """Knowledge distillation: trains `student` on the labels and on a frozen `teacher`.

    The training loss is `student_loss_weight * student_loss + (1 - student_loss_weight)
    * distillation_loss`, where the student loss is the loss given to `compile` and the
    distillation loss is the weighted sum of `distillation_losses`. Calling the distiller
    (and `predict`) runs the student. The logs report `student_loss`,
    `distillation_loss` and `total_loss` besides the compiled metrics.

    Args:
        teacher: A trained `keras.Model`; it is frozen (`trainable = False`).
        student: The `keras.Model` to train.
        distillation_losses: A `DistillationLoss` (e.g. `LogitsDistillation`,
            `FeatureDistillation`) or a list of them.
        distillation_loss_weights: One weight per distillation loss; `None` weighs each
            by 1.
        student_loss_weight: The share of the supervised loss, in [0, 1]. Defaults to 0.5.
        name: The model's name. Defaults to `"distiller"`.

    Examples:
        ```python
        distiller = keras.distillation.Distiller(
            teacher=teacher, student=student,
            distillation_losses=keras.distillation.LogitsDistillation(temperature=3.0))
        distiller.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        distiller.fit(x, y, epochs=3)
        trained = distiller.student
        ```
    """

    def __init__(
        self,
        teacher,
        student,
        distillation_losses,
        distillation_loss_weights=None,
        student_loss_weight=0.5,
        name="distiller",
        **kwargs,
    ):
        super().__init__(name=name, **kwargs)
        for role, model in (("teacher", teacher), ("student", student)):
            if not isinstance(model, Model):
                raise ValueError(
                    f"Distiller: `{role}` must be a keras.Model, got {type(model).__name__}."
                )
        if isinstance(student_loss_weight, bool) or not isinstance(
            student_loss_weight, (int, float)
        ):
            raise ValueError(
                f"Distiller: `student_loss_weight` must be a number, got {student_loss_weight!r}."
            )
        if not 0.0 <= student_loss_weight <= 1.0:
            raise ValueError(
                f"Distiller: `student_loss_weight` must be between 0 and 1, got "
                f"{student_loss_weight}."
            )
        if distillation_losses is None:
            raise ValueError(
                "Distiller: `distillation_losses` cannot be None; pass a "
                "distillation loss such as LogitsDistillation() or a list."
            )
        if isinstance(distillation_losses, (list, tuple)):
            distillation_losses = list(distillation_losses)
            if distillation_loss_weights is None:
                distillation_loss_weights = [1.0] * len(distillation_losses)
            elif len(distillation_loss_weights) != len(distillation_losses):
                raise ValueError(
                    f"Distiller: {len(distillation_loss_weights)} distillation_loss_weights "
                    f"for {len(distillation_losses)} distillation_losses; they must match."
                )
        else:
            distillation_losses = [distillation_losses]
            distillation_loss_weights = [1.0]
        for loss in distillation_losses:
            loss.validate_model_compatibility(teacher, student)
        self.teacher = teacher
        self.student = student
        self.student_loss_weight = student_loss_weight
        self.distillation_losses = distillation_losses
        self.distillation_loss_weights = list(distillation_loss_weights)
        self._teacher_features = self._feature_model(teacher, "teacher_layer_name")
        self._student_features = self._feature_model(student, "student_layer_name")
        self.teacher.trainable = False
        self.student_loss_tracker = metrics.Mean(name="student_loss")
        self.distillation_loss_tracker = metrics.Mean(name="distillation_loss")
        self.total_loss_tracker = metrics.Mean(name="total_loss")
        self._student_loss = None
        self._student_loss_config = None

    def _feature_model(self, model, attribute):
        """A model returning `{final_output, <layer name>: output}` for the layers the
        distillation losses read, or `None` when they read only final outputs."""
        names = []
        for loss in self.distillation_losses:
            name = getattr(loss, attribute, None)
            if name and name not in names:
                names.append(name)
        if not names:
            return None
        if getattr(model, "inputs", None) is None:
            raise ValueError(
                f"Distiller: cannot read layer outputs of the subclassed model "
                f"{model.name!r}; use a Functional or Sequential model."
            )
        outputs = {_FINAL: model.outputs[0] if len(model.outputs) == 1 else model.outputs}
        for name in names:
            outputs[name] = model.get_layer(name=name).output
        return Model(
            inputs=model.inputs, outputs=outputs, name=f"{model.name}_multi_feature_extractor"
        )

    def compile(self, optimizer="adam", loss=None, metrics=None, **kwargs):
        """Configures training.

        Args:
            optimizer: The optimizer of the student's weights.
            loss: The student's supervised loss (string, loss object, or a structure
                matching the student's outputs). Required.
            metrics: A list of metrics of the student's predictions.
            **kwargs: Passed to `Model.compile`.
        """
        if loss is None:
            raise ValueError(
                "Distiller.compile: `loss` (the student's supervised loss) cannot be None."
            )
        if metrics is not None and not isinstance(metrics, (list, tuple)):
            raise ValueError(
                f"Distiller.compile: `metrics` must be a list or tuple, got "
                f"{type(metrics).__name__}."
            )
        self._student_loss = tree.map_structure(_as_loss, loss)
        self._student_loss_config = loss
        super().compile(optimizer=optimizer, loss=None, metrics=metrics, **kwargs)

    def call(self, inputs, training=None):
        return self.student(inputs, training=training)

    def _features(self, extractor, model, x, y_pred, training):
        if extractor is None:
            return {_FINAL: y_pred if y_pred is not None else model(x, training=training)}
        return extractor(x, training=training)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        if y_pred is None:
            y_pred = self(x, training=training)
        student_loss = 0.0
        if self.student_loss_weight > 0.0 and y is not None:
            if tree.is_nested(self._student_loss):
                values = tree.map_structure(
                    lambda loss, t, p: loss(t, p), self._student_loss, y, y_pred
                )
            else:
                values = self._student_loss(y, y_pred)
            student_loss = _sum_of(values)
            if len(ops.shape(student_loss)):
                student_loss = ops.mean(student_loss)
        distillation_loss = 0.0
        if self.student_loss_weight < 1.0:
            teacher = self._features(self._teacher_features, self.teacher, x, None, False)
            student = self._features(
                self._student_features,
                self.student,
                x,
                y_pred if self._student_features is None else None,
                True,
            )
            for loss, weight in zip(self.distillation_losses, self.distillation_loss_weights):
                t_name = getattr(loss, "teacher_layer_name", None) or _FINAL
                s_name = getattr(loss, "student_layer_name", None) or _FINAL
                t_out = teacher[t_name]
                s_out = y_pred if s_name == _FINAL else student[s_name]
                loss.validate_outputs(t_out, s_out)
                value = loss.compute_loss(t_out, s_out)
                if len(ops.shape(value)):
                    raise ValueError(
                        f"Distillation loss {type(loss).__name__} returned a tensor of shape "
                        f"{tuple(ops.shape(value))}; `compute_loss` must return a scalar."
                    )
                distillation_loss = ops.add(distillation_loss, ops.multiply(weight, value))
        total = ops.add(
            ops.multiply(self.student_loss_weight, student_loss),
            ops.multiply(1.0 - self.student_loss_weight, distillation_loss),
        )
        self.student_loss_tracker.update_state(student_loss)
        self.distillation_loss_tracker.update_state(distillation_loss)
        self.total_loss_tracker.update_state(total)
        return total

    def get_config(self):
        return {
            "name": self.name,
            "teacher": serialize_keras_object(self.teacher),
            "student": serialize_keras_object(self.student),
            "distillation_losses": [
                serialize_keras_object(loss) for loss in self.distillation_losses
            ],
            "distillation_loss_weights": self.distillation_loss_weights,
            "student_loss_weight": self.student_loss_weight,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=True):
        config = dict(config)
        for key in ("teacher", "student"):
            config[key] = _deserialize_object(config[key], custom_objects, safe_mode)
        config["distillation_losses"] = [
            _deserialize_object(loss, custom_objects, safe_mode)
            for loss in config["distillation_losses"]
        ]
        return cls(**config)
