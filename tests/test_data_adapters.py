"""Data adapters and the epoch iterator: every input type becomes batches."""

import sys
import threading

import numpy as np
import pytest

import unikeras as keras
from unikeras.trainers import data_adapters
from unikeras.trainers.data_adapters import data_adapter_utils as utils
from unikeras.trainers.epoch_iterator import EpochIterator
from trainer_models import MeanModel, regression_data


def _batches(adapter):
    return list(adapter.get_iterator())


def test_arrays_ragged_last_batch_and_structures():
    x, y = regression_data(10)
    adapter = data_adapters.get_data_adapter({"a": x, "b": [x, x]}, y, batch_size=4)
    assert adapter.num_batches == 3 and adapter.batch_size == 4
    batches = _batches(adapter)
    assert [len(b[1]) for b in batches] == [4, 4, 2]
    np.testing.assert_array_equal(batches[2][0]["b"][1], x[8:])
    assert len(batches[0]) == 2  # (x, y): no sample weights


def test_array_shuffle_modes():
    x, y = regression_data(12)
    full = _batches(data_adapters.get_data_adapter(x, y, batch_size=12, shuffle=True))[0][1]
    assert sorted(full.tolist()) == y.tolist() and not np.array_equal(full, y)
    chunks = _batches(data_adapters.get_data_adapter(x, y, batch_size=3, shuffle="batch"))
    assert all(np.array_equal(np.diff(b[1]), [1, 1]) and b[1][0] % 3 == 0 for b in chunks)
    with pytest.raises(ValueError, match="shuffle"):
        data_adapters.get_data_adapter(x, y, shuffle="yes")


def test_mismatched_sample_counts():
    with pytest.raises(ValueError, match="same number of samples"):
        data_adapters.get_data_adapter(np.zeros((3, 1)), np.zeros(4))


def test_generators_and_iterators():
    x, y = regression_data(4)
    adapter = data_adapters.get_data_adapter(iter([(x[:2], y[:2]), (x[2:], y[2:])]))
    assert adapter.num_batches is None
    assert [len(b[1]) for b in _batches(adapter)] == [2, 2]
    with pytest.raises(ValueError, match="do not pass `y`"):
        data_adapters.get_data_adapter(iter([]), y)


class Squares(keras.utils.PyDataset):
    def __init__(self, batches, **kwargs):
        super().__init__(**kwargs)
        self.batches = batches
        self.epochs_ended = 0
        self.threads = set()

    def __len__(self):
        return self.batches

    def __getitem__(self, index):
        self.threads.add(threading.get_ident())
        x = np.full((2, 1), index, "float32")
        return x, x[:, 0] ** 2

    def on_epoch_end(self):
        self.epochs_ended += 1


@pytest.mark.parametrize("workers", [1, 3])
def test_py_dataset_in_order_with_workers(workers):
    dataset = Squares(7, workers=workers, max_queue_size=2)
    batches = _batches(data_adapters.get_data_adapter(dataset))
    assert [b[1][0] for b in batches] == [i * i for i in range(7)]
    in_main_thread = dataset.threads == {threading.get_ident()}
    assert in_main_thread == (workers == 1)


def test_py_dataset_in_fit_calls_epoch_hooks():
    dataset = Squares(5)
    model = MeanModel()
    model.compile(optimizer=None)
    model.fit(dataset, epochs=2, verbose=0)
    assert dataset.epochs_ended == 2
    assert len(model.seen) == 10
    first_epoch = [float(x[0, 0]) for x, _, _ in model.seen[:5]]
    assert sorted(first_epoch) == [0, 1, 2, 3, 4]


def test_class_weight_to_sample_weights():
    weights = {0: 0.5, 2: 3.0}
    np.testing.assert_allclose(
        utils.class_weight_to_sample_weights(np.array([0, 1, 2]), weights), [0.5, 1, 3]
    )
    np.testing.assert_allclose(
        utils.class_weight_to_sample_weights(np.eye(3)[[2, 0]], weights), [3.0, 0.5]
    )
    np.testing.assert_allclose(
        utils.class_weight_to_sample_weights(np.array([[2], [1]]), weights), [3.0, 1.0]
    )
    with pytest.raises(ValueError, match="single output"):
        utils.class_weight_to_sample_weights([np.zeros(2), np.zeros(2)], weights)
    with pytest.raises(ValueError, match="cannot be used together"):
        utils.apply_class_weight((np.zeros(2), np.zeros(2), np.ones(2)), weights)


