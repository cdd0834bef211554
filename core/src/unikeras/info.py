"""`python -m unikeras info`: installed backends, versions, capabilities and op coverage.

The default run is fast: it describes the active backend in full and lists the other installed
backends from their entry points without importing them. `--all` loads every installed backend
in its own subprocess (importing its engine) to report its capabilities and op coverage too.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import unikeras
from unikeras.backend import hookspec, registry


def contract_ops():
    """Returns the sorted names of the contract's op hooks (one per `unikeras.ops` function)."""
    names = []
    for module in hookspec.spec_modules():
        if module is hookspec:  # backend info, conversion, variables: hooks but not ops
            continue
        names.extend(
            attr for attr, fn in vars(module).items()
            if getattr(fn, "unikeras_spec", None) is not None
            and getattr(fn, "__module__", None) == module.__name__
        )
    return sorted(names)


def coverage():
    """Returns the active backend's op coverage.

    Returns:
        A dict: `backend` (name), `implemented` and `missing` (sorted op names), `contract`
        (the number of ops in the contract).
    """
    ops = contract_ops()
    done = set(registry.implemented_ops())
    return {
        "backend": registry.backend(),
        "implemented": [op for op in ops if op in done],
        "missing": [op for op in ops if op not in done],
        "contract": len(ops),
    }


def active_backend():
    """Returns a JSON-able description of the active backend: info, reason, coverage, add-ons."""
    report = coverage()
    info = registry.table.backend_info()
    report.update(
        info=info,
        reason=registry.selection_reason(),
        plugins=[name for name, _ in registry.plugin_manager().list_name_plugin()],
    )
    return report


def installed():
    """Returns `[{name, distribution, version}]` for installed backends, importing none."""
    found = {}
    for name, ep in registry._entry_points(registry.BACKEND_GROUP).items():
        dist = getattr(ep, "dist", None)
        found[name] = {
            "name": name,
            "distribution": dist.metadata["Name"] if dist else "?",
            "version": dist.version if dist else "?",
        }
    found.setdefault(registry.BUILTIN, {"name": registry.BUILTIN, "distribution": "unikeras",
                                        "version": unikeras.__version__})
    return [found[name] for name in sorted(found)]


def probe(name):
    """Loads backend `name` in a fresh interpreter; returns `active_backend()` there or an error."""
    env = dict(os.environ, UNIKERAS_BACKEND=name)
    command = [sys.executable, "-m", "unikeras", "info", "--json", "--active"]
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        return {"error": "loading took more than 300 s"}
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        return {"error": lines[-1] if lines else f"exit status {done.returncode}"}
    return json.loads(done.stdout)


def gather(probe_all=False):
    """Returns the full report: unikeras and Python versions, the active backend, the others."""
    active = active_backend()
    backends = installed()
    others = [b["name"] for b in backends if b["name"] != active["backend"]] if probe_all else []
    with ThreadPoolExecutor(max_workers=max(1, len(others))) as pool:
        probed = dict(zip(others, pool.map(probe, others)))
    probed[active["backend"]] = active
    for b in backends:
        b["details"] = probed.get(b["name"])
    return {
        "unikeras": unikeras.__version__,
        "python": platform.python_version(),
        "active": active["backend"],
        "reason": active["reason"],
        "backends": backends,
    }


def _yes(flag):
    return "yes" if flag else "no"


def _row(backend, active_name):
    name = backend["name"] + (" *" if backend["name"] == active_name else "")
    dist = f"{backend['distribution']} {backend['version']}"
    details = backend["details"]
    if details is None:
        return [name, dist, "-", "-", "-", "(not loaded; use --all)"]
    if "error" in details:
        return [name, dist, "-", "-", "-", f"fails to load: {details['error']}"]
    info = details["info"]
    return [
        name, dist, f"{info.get('engine', '?')} {info.get('version', '?')}",
        _yes(info.get("training")), _yes(info.get("jit")),
        f"{len(details['implemented'])}/{details['contract']} ops, "
        f"{len(info.get('dtypes', ()))} dtypes",
    ]


_STANDARD_INFO = {"name", "version", "engine", "training", "jit", "dtypes"}


def format_report(report):
    """Returns the report as text: a header and one table row per installed backend."""
    header = ["backend", "distribution", "engine", "training", "jit", "coverage"]
    rows = [header] + [_row(b, report["active"]) for b in report["backends"]]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header) - 1)]
    lines = [
        f"unikeras {report['unikeras']} (Python {report['python']})",
        f"active backend: {report['active']} (selected by {report['reason']})",
        "",
    ]
    for r in rows:
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[-1])
    active = next(b["details"] for b in report["backends"] if b["name"] == report["active"])
    extra = {k: v for k, v in registry.table.backend_info().items() if k not in _STANDARD_INFO}
    if extra:  # backend-specific settings in force, e.g. OpenVINO's precision and device
        lines += ["", f"{report['active']}: " + ", ".join(f"{k}={v}" for k, v in extra.items())]
    if active["missing"]:
        lines += ["", f"not implemented by {report['active']}: {', '.join(active['missing'])}"]
    return "\n".join(lines)


def main(argv=None):
    """Entry point of `python -m unikeras`; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m unikeras")
    commands = parser.add_subparsers(dest="command", required=True)
    info = commands.add_parser("info", help="installed backends, capabilities, op coverage")
    info.add_argument("--all", action="store_true",
                      help="load every installed backend (in subprocesses) to report on it")
    info.add_argument("--json", action="store_true", help="print JSON instead of a table")
    info.add_argument("--active", action="store_true",
                      help="report only on the active backend (implies --json)")
    args = parser.parse_args(argv)
    if args.active:
        print(json.dumps(active_backend()))
        return 0
    report = gather(probe_all=args.all)
    print(json.dumps(report, indent=2) if args.json else format_report(report))
    return 0
