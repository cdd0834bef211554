"""Callbacks in the shared training loop (numpy backend: models override `train_step`)."""

import csv
import os
import signal
import subprocess
import sys
import textwrap

import pytest

import unikeras as keras
from unikeras import callbacks
from trainer_models import LearningRateHolder, MeanModel, ScriptedModel, regression_data


class Recorder(callbacks.Callback):
    """Records every hook call as `(hook name, index)`."""

    def __init__(self):
        super().__init__()
        self.calls = []


def _recording(hook):
    def record(self, *args, logs=None):
        self.calls.append((hook,) + args)

    return record


for _hook in (
    "on_train_begin",
    "on_train_end",
    "on_epoch_begin",
    "on_epoch_end",
    "on_train_batch_begin",
    "on_train_batch_end",
    "on_test_begin",
    "on_test_end",
    "on_test_batch_begin",
    "on_test_batch_end",
    "on_predict_begin",
    "on_predict_end",
    "on_predict_batch_begin",
    "on_predict_batch_end",
):
    setattr(Recorder, _hook, _recording(_hook))


def _fit(model, epochs, callback_list, validation=True, **kwargs):
    model.compile(optimizer=kwargs.pop("optimizer", None))
    x, y = regression_data(4)
    return model.fit(
        x,
        y,
        batch_size=2,
        epochs=epochs,
        verbose=kwargs.pop("verbose", 0),
        validation_data=(x, y) if validation else None,
        validation_batch_size=4,
        callbacks=callback_list,
        **kwargs,
    )


def test_call_order():
    recorder = Recorder()
    model = MeanModel()
    _fit(model, 2, [recorder])
    epoch = [
        ("on_train_batch_begin", 0),
        ("on_train_batch_end", 0),
        ("on_train_batch_begin", 1),
        ("on_train_batch_end", 1),
        ("on_test_begin",),
        ("on_test_batch_begin", 0),
        ("on_test_batch_end", 0),
        ("on_test_end",),
    ]
    assert recorder.calls == (
        [("on_train_begin",), ("on_epoch_begin", 0)]
        + epoch
        + [("on_epoch_end", 0), ("on_epoch_begin", 1)]
        + epoch
        + [("on_epoch_end", 1), ("on_train_end",)]
    )
    recorder.calls.clear()
    model.predict(regression_data(3)[0], batch_size=2, verbose=0, callbacks=[recorder])
    assert recorder.calls == [
        ("on_predict_begin",),
        ("on_predict_batch_begin", 0),
        ("on_predict_batch_end", 0),
        ("on_predict_batch_begin", 1),
        ("on_predict_batch_end", 1),
        ("on_predict_end",),
    ]


