"""Traceback filtering (`keras.config.enable_traceback_filtering`): errors raised inside
`fit`/`evaluate`/`predict` & co. show the user's frames, not unikeras' internal ones."""

import functools
import os
import types

from unikeras.backend import global_state

_UNIKERAS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _excluded_dirs():
    """unikeras itself and the installed backend plugins' packages."""
    from unikeras.backend import registry

    dirs = [_UNIKERAS_DIR]
    for group in (registry.BACKEND_GROUP, registry.ADDON_GROUP):
        for entry_point in registry._entry_points(group).values():
            package = entry_point.value.split(":")[0].split(".")[0]
            module = __import__("sys").modules.get(package)
            path = getattr(module, "__file__", None)
            if path and package != "unikeras":
                dirs.append(os.path.dirname(os.path.abspath(path)))
    return tuple(d + os.sep for d in dirs)


def _filtered(tb):
    """`tb` without the frames of unikeras and its plugins (the innermost frame, where the
    error was raised, is kept when every frame would go)."""
    excluded = _excluded_dirs()
    kept, last = [], None
    while tb is not None:
        filename = os.path.abspath(tb.tb_frame.f_code.co_filename)
        if not filename.startswith(excluded):
            kept.append(tb)
        last, tb = tb, tb.tb_next
    if not kept:
        kept = [last] if last is not None else []
    if not kept:
        return None
    new_tb = None
    for frame_tb in reversed(kept):
        new_tb = types.TracebackType(
            new_tb, frame_tb.tb_frame, frame_tb.tb_lasti, frame_tb.tb_lineno
        )
    return new_tb


def filter_traceback(fn):
    """Decorator: with traceback filtering on (the default), an exception leaving `fn` has
    its unikeras-internal frames removed from its traceback."""

    @functools.wraps(fn)
    def error_handler(*args, **kwargs):
        if not global_state.get_setting("traceback_filtering"):
            return fn(*args, **kwargs)
        try:
            return fn(*args, **kwargs)
        except Exception as error:
            tb = _filtered(error.__traceback__)
            if tb is None:
                raise
            raise error.with_traceback(tb)

    return error_handler
