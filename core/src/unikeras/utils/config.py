"""`keras.utils.Config`: a dict with attribute access that can be frozen."""

import copy
import difflib
import json


class Config:
    """A dict-like configuration whose keys can also be read and set as attributes.

    Examples:
        ```python
        config = keras.utils.Config(learning_rate=0.1)
        config.momentum = 0.9
        config.freeze()  # any further change raises a ValueError
        ```

    Args:
        **kwargs: The initial entries.
    """

    __attrs__ = None

    def __init__(self, **kwargs):
        self._config = kwargs
        self._frozen = False
        self.__attrs__ = set(dir(self))

    @property
    def frozen(self):
        """Whether the config is frozen (read only)."""
        return self._frozen

    def freeze(self):
        """Makes the config read only."""
        self._frozen = True

    def unfreeze(self):
        """Makes the config mutable again."""
        self._frozen = False

    def _raise_if_frozen(self):
        if self._frozen:
            raise ValueError("Cannot mutate attribute(s) because the config is frozen.")

    def as_dict(self):
        """A shallow copy of the entries as a dict."""
        return copy.copy(self._config)

    def to_json(self):
        """The entries as a JSON string."""
        return json.dumps(self._config)

    def keys(self):
        """Returns the config's keys."""
        return self._config.keys()

    def values(self):
        """Returns the config's values."""
        return self._config.values()

    def items(self):
        """Returns the config's `(key, value)` pairs."""
        return self._config.items()

    def pop(self, *args):
        """Removes `key` and returns its value (`default` when absent); refused when frozen."""
        self._raise_if_frozen()
        return self._config.pop(*args)

    def update(self, *args, **kwargs):
        """Updates the config from a dict or keyword arguments; refused when frozen."""
        self._raise_if_frozen()
        return self._config.update(*args, **kwargs)

    def get(self, keyname, value=None):
        """Returns the value of `key`, or `default` when absent."""
        return self._config.get(keyname, value)

    def __setattr__(self, name, value):
        attrs = object.__getattribute__(self, "__attrs__")
        if attrs is None or name in attrs:
            return object.__setattr__(self, name, value)
        self._raise_if_frozen()
        self._config[name] = value

    def __getattr__(self, name):
        attrs = object.__getattribute__(self, "__attrs__")
        if attrs is None or name in attrs:
            return object.__getattribute__(self, name)
        config = object.__getattribute__(self, "_config")
        if name in config:
            return config[name]
        message = f"Unknown attribute: '{name}'."
        close = difflib.get_close_matches(name, config.keys(), n=1, cutoff=0.7)
        if close:
            message += f" Did you mean '{close[0]}'?"
        raise AttributeError(message)

    def __setitem__(self, key, item):
        self._raise_if_frozen()
        self._config[key] = item

    def __getitem__(self, key):
        return self._config[key]

    def __delitem__(self, key):
        self._raise_if_frozen()
        del self._config[key]

    def __contains__(self, item):
        return item in self._config

    def __iter__(self):
        return iter(sorted(self._config.keys()))

    def __len__(self):
        return len(self._config)

    def __repr__(self):
        return f"<Config {self._config}>"
