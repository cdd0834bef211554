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

README = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "README.md")


def benchmarks_page():
    """The README's Benchmarks section as a page (one source for the measured tables)."""
    with open(README) as f:
        text = f.read()
    section = text.split("\n## Benchmarks\n", 1)[1].split("\n## ", 1)[0]
    return (
        "# Benchmarks\n\nFrom the repository's `README.md` (measured there; this page is "
        "generated from it at build time).\n" + section
    )


def on_config(config):
    """Generates the reference pages and appends them to the navigation."""
    _PAGES.clear()
    _PAGES.update(gen_ref.pages())
    _PAGES["benchmarks.md"] = ("Benchmarks", benchmarks_page())
    nav = [entry for entry in config["nav"] if "API reference" not in entry]
    nav.append({"Benchmarks": "benchmarks.md"})
    nav.append({"API reference": gen_ref.nav(_PAGES)})
    config["nav"] = nav
    return config


def on_files(files, config):
    """Adds the generated reference pages to the site's files."""
    for path, (_, text) in _PAGES.items():
        files.append(File.generated(config, path, content=text))
    return files