def test_callbacks_receive_model_params_and_float_logs():
    seen = {}

    class Check(callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.update(params=self.params, model=self.model, logs=dict(logs))

    model = MeanModel()
    _fit(model, 3, [Check()])
    assert seen["params"] == {"verbose": 0, "epochs": 3, "steps": 2}
    assert seen["model"] is model
    assert set(seen["logs"]) == {"loss", "w", "val_loss"}
    assert all(type(v) is float for v in seen["logs"].values())


def test_early_stopping_patience_and_restore_best_weights():
    model = ScriptedModel(train=[5, 4, 3, 2, 1, 0], val=[3.0, 1.0, 2.0, 2.5, 0.5, 0.1])
    stopper = callbacks.EarlyStopping(patience=2, restore_best_weights=True)
    history = _fit(model, 6, [stopper])
    assert history.epoch == [0, 1, 2, 3]
    assert stopper.stopped_epoch == 3 and stopper.best_epoch == 1
    assert float(model.w.numpy()) == 1.0  # the weights after epoch 1


def test_early_stopping_mode_min_delta_and_baseline():
    model = ScriptedModel(train=[1.0, 0.99, 0.98, 0.97])
    stopper = callbacks.EarlyStopping(monitor="loss", min_delta=0.05, patience=1)
    assert _fit(model, 4, [stopper]).epoch == [0, 1]
    model = ScriptedModel(train=[0.9, 0.8, 0.7, 0.6])
    stopper = callbacks.EarlyStopping(monitor="loss", baseline=0.5, patience=2)
    assert _fit(model, 4, [stopper]).epoch == [0, 1]
    model = ScriptedModel(train=[0.1, 0.2, 0.3, 0.4])
    with pytest.warns(UserWarning, match="val_accuracy"):
        history = _fit(model, 4, [callbacks.EarlyStopping(monitor="val_accuracy")])
    assert history.epoch == [0, 1, 2, 3]


def test_early_stopping_infers_max_for_accuracy():
    model = ScriptedModel(train=[0.1, 0.5, 0.4, 0.3])
    stopper = callbacks.EarlyStopping(monitor="accuracy", patience=1)

    class Rename(callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            logs["accuracy"] = logs["loss"]

    assert _fit(model, 4, [Rename(), stopper]).epoch == [0, 1, 2]


def test_reduce_lr_on_plateau_changes_the_learning_rate():
    model = ScriptedModel(train=[1.0] * 6)
    optimizer = LearningRateHolder(0.1)
    reducer = callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=2, min_lr=0.02)
    history = _fit(model, 6, [reducer], optimizer=optimizer)
    assert optimizer.learning_rate == pytest.approx(0.025)
    assert history.history["learning_rate"] == pytest.approx([0.1, 0.1, 0.1, 0.05, 0.05, 0.025])
    with pytest.raises(ValueError, match="factor"):
        callbacks.ReduceLROnPlateau(factor=1.5)


def test_learning_rate_scheduler():
    optimizer = LearningRateHolder(1.0)
    scheduler = callbacks.LearningRateScheduler(lambda epoch, lr: lr / 2)
    history = _fit(MeanModel(), 3, [scheduler], optimizer=optimizer)
    assert optimizer.learning_rate == 0.125
    assert history.history["learning_rate"] == [0.5, 0.25, 0.125]
    optimizer.learning_rate = 1.0
    _fit(
        MeanModel(),
        2,
        [callbacks.LearningRateScheduler(lambda epoch: 0.01 * epoch)],
        optimizer=optimizer,
    )
    assert optimizer.learning_rate == 0.01


def test_csv_logger(tmp_path):
    path = tmp_path / "log.csv"
    _fit(ScriptedModel(train=[3, 2, 1]), 3, [callbacks.CSVLogger(path)])
    rows = list(csv.DictReader(open(path)))
    assert list(rows[0]) == ["epoch", "loss", "val_loss"]
    assert [(r["epoch"], float(r["loss"]), float(r["val_loss"])) for r in rows] == [
        ("0", 3.0, 3.0),
        ("1", 2.0, 2.0),
        ("2", 1.0, 1.0),
    ]
    _fit(ScriptedModel(train=[7]), 1, [callbacks.CSVLogger(path, append=True)], validation=False)
    lines = open(path).read().splitlines()
    assert len(lines) == 5 and lines[-1] == "0,7.0,NA"


def test_csv_logger_separator_and_missing_validation(tmp_path):
    path = tmp_path / "log.tsv"
    _fit(MeanModel(), 2, [callbacks.CSVLogger(path, separator="\t")], validation=False)
    lines = open(path).read().splitlines()
    assert lines[0] == "epoch\tloss\tw\tval_loss\tval_w"
    assert lines[1].endswith("\tNA\tNA")


def test_terminate_on_nan(capsys):
    model = ScriptedModel(train=[1.0, float("nan"), 1.0])
    history = _fit(model, 3, [callbacks.TerminateOnNaN()])
    assert history.epoch == [0, 1]
    assert "Invalid loss, terminating training" in capsys.readouterr().out


def test_model_checkpoint_save_best_only(tmp_path):
    model = ScriptedModel(train=[0, 0, 0, 0], val=[3.0, 1.0, 2.0, 0.5])
    checkpoint = callbacks.ModelCheckpoint(
        str(tmp_path / "ckpt-{epoch:02d}.weights.h5"),
        save_best_only=True,
        save_weights_only=True,
        verbose=1,
    )
    _fit(model, 4, [checkpoint])
    assert sorted(os.listdir(tmp_path)) == [
        "ckpt-01.weights.h5",
        "ckpt-02.weights.h5",
        "ckpt-04.weights.h5",
    ]
    restored = MeanModel()
    restored.load_weights(str(tmp_path / "ckpt-02.weights.h5"))
    assert float(restored.w.numpy()) == 1.0


def test_model_checkpoint_every_epoch_and_by_batches(tmp_path):
    _fit(MeanModel(), 2, [callbacks.ModelCheckpoint(str(tmp_path / "e{epoch}.keras"))])
    _fit(MeanModel(), 1, [callbacks.ModelCheckpoint(str(tmp_path / "b{batch}.keras"), save_freq=1)])
    assert sorted(os.listdir(tmp_path)) == ["b0.keras", "b1.keras", "e1.keras", "e2.keras"]


def test_lambda_callback():
    events = []
    lam = callbacks.LambdaCallback(
        on_train_begin=lambda logs: events.append("begin"),
        on_epoch_end=lambda epoch, logs: events.append(("epoch", epoch, sorted(logs))),
        on_test_end=lambda logs: events.append("test"),
    )
    _fit(MeanModel(), 1, [lam])
    assert events == ["begin", "test", ("epoch", 0, ["loss", "val_loss", "w"])]
    with pytest.raises(ValueError, match="unknown hook"):
        callbacks.LambdaCallback(on_nothing=print)


def test_progbar_verbose_1_and_2(capsys):
    _fit(ScriptedModel(train=[0.5, 0.25]), 2, None, verbose=1)
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Epoch 1/2" and out[2] == "Epoch 2/2"
    assert out[1].startswith("2/2 \u2501") and "/step - loss: 0.5000" in out[1]
    assert out[1].endswith("val_loss: 0.5000")
    _fit(ScriptedModel(train=[0.5]), 1, None, verbose=2)
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith("2/2 - ") and line.endswith("/step - loss: 0.5000 - val_loss: 0.5000")


def test_progbar_for_evaluate_and_predict(capsys):
    model = MeanModel()
    model.compile(optimizer=None)
    x, y = regression_data(5)
    model.evaluate(x, y, batch_size=2)
    model.predict(x, batch_size=2, verbose=2)
    evaluate_line, predict_line = capsys.readouterr().out.splitlines()
    assert evaluate_line.startswith("3/3 \u2501") and "loss:" in evaluate_line
    assert predict_line.startswith("3/3 - ")


def test_progbar_eta_while_running(monkeypatch, capsys):
    progbar = keras.utils.Progbar(4, interval=0)
    monkeypatch.setattr(progbar, "_dynamic_display", True)
    progbar.update(1, [("loss", 2.0)])
    progbar.update(2, [("loss", 4.0)])
    out = capsys.readouterr().out
    assert out.startswith("\r1/4 ") and "ETA: " in out and "loss: 3.0000" in out


def test_history_is_returned_and_set():
    model = MeanModel()
    history = _fit(model, 2, [])
    assert isinstance(history, callbacks.History) and model.history is history
    assert len(history.history["val_loss"]) == 2


_BACKUP_SCRIPT = textwrap.dedent("""
    import os, signal, sys
    import numpy as np
    sys.path.insert(0, {tests!r})
    import unikeras as keras
    from trainer_models import MeanModel

    backup_dir, log_path, kill_at = sys.argv[1], sys.argv[2], int(sys.argv[3])

    class Killer(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            with open(log_path, "a") as f:
                f.write(f"{{epoch}}\\n")
        def on_train_batch_end(self, batch, logs=None):
            if self.model.epochs_done == kill_at and batch == 1:
                os.kill(os.getpid(), signal.SIGKILL)
        def on_epoch_end(self, epoch, logs=None):
            self.model.epochs_done += 1

    model = MeanModel()
    model.epochs_done = 0
    model.compile(optimizer=None)
    x = np.zeros((6, 2), "float32")
    y = np.arange(6, dtype="float32")
    backup = keras.callbacks.BackupAndRestore(backup_dir)
    history = model.fit(x, y, batch_size=2, epochs=5, shuffle=False, verbose=0,
                        callbacks=[backup, Killer()])
    print("done", history.epoch, float(model.w.numpy()))
""")


def test_backup_and_restore_survives_sigkill(tmp_path):
    backup_dir, log = str(tmp_path / "backup"), str(tmp_path / "epochs.log")
    script = tmp_path / "train.py"
    script.write_text(_BACKUP_SCRIPT.format(tests=os.path.dirname(__file__)))
    env = dict(os.environ, HOME=str(tmp_path))
    first = subprocess.run(
        [sys.executable, str(script), backup_dir, log, "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert first.returncode == -signal.SIGKILL, first.stderr
    assert os.path.exists(os.path.join(backup_dir, "latest.weights.h5"))
    second = subprocess.run(
        [sys.executable, str(script), backup_dir, log, "-1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert second.returncode == 0, second.stderr
    assert second.stdout.split() == ["done", "[2,", "3,", "4]", "4.5"]
    assert open(log).read().split() == ["0", "1", "2", "2", "3", "4"]
    assert not os.path.exists(os.path.join(backup_dir, "latest.weights.h5"))