def test_unpack_and_pack():
    x, y, w = np.zeros(1), np.ones(1), np.full(1, 2.0)
    assert keras.utils.unpack_x_y_sample_weight(x) == (x, None, None)
    assert keras.utils.unpack_x_y_sample_weight((x,)) == (x, None, None)
    assert keras.utils.unpack_x_y_sample_weight([x, y]) == (x, y, None)
    assert keras.utils.unpack_x_y_sample_weight((x, y, w)) == (x, y, w)
    with pytest.raises(ValueError, match="4 entries"):
        keras.utils.unpack_x_y_sample_weight((x, y, w, w))
    assert keras.utils.pack_x_y_sample_weight(x) is x
    assert keras.utils.pack_x_y_sample_weight([x, x]) == ([x, x],)
    assert keras.utils.pack_x_y_sample_weight(x, y) == (x, y)
    assert keras.utils.pack_x_y_sample_weight(x, y, w) == (x, y, w)


def test_train_validation_split():
    x, y = regression_data(10)
    (tx, ty, tw), (vx, vy, vw) = utils.train_validation_split((x, y, None), 0.3)
    assert ty.tolist() == list(range(7)) and vy.tolist() == [7, 8, 9]
    assert tw is None and vw is None and vx.shape == (3, 3)
    with pytest.raises(ValueError, match="only supported for arrays"):
        utils.train_validation_split((iter([]), None, None), 0.5)


def test_epoch_iterator_groups_executions_and_continues_across_epochs():
    x, y = regression_data(10)
    iterator = EpochIterator(x, y, batch_size=2, steps_per_execution=2)
    assert [(a, b, len(c)) for a, b, c in iterator.enumerate_epoch()] == [
        (0, 1, 2),
        (2, 3, 2),
        (4, 4, 1),
    ]
    generator = ((x[i : i + 1], y[i : i + 1]) for i in range(10))
    iterator = EpochIterator(generator, steps_per_epoch=3)
    first = [float(c[0][1][0]) for _, _, c in iterator.enumerate_epoch()]
    second = [float(c[0][1][0]) for _, _, c in iterator.enumerate_epoch()]
    assert (first, second) == ([0, 1, 2], [3, 4, 5])
    peeked = EpochIterator(x, y, batch_size=5)
    assert peeked.peek()[1].tolist() == [0, 1, 2, 3, 4]
    assert len(list(peeked.enumerate_epoch())) == 2


class DataLoader:
    """A stand-in recognised like `torch.utils.data.DataLoader` (by its type's module)."""

    __module__ = "torch.utils.data.dataloader"
    batch_size = 2

    def __init__(self, batches):
        self.batches = batches

    def __len__(self):
        return len(self.batches)

    def __iter__(self):
        return iter(self.batches)


def test_engine_datasets_are_recognised_without_importing_engines():
    before = {"torch", "tensorflow"} & set(sys.modules)
    x, y = regression_data(4)
    assert not utils.is_tf_dataset(x) and not utils.is_torch_dataloader(x)
    loader = DataLoader([(x[:2], y[:2]), (x[2:], y[2:])])
    adapter = data_adapters.get_data_adapter(loader)
    assert type(adapter).__name__ == "TorchDataLoaderAdapter"
    assert adapter.num_batches == 2 and adapter.batch_size == 2
    assert [b[1].tolist() for b in _batches(adapter)] == [[0, 1], [2, 3]]
    assert ({"torch", "tensorflow"} & set(sys.modules)) == before


def test_tf_dataset_when_tensorflow_is_installed():
    tf = pytest.importorskip("tensorflow", reason="tf.data needs TensorFlow installed")
    x, y = regression_data(5)
    dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(2)
    adapter = data_adapters.get_data_adapter(dataset)
    assert adapter.num_batches == 3
    assert [len(b[1]) for b in _batches(adapter)] == [2, 2, 1]


def test_torch_data_loader_when_torch_is_installed():
    torch = pytest.importorskip("torch", reason="DataLoader needs PyTorch installed")
    x, y = regression_data(5)
    dataset = torch.utils.data.TensorDataset(torch.tensor(x), torch.tensor(y))
    model = MeanModel()
    model.compile(optimizer=None)
    model.fit(torch.utils.data.DataLoader(dataset, batch_size=2), verbose=0)
    assert [len(batch_y) for _, batch_y, _ in model.seen] == [2, 2, 1]
