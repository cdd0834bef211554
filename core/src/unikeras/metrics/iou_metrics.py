"""Intersection-over-union metrics for segmentation, from an accumulated confusion matrix
(rows: true class, columns: predicted class)."""

import warnings

from unikeras import backend, ops
from unikeras.metrics.metric import Metric


def confusion_matrix(labels, predictions, num_classes, weights, dtype):
    """The `(num_classes, num_classes)` matrix of summed `weights` per (label, prediction)
    pair; ids outside `[0, num_classes)` count nowhere (their weights are zero)."""
    true_hot = ops.one_hot(ops.cast(labels, "int32"), num_classes, dtype=dtype)
    pred_hot = ops.one_hot(ops.cast(predictions, "int32"), num_classes, dtype=dtype)
    return ops.matmul(ops.transpose(true_hot * ops.expand_dims(weights, -1)), pred_hot)


class IoU(Metric):
    """Mean over `target_class_ids` of `TP / (TP + FP + FN)` per class.

    Classes that never occur (neither as label nor as prediction) are left out of the mean.

    Args:
        num_classes: Number of classes.
        target_class_ids: Class ids whose IoU is averaged.
        name: Name of the metric instance.
        dtype: Dtype of the confusion matrix (and of the inputs it counts); `None`
            (default) is `"int"`, Keras 3's integer width for the backend (`int64` on
            TensorFlow, `int32` elsewhere), so float sample weights are truncated (with a
            warning). The result is always `float32`.
        ignore_class: Optional label whose entries are not counted.
        sparse_y_true: Whether labels are class ids (else one-hot / scores along `axis`).
        sparse_y_pred: Whether predictions are class ids (else scores along `axis`).
        axis: The class axis of non-sparse inputs.
    """

    def __init__(
        self,
        num_classes,
        target_class_ids,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(name=name, dtype=dtype or "int")
        self.num_classes = num_classes
        self.target_class_ids = list(target_class_ids)
        if max(self.target_class_ids, default=0) >= num_classes:
            raise ValueError(
                f"Target class id {max(self.target_class_ids)} is out of range, which is "
                f"[0, {num_classes})."
            )
        self.ignore_class = ignore_class
        self.sparse_y_true = sparse_y_true
        self.sparse_y_pred = sparse_y_pred
        self.axis = axis
        self.total_cm = self.add_variable(
            (num_classes, num_classes), "zeros", dtype=self.dtype, name="total_confusion_matrix"
        )

    def update_state(self, y_true, y_pred, sample_weight=None):
        if not self.sparse_y_true:
            y_true = ops.argmax(y_true, axis=self.axis)
        if not self.sparse_y_pred:
            y_pred = ops.argmax(y_pred, axis=self.axis)
        y_true = ops.reshape(ops.convert_to_tensor(y_true, dtype=self.dtype), (-1,))
        y_pred = ops.reshape(ops.convert_to_tensor(y_pred, dtype=self.dtype), (-1,))
        if sample_weight is None:
            weights = ops.ones_like(y_true)
        else:
            if backend.is_float_dtype(
                getattr(sample_weight, "dtype", "float32")
            ) and backend.is_int_dtype(self.dtype):
                warnings.warn(
                    f"{type(self).__name__} ({self.name!r}): float `sample_weight` with an "
                    f"integer metric dtype ({self.dtype}) is truncated to integers; pass "
                    "integer weights or a float `dtype`.",
                    stacklevel=2,
                )
            weights = ops.reshape(ops.convert_to_tensor(sample_weight, dtype=self.dtype), (-1,))
        weights = ops.broadcast_to(weights, ops.shape(y_true))
        # Ids outside [0, num_classes) (and `ignore_class` labels) count nowhere, as in Keras 3.
        counted = ops.logical_and(
            ops.logical_and(ops.greater_equal(y_true, 0), ops.less(y_true, self.num_classes)),
            ops.logical_and(ops.greater_equal(y_pred, 0), ops.less(y_pred, self.num_classes)),
        )
        if self.ignore_class is not None:
            counted = ops.logical_and(counted, ops.not_equal(y_true, self.ignore_class))
        weights = ops.where(counted, weights, ops.zeros_like(weights))
        y_true = ops.where(counted, y_true, ops.zeros_like(y_true))
        y_pred = ops.where(counted, y_pred, ops.zeros_like(y_pred))
        self.total_cm.assign_add(
            confusion_matrix(y_true, y_pred, self.num_classes, weights, self.dtype)
        )
        # The updated confusion matrix, as Keras 3 returns it.
        return self.total_cm.value

    def result(self):
        # float32 whatever `dtype` is, as Keras 3 computes it.
        cm = self.total_cm.value
        true_positives = ops.diagonal(cm)
        union = ops.sum(cm, axis=0) + ops.sum(cm, axis=1) - true_positives
        ids = ops.convert_to_tensor(self.target_class_ids, dtype="int32")
        true_positives = ops.cast(ops.take(true_positives, ids), "float32")
        union = ops.cast(ops.take(union, ids), "float32")
        present = ops.sum(ops.cast(union > 1e-9, "float32"))
        iou = true_positives / (union + backend.epsilon())
        return ops.sum(iou) / (present + backend.epsilon())

    def get_config(self):
        return {
            **super().get_config(),
            "num_classes": self.num_classes,
            "target_class_ids": self.target_class_ids,
            "ignore_class": self.ignore_class,
            "sparse_y_true": self.sparse_y_true,
            "sparse_y_pred": self.sparse_y_pred,
            "axis": self.axis,
        }


class MeanIoU(IoU):
    """Mean intersection-over-union `TP / (TP + FP + FN)` over all `num_classes` classes.

    Args:
        num_classes: Number of classes.
        name: Name of the metric instance; `None` (default) derives one from the class name.
        dtype: Dtype of the confusion matrix; `None` (default) is `"int"` (see `IoU`).
            The result is always `float32`.
        ignore_class: Optional label whose entries are not counted (default `None`).
        sparse_y_true: Whether labels are class ids (default `True`), else one-hot or scores along
            `axis`.
        sparse_y_pred: Whether predictions are class ids (default `True`), else scores along `axis`.
        axis: The class axis of non-sparse inputs (default `-1`).
    """

    def __init__(
        self,
        num_classes,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_true=True,
        sparse_y_pred=True,
        axis=-1,
    ):
        super().__init__(
            num_classes,
            list(range(num_classes)),
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=sparse_y_true,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self):
        config = super().get_config()
        del config["target_class_ids"]
        return config


class BinaryIoU(IoU):
    """IoU of binary data: predictions `>= threshold` are class 1.

    Args:
        target_class_ids: Which of classes 0 and 1 to average (default both).
        threshold: Decision threshold on predictions (default 0.5).
        name: Name of the metric instance.
        dtype: Dtype of the confusion matrix; `None` (default) is `"int"` (see `IoU`).
            The result is always `float32`.
    """

    def __init__(self, target_class_ids=(0, 1), threshold=0.5, name=None, dtype=None):
        super().__init__(2, target_class_ids, name=name, dtype=dtype)
        self.threshold = threshold

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = ops.cast(
            ops.greater_equal(ops.convert_to_tensor(y_pred), self.threshold), self.dtype
        )
        return super().update_state(y_true, y_pred, sample_weight)

    def get_config(self):
        return {
            "name": self.name,
            "dtype": self._dtype_policy.name,
            "target_class_ids": self.target_class_ids,
            "threshold": self.threshold,
        }


class OneHotIoU(IoU):
    """IoU of one-hot labels and class scores, averaged over `target_class_ids`.

    Args:
        num_classes: Number of classes.
        target_class_ids: Class ids whose IoU is averaged.
        name: Name of the metric instance; `None` (default) derives one from the class name.
        dtype: Dtype of the confusion matrix; `None` (default) is `"int"` (see `IoU`).
            The result is always `float32`.
        ignore_class: Optional label whose entries are not counted (default `None`).
        sparse_y_pred: Whether predictions are class ids (default `False`: scores along `axis`);
            labels are always one-hot.
        axis: The class axis of non-sparse inputs (default `-1`).
    """

    def __init__(
        self,
        num_classes,
        target_class_ids,
        name=None,
        dtype=None,
        ignore_class=None,
        sparse_y_pred=False,
        axis=-1,
    ):
        super().__init__(
            num_classes,
            target_class_ids,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self):
        config = super().get_config()
        del config["sparse_y_true"]
        return config


class OneHotMeanIoU(MeanIoU):
    """Mean IoU over all classes, for one-hot labels and class scores.

    Args:
        num_classes: Number of classes.
        name: Name of the metric instance; `None` (default) derives one from the class name.
        dtype: Dtype of the confusion matrix; `None` (default) is `"int"` (see `IoU`).
            The result is always `float32`.
        ignore_class: Optional label whose entries are not counted (default `None`).
        sparse_y_pred: Whether predictions are class ids (default `False`: scores along `axis`);
            labels are always one-hot.
        axis: The class axis of non-sparse inputs (default `-1`).
    """

    def __init__(
        self, num_classes, name=None, dtype=None, ignore_class=None, sparse_y_pred=False, axis=-1
    ):
        super().__init__(
            num_classes,
            name=name,
            dtype=dtype,
            ignore_class=ignore_class,
            sparse_y_true=False,
            sparse_y_pred=sparse_y_pred,
            axis=axis,
        )

    def get_config(self):
        config = super().get_config()
        del config["sparse_y_true"]
        return config
