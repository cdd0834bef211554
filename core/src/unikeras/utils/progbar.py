"""`keras.utils.Progbar`: a text progress bar with step counts, ETA and metric values."""

import sys
import time

import numpy as np

from unikeras.backend import global_state

_FILLED, _EMPTY = "\u2501", "\u2500"


def _is_dynamic():
    """Whether stdout redraws a line in place (a terminal or a notebook)."""
    isatty = getattr(sys.stdout, "isatty", None)
    return bool((isatty and isatty()) or "ipykernel" in sys.modules)


def format_time(seconds):
    """`75` -> `"1:15"`, `3` -> `"3s"`, like Keras."""
    seconds = int(round(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    if seconds >= 60:
        return f"{seconds // 60}:{seconds % 60:02d}"
    return f"{seconds}s"


def format_time_per_unit(seconds, unit_name):
    """`0.0123` -> `"12ms/step"`."""
    if seconds >= 1 or seconds == 0:
        return f"{seconds:.0f}s/{unit_name}"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.0f}ms/{unit_name}"
    return f"{seconds * 1e6:.0f}us/{unit_name}"


def format_value(value):
    """Formats a metric value as Keras does: 4 decimals, or scientific when tiny."""
    if isinstance(value, (list, tuple)) or np.ndim(value) > 0:
        return str(value)
    value = float(value)
    return f"{value:.4f}" if abs(value) > 1e-3 or value == 0 else f"{value:.4e}"


class Progbar:
    """Displays progress of a loop of `target` steps.

    Args:
        target: Total number of steps expected, `None` if unknown.
        width: Width of the bar in characters.
        verbose: 0 (silent), 1 (a bar redrawn in place; in a non-interactive output only the
            final line) or 2 (one line when finished).
        interval: Minimum seconds between redraws.
        stateful_metrics: Names of metrics shown as given instead of averaged over steps
            (all others are averaged). Not with `stateless_metrics`.
        stateless_metrics: Names of the only metrics averaged over steps (all others are
            shown as given). Not with `stateful_metrics`.
        unit_name: Name of one step in the display (`"step"`, `"sample"`).
    """

    def __init__(
        self,
        target,
        width=20,
        verbose=1,
        interval=0.05,
        stateful_metrics=None,
        stateless_metrics=None,
        unit_name="step",
    ):
        if stateful_metrics is not None and stateless_metrics is not None:
            raise ValueError(
                "Progbar: pass only one of `stateful_metrics` (metrics shown as "
                "given; the others are averaged) or `stateless_metrics` (metrics "
                "averaged; the others are shown as given)."
            )
        self.stateless_metrics = None if stateless_metrics is None else set(stateless_metrics)
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self.stateful_metrics = set(stateful_metrics or ())
        # With interactive logging off (`keras.config.disable_interactive_logging`), lines go
        # to the logger, never redrawn in place.
        self._interactive = global_state.get_setting("interactive_logging")
        self._dynamic_display = self._interactive and _is_dynamic()
        self._values = {}
        self._seen_so_far = 0
        self._start = time.time()
        self._last_update = 0.0
        self._prev_total_width = 0

    def update(self, current, values=None, finalize=None):
        """Sets the progress to `current` steps.

        Args:
            current: Index of the current step (the number of steps done).
            values: List of `(name, value)` pairs; values of names not in
                `stateful_metrics` are averaged over the steps.
            finalize: Whether this is the last update (default: `current >= target`).
        """
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        self._record(current, values or [])
        self._seen_so_far = current
        now = time.time()
        if self.verbose == 1:
            if not finalize and now - self._last_update < self.interval:
                return
            if self._dynamic_display or finalize:
                self._write(self._line(current, now, finalize), finalize)
        elif self.verbose == 2 and finalize:
            self._write(self._summary(current, now), True)
        self._last_update = now

    def add(self, n, values=None):
        """Advances the progress by `n` steps."""
        self.update(self._seen_so_far + n, values)

    def _record(self, current, values):
        for name, value in values:
            if name in self.stateful_metrics or (
                self.stateless_metrics is not None and name not in self.stateless_metrics
            ):
                self._values[name] = (value, 1)
                continue
            weight = max(current - self._seen_so_far, 1)
            total, count = self._values.get(name, (0.0, 0))
            self._values[name] = (total + np.asarray(value) * weight, count + weight)

    def _metrics(self):
        return "".join(
            f" - {name}: {format_value(total / max(count, 1))}"
            for name, (total, count) in self._values.items()
        )

    def _time_per_unit(self, current, now):
        return (now - self._start) / current if current else 0.0

    def _line(self, current, now, finalize):
        if self.target is not None:
            digits = len(str(self.target))
            done = int(self.width * min(current / self.target, 1.0)) if self.target else self.width
            bar = (
                f"{current:>{digits}}/{self.target} "
                + _FILLED * done
                + _EMPTY * (self.width - done)
            )
        else:
            bar = f"{current}"
        per_unit = self._time_per_unit(current, now)
        if finalize:
            timing = f" {format_time(now - self._start)}"
        elif self.target is not None:
            timing = f" ETA: {format_time(per_unit * (self.target - current))}"
        else:
            timing = ""
        return f"{bar}{timing} {format_time_per_unit(per_unit, self.unit_name)}{self._metrics()}"

    def _summary(self, current, now):
        count = f"{current}/{self.target}" if self.target is not None else f"{current}"
        per_unit = format_time_per_unit(self._time_per_unit(current, now), self.unit_name)
        return f"{count} - {format_time(now - self._start)} - {per_unit}{self._metrics()}"

    def _write(self, line, finalize):
        if not self._interactive:
            global_state.print_msg(line)
            return
        if self._dynamic_display:
            padding = max(self._prev_total_width - len(line), 0)
            sys.stdout.write("\r" + line + " " * padding)
            self._prev_total_width = len(line)
        else:
            sys.stdout.write(line)
        if finalize:
            sys.stdout.write("\n")
        sys.stdout.flush()
