"""Losses that compare a teacher's outputs (or intermediate features) with a student's."""

from unikeras import losses as losses_module
from unikeras import ops
from unikeras import tree


def _as_loss(identifier):
    """A loss callable from a string, a loss object or `None` (kept: skip that output)."""
    if identifier is None:
        return None
    if isinstance(identifier, str):
        loss = losses_module.get(identifier)
        if loss is None:
            raise ValueError(f"Unknown loss function: {identifier!r}.")
        return loss
    if not callable(identifier):
        raise ValueError(f"Expected a loss (string, loss object or function), got {identifier!r}.")
    return identifier


def _losses_of(loss, owner):
    converted = tree.map_structure(_as_loss, loss)
    if all(item is None for item in tree.flatten(converted)):
        raise ValueError(
            f"The `loss` argument of `{owner}` must contain at least one "
            f"loss that is not `None`, got {loss!r}."
        )
    return converted


def _is_kl_divergence(loss):
    return loss is losses_module.kl_divergence or isinstance(loss, losses_module.KLDivergence)


def _sum_of(values):
    values = [ops.convert_to_tensor(v, "float32") for v in tree.flatten(values)]
    return ops.sum(ops.stack(values)) if len(values) > 1 else values[0]


class DistillationLoss:
    """Base class of distillation losses: how a teacher's outputs teach a student.

    Subclasses override `compute_loss(teacher_outputs, student_outputs)` and may override
    `validate_outputs` and `validate_model_compatibility`.
    """

    def compute_loss(self, teacher_outputs, student_outputs, **kwargs):
        """Returns the scalar distillation loss between teacher and student outputs.

        Args:
            teacher_outputs: The teacher's outputs (a tensor or a structure of tensors).
            student_outputs: The student's outputs, with the same structure.
            **kwargs: Extra arguments for custom losses.

        Returns:
            A scalar tensor.
        """
        raise NotImplementedError(
            f"{type(self).__name__} must implement `compute_loss(teacher_outputs, "
            "student_outputs)`."
        )

    def validate_outputs(self, teacher_outputs, student_outputs):
        """Raises `ValueError` when teacher and student outputs differ in structure."""
        tree.assert_same_structure(teacher_outputs, student_outputs)

    def validate_model_compatibility(self, teacher, student):
        """Raises `ValueError` when this loss cannot be used with these two models."""

    def get_config(self):
        """Returns the loss' config: a JSON-able dict of its constructor arguments."""
        return {}

    @classmethod
    def from_config(cls, config):
        """Creates the loss from its config (the output of `get_config`)."""
        return cls(**config)


