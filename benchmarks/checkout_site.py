"""Makes this checkout's unikeras and backend plugins importable by another Python without
installing them (no build, no package index): prints a `PYTHONPATH` value.

    export PYTHONPATH=$(python3 benchmarks/checkout_site.py SITE_DIR [--plugins jax,torch])

For the core and each plugin named (by backend entry-point name; default: every plugin in
`plugins/`) it writes `SITE_DIR/<name>-<version>.dist-info` with the project's `METADATA` and
`entry_points.txt` from its `pyproject.toml` (what an editable install writes, so that
`importlib.metadata` finds the backend entry points), and prints `SITE_DIR` followed by the
projects' `src` folders (and the core's), joined by `os.pathsep`. `benchmarks/gpu_check.sh`
uses it on a GPU machine whose Python has the engines but not unikeras.
"""

import argparse
import os
import sys
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python < 3.11
    tomllib = None

ROOT = Path(__file__).resolve().parent.parent


def read_project(folder):
    """`(name, version, {group: {name: target}})` of the `pyproject.toml` in `folder`."""
    text = (folder / "pyproject.toml").read_text()
    if tomllib is None:
        raise SystemExit("checkout_site.py needs Python 3.11+ (tomllib)")
    project = tomllib.loads(text)["project"]
    version = project.get("version") or _dynamic_version(folder)
    return project["name"], version, project.get("entry-points", {})


def _dynamic_version(folder):
    """The `__version__` of the core's `_version.py` (the core's version is dynamic)."""
    for path in folder.glob("src/*/_version.py"):
        namespace = {}
        exec(path.read_text(), namespace)
        return namespace["__version__"]
    return "0"


def write_dist_info(site, name, version, entry_points):
    """Writes `site/<name>-<version>.dist-info` with `METADATA` and `entry_points.txt`."""
    normalized = name.replace("-", "_")
    folder = site / f"{normalized}-{version}.dist-info"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    lines = []
    for group, targets in entry_points.items():
        lines.append(f"[{group}]")
        lines.extend(f"{key} = {value}" for key, value in targets.items())
        lines.append("")
    (folder / "entry_points.txt").write_text("\n".join(lines))
    return folder


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--plugins", help="backend names, comma separated (default: all)")
    args = parser.parse_args(argv)
    wanted = None if args.plugins is None else set(filter(None, args.plugins.split(",")))
    paths = [args.site.resolve()]
    for folder in [ROOT / "core", *sorted((ROOT / "plugins").iterdir())]:
        if not (folder / "pyproject.toml").exists():
            continue
        name, version, entry_points = read_project(folder)
        backends = set(entry_points.get("unikeras.backends", {}))
        if folder.name != "core" and wanted is not None and not backends & wanted:
            continue
        write_dist_info(args.site, name, version, entry_points)
        paths.append(folder / "src")
    print(os.pathsep.join(str(p) for p in paths))


if __name__ == "__main__":
    sys.exit(main())
