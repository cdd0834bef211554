"""MkDocs hooks: the API reference pages are generated in memory at build time.

`on_config` adds the reference to the navigation; `on_files` adds the pages that
`docs/gen_ref.py` generates from unikeras' public namespaces (nothing is written to `docs/`,
so `mkdocs serve` does not rebuild in a loop).
"""

import os
import sys

from mkdocs.structure.files import File

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("UNIKERAS_BACKEND", "numpy")

import gen_ref  # noqa: E402

_PAGES = {}


def on_config(config):
    """Generates the reference pages and appends them to the navigation."""
    _PAGES.clear()
    _PAGES.update(gen_ref.pages())
    nav = [entry for entry in config["nav"] if "API reference" not in entry]
    nav.append({"API reference": gen_ref.nav(_PAGES)})
    config["nav"] = nav
    return config


def on_files(files, config):
    """Adds the generated reference pages to the site's files."""
    for path, (_, text) in _PAGES.items():
        files.append(File.generated(config, path, content=text))
    return files
