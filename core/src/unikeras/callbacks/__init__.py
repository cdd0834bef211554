"""`keras.callbacks`: hooks into `fit`, `evaluate` and `predict`."""

from unikeras.callbacks.backup_and_restore import BackupAndRestore  # noqa: F401
from unikeras.callbacks.callback import Callback  # noqa: F401
from unikeras.callbacks.callback_list import CallbackList  # noqa: F401
from unikeras.callbacks.csv_logger import CSVLogger  # noqa: F401
from unikeras.callbacks.early_stopping import EarlyStopping  # noqa: F401
from unikeras.callbacks.history import History  # noqa: F401
from unikeras.callbacks.lambda_callback import LambdaCallback  # noqa: F401
from unikeras.callbacks.learning_rate_scheduler import LearningRateScheduler  # noqa: F401
from unikeras.callbacks.model_checkpoint import ModelCheckpoint  # noqa: F401
from unikeras.callbacks.orbax_checkpoint import OrbaxCheckpoint  # noqa: F401
from unikeras.callbacks.progbar_logger import ProgbarLogger  # noqa: F401
from unikeras.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau  # noqa: F401
from unikeras.callbacks.remote_monitor import RemoteMonitor  # noqa: F401
from unikeras.callbacks.swap_ema_weights import SwapEMAWeights  # noqa: F401
from unikeras.callbacks.tensorboard import TensorBoard  # noqa: F401
from unikeras.callbacks.terminate_on_nan import TerminateOnNaN  # noqa: F401
