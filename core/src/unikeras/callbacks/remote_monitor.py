"""`keras.callbacks.RemoteMonitor`: posts each epoch's logs to an HTTP server."""

import json
import urllib.error
import urllib.parse
import urllib.request
import warnings

import numpy as np

from unikeras.callbacks.callback import Callback


def _plain(value):
    """A JSON-able Python value for a log entry (NumPy/engine scalars become numbers)."""
    if isinstance(value, (np.ndarray, np.generic)):
        return value.item()
    if hasattr(value, "numpy") and not isinstance(value, (str, bytes)):
        return np.asarray(value.numpy()).item()
    if hasattr(value, "__array__") and not isinstance(value, (int, float, str)):
        return np.asarray(value).item()
    return value


class RemoteMonitor(Callback):
    """Streams events to a server: at each epoch end, an HTTP POST to `root + path` with
    the epoch number and the logs as JSON.

    With `send_as_json=False` (default) the JSON text is sent as the form field `field`
    (`application/x-www-form-urlencoded`); with `send_as_json=True` it is the request
    body (`application/json`). An unreachable server gives a warning, not an error. Uses
    the standard library (`urllib`), so no extra package is needed.

    Args:
        root: Root URL of the target server.
        path: Path relative to `root` the events are sent to.
        field: Form field holding the JSON (when `send_as_json=False`).
        headers: Optional dict of extra HTTP headers.
        send_as_json: Whether to send the JSON as the request body.
    """

    def __init__(
        self,
        root="http://localhost:9000",
        path="/publish/epoch/end/",
        field="data",
        headers=None,
        send_as_json=False,
    ):
        super().__init__()
        self.root = root
        self.path = path
        self.field = field
        self.headers = headers
        self.send_as_json = send_as_json

    def on_epoch_end(self, epoch, logs=None):
        send = {"epoch": epoch}
        for key, value in (logs or {}).items():
            send[key] = _plain(value)
        headers = dict(self.headers or {})
        if self.send_as_json:
            body = json.dumps(send).encode("utf-8")
            headers.setdefault("Content-Type", "application/json")
        else:
            body = urllib.parse.urlencode({self.field: json.dumps(send)}).encode("utf-8")
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        request = urllib.request.Request(
            self.root + self.path, data=body, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                response.read()
        except (urllib.error.URLError, OSError, ValueError):
            warnings.warn(f"Could not reach RemoteMonitor root server at {self.root}", stacklevel=2)