class FeatureDistillation(DistillationLoss):
    """Matches a student layer's output to a teacher layer's output.

    Args:
        loss: The loss comparing the features: a string (`"mse"`, `"cosine_similarity"`,
            ...), a loss object, or a structure of them matching the outputs, where `None`
            skips an output. Defaults to `"mse"`.
        teacher_layer_name: The teacher layer whose output is the target; `None` uses the
            teacher's final output.
        student_layer_name: The student layer whose output is compared; `None` uses the
            student's final output.
    """

    def __init__(self, loss="mse", teacher_layer_name=None, student_layer_name=None):
        self.teacher_layer_name = teacher_layer_name
        self.student_layer_name = student_layer_name
        self._loss_config = loss
        self.loss = _losses_of(loss, "FeatureDistillation")

    def validate_model_compatibility(self, teacher, student):
        if self.teacher_layer_name is None and self.student_layer_name is None:
            return
        for role, model, name in (
            ("teacher", teacher, self.teacher_layer_name),
            ("student", student, self.student_layer_name),
        ):
            if getattr(model, "inputs", None) is None:
                raise ValueError(
                    f"FeatureDistillation with layer names needs Functional or Sequential "
                    f"models: the {role} model {model.name!r} is subclassed (it has no "
                    "symbolic inputs). Distill final outputs instead (no layer names) or use "
                    "LogitsDistillation."
                )
            if name is not None:
                try:
                    model.get_layer(name=name)
                except ValueError as error:
                    raise ValueError(f"In the {role} model: {error}") from None

    def validate_outputs(self, teacher_outputs, student_outputs):
        super().validate_outputs(teacher_outputs, student_outputs)
        if tree.is_nested(self.loss):
            try:
                tree.assert_same_structure(self.loss, teacher_outputs)
            except ValueError as error:
                raise ValueError(
                    f"FeatureDistillation: the structure of `loss` does not "
                    f"match the outputs: {error}"
                ) from None

    def compute_loss(self, teacher_outputs, student_outputs, **kwargs):
        def one(loss, teacher, student):
            return 0.0 if loss is None else ops.mean(loss(teacher, student))

        if not tree.is_nested(self.loss):
            return one(self.loss, teacher_outputs, student_outputs)
        return _sum_of(tree.map_structure(one, self.loss, teacher_outputs, student_outputs))

    def get_config(self):
        """Returns the config: the loss and the teacher and student layer names."""
        return {
            "loss": losses_module.serialize(self._loss_config)
            if not isinstance(self._loss_config, str)
            else self._loss_config,
            "teacher_layer_name": self.teacher_layer_name,
            "student_layer_name": self.student_layer_name,
        }

    @classmethod
    def from_config(cls, config):
        """Creates the loss from its config (the output of `get_config`)."""
        config = dict(config)
        loss = config.get("loss")
        if isinstance(loss, dict):
            config["loss"] = losses_module.deserialize(loss)
        return cls(**config)


class LogitsDistillation(DistillationLoss):
    """Matches the student's temperature-scaled logits to the teacher's.

    Both models' final outputs are divided by `temperature`. With KL divergence (the
    default) they are turned into probabilities with a softmax first and the loss is
    multiplied by `temperature ** 2`, as in Hinton et al.; any other loss compares the
    scaled logits directly.

    Args:
        temperature: A positive number; higher gives softer targets. Defaults to 3.0.
        loss: A string, loss object, or structure of them (with `None` to skip an output).
            Defaults to `"kl_divergence"`.
    """

    def __init__(self, temperature=3.0, loss="kl_divergence"):
        if isinstance(temperature, bool) or not isinstance(temperature, (int, float)):
            raise ValueError(
                f"LogitsDistillation: `temperature` must be a number, got {temperature!r}."
            )
        if temperature <= 0:
            raise ValueError(
                f"LogitsDistillation: `temperature` must be positive, got {temperature}."
            )
        self.temperature = temperature
        self._loss_config = loss
        self.loss = _losses_of(loss, "LogitsDistillation")

    def compute_loss(self, teacher_outputs, student_outputs, **kwargs):
        t = self.temperature

        def one(loss, teacher, student):
            if loss is None:
                return 0.0
            teacher, student = ops.divide(teacher, t), ops.divide(student, t)
            if _is_kl_divergence(loss):
                value = loss(ops.softmax(teacher, axis=-1), ops.softmax(student, axis=-1))
                return ops.mean(value) * (t * t)
            return ops.mean(loss(teacher, student))

        if not tree.is_nested(self.loss):
            return one(self.loss, teacher_outputs, student_outputs)
        return _sum_of(tree.map_structure(one, self.loss, teacher_outputs, student_outputs))

    def get_config(self):
        """Returns the config: the temperature and the loss."""
        return {
            "temperature": self.temperature,
            "loss": losses_module.serialize(self._loss_config)
            if not isinstance(self._loss_config, str)
            else self._loss_config,
        }

    @classmethod
    def from_config(cls, config):
        """Creates the loss from its config (the output of `get_config`)."""
        config = dict(config)
        if isinstance(config.get("loss"), dict):
            config["loss"] = losses_module.deserialize(config["loss"])
        return cls(**config)
