"""`python -m unikeras info` and `python -m unikeras check-plugin NAME`.

`info`: installed backends, versions, capabilities and op coverage. The default run is fast: it
describes the active backend in full (with the add-ons overriding its hooks) and lists the
other installed backends from their entry points and declarations without importing them.
`--all` loads every installed backend in its own subprocess (importing its engine) to report
its capabilities and op coverage too. Test-only plugins (declared `"test_only": True`) are
left out of the table unless `--test-plugins` is given (the `--json` report keeps them).

`check-plugin NAME`: a plugin author's coverage table: the declaration, required hooks present
or missing, ops implemented per namespace (by the plugin, an add-on or a core default),
optional hooks, dtypes, and the conformance kit command to run next. Exit status 1 when a
required hook is missing.
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
            attr
            for attr, fn in vars(module).items()
            if getattr(fn, "unikeras_spec", None) is not None
            and getattr(fn, "__module__", None) == module.__name__
        )
    return sorted(names)


def contract_namespaces():
    """Returns `{namespace: [op names]}` for the contract's op hooks (`numpy`, `nn`, ...)."""
    spaces = {}
    for module in hookspec.spec_modules():
        if module is hookspec:
            continue
        namespace = module.__name__.rsplit(".", 1)[-1]
        spaces[namespace] = sorted(
            attr
            for attr, fn in vars(module).items()
            if getattr(fn, "unikeras_spec", None) is not None
            and getattr(fn, "__module__", None) == module.__name__
        )
    return spaces


def optional_hooks():
    """Returns the sorted non-op hooks of the contract that a backend may leave out."""
    return sorted(
        attr
        for attr, fn in vars(hookspec).items()
        if getattr(fn, "unikeras_spec", None) is not None and attr not in hookspec.REQUIRED_HOOKS
    )


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
        overrides=registry.addon_overrides(),
    )
    return report


def _declared(name):
    try:
        return registry.declared_info(name)
    except registry.BackendError as e:  # an unreadable declaration: shown, not fatal
        return dict(registry.PLUGIN_INFO_DEFAULTS, error=str(e))


def installed(include_test_only=False):
    """Returns `[{name, distribution, version, declared}]` for installed backends, importing
    none; test-only plugins are left out unless `include_test_only`."""
    found = {}
    for name, ep in registry._entry_points(registry.BACKEND_GROUP).items():
        dist = getattr(ep, "dist", None)
        found[name] = {
            "name": name,
            "distribution": dist.metadata["Name"] if dist else "?",
            "version": dist.version if dist else "?",
        }
    found.setdefault(
        registry.BUILTIN,
        {"name": registry.BUILTIN, "distribution": "unikeras", "version": unikeras.__version__},
    )
    for entry in found.values():
        entry["declared"] = _declared(entry["name"])
    return [
        found[name]
        for name in sorted(found)
        if include_test_only
        or not found[name]["declared"].get("test_only")
        or name == registry.backend()
    ]


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


def gather(probe_all=False, include_test_only=False):
    """Returns the full report: unikeras and Python versions, the active backend, the others
    (test-only plugins only with `include_test_only`)."""
    active = active_backend()
    backends = installed(include_test_only)
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
        name,
        dist,
        f"{info.get('engine', '?')} {info.get('version', '?')}",
        _yes(info.get("training")),
        _yes(info.get("jit")),
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
    if active.get("overrides"):
        lines += [
            "",
            "add-on overrides: "
            + ", ".join(f"{hook} ({plugin})" for hook, plugin in active["overrides"].items()),
        ]
    if active["missing"]:
        lines += ["", f"not implemented by {report['active']}: {', '.join(active['missing'])}"]
    return "\n".join(lines)


def check_plugin(name):
    """Returns the coverage report of backend plugin `name` (see `registry.inspect_plugin`),
    with `namespaces` (`{namespace: {implemented, total, by_defaults, by_addons, missing}}`),
    `optional` (`{hook: bool}`), `conformance` (the kit's command line)."""
    report = registry.inspect_plugin(name)
    sources = report["sources"]
    namespaces = {}
    for namespace, ops in contract_namespaces().items():
        served = [op for op in ops if op in sources]
        namespaces[namespace] = {
            "implemented": len(served),
            "total": len(ops),
            "by_defaults": sum(sources[op][1] == "defaults" for op in served),
            "by_addons": sum(sources[op][1] == "add-on" for op in served),
            "missing": [op for op in ops if op not in sources],
        }
    report["sources"] = {hook: list(source) for hook, source in sources.items()}
    report["namespaces"] = namespaces
    report["optional"] = {
        hook: hook in sources for hook in optional_hooks() if hook not in report["required"]
    }
    report["conformance"] = (
        f"UNIKERAS_BACKEND={report['name']} python -m pytest --pyargs unikeras.testing.conformance"
    )
    return report


def format_check(report):
    """Returns `check_plugin`'s report as text."""
    declared, info = report["declared"], report["info"] or {}
    name = report["name"]
    lines = [
        f"plugin {name}: pip install {declared['pip_name']}",
        f"declared: priority {declared['priority']}, training {_yes(declared['training'])}"
        f", jit {_yes(declared['jit'])}, export formats "
        f"{', '.join(declared['export_formats']) or '-'}"
        + (", test only" if declared["test_only"] else ""),
    ]
    if report["info"] is not None and bool(info.get("training")) != declared["training"]:
        lines.append(
            f"warning: backend_info() says training={bool(info.get('training'))} but "
            f"the declaration says {declared['training']}"
        )
    if report["info_error"]:
        lines.append(f"warning: backend_info() failed: {report['info_error']}")
    present = [h for h in report["required"] if h not in report["missing_required"]]
    lines += ["", f"required hooks: {len(present)}/{len(report['required'])} present"]
    for hook in report["required"]:
        lines.append(f"  {'ok     ' if hook in present else 'MISSING'}  {hook}")
    lines += ["", "ops by namespace (implemented/total; served by core defaults, add-ons):"]
    total = done = 0
    width = max(len(n) for n in report["namespaces"])
    for namespace, row in report["namespaces"].items():
        total, done = total + row["total"], done + row["implemented"]
        extra = (
            f"  ({row['by_defaults']} by core defaults"
            + (f", {row['by_addons']} by add-ons" if row["by_addons"] else "")
            + ")"
        )
        lines.append(
            f"  {namespace.ljust(width)}  {row['implemented']:>3}/{row['total']:<3}" + extra
        )
        if row["missing"]:
            lines.append(f"  {''.ljust(width)}  missing: {', '.join(row['missing'])}")
    lines.append(f"  {'total'.ljust(width)}  {done:>3}/{total:<3}")
    have = [h for h, ok in report["optional"].items() if ok]
    lacking = [h for h, ok in report["optional"].items() if not ok]
    lines += [
        "",
        f"optional hooks implemented: {', '.join(have) or '-'}",
        f"optional hooks left to the core: {', '.join(lacking) or '-'}",
    ]
    dtypes = info.get("dtypes")
    lines += ["", f"dtypes: {', '.join(dtypes) if dtypes else '? (backend_info unavailable)'}"]
    lines += [
        "",
        "conformance kit (every op against the NumPy reference):",
        f"  {report['conformance']}",
    ]
    return "\n".join(lines)


def main(argv=None):
    """Entry point of `python -m unikeras`; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m unikeras")
    commands = parser.add_subparsers(dest="command", required=True)
    info = commands.add_parser("info", help="installed backends, capabilities, op coverage")
    info.add_argument(
        "--all",
        action="store_true",
        help="load every installed backend (in subprocesses) to report on it",
    )
    info.add_argument("--json", action="store_true", help="print JSON instead of a table")
    info.add_argument(
        "--active", action="store_true", help="report only on the active backend (implies --json)"
    )
    info.add_argument(
        "--test-plugins", action="store_true", help="also list plugins declared test-only"
    )
    check = commands.add_parser(
        "check-plugin", help="a backend plugin's coverage: required hooks, ops, dtypes"
    )
    check.add_argument("name", help="the backend's entry-point name, e.g. torch")
    check.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    if args.command == "check-plugin":
        if registry.canonical_name(args.name) not in registry.installed_backends():
            print(
                f"Backend {args.name!r} is not installed (installed: "
                f"{registry.installed_backends()}). To install it: "
                f"`{registry.pip_hint(registry.canonical_name(args.name))}`.",
                file=sys.stderr,
            )
            return 2
        result = check_plugin(args.name)
        print(json.dumps(result, indent=2) if args.json else format_check(result))
        return 1 if result["missing_required"] else 0
    if args.active:
        print(json.dumps(active_backend()))
        return 0
    # JSON keeps every backend (each with its `declared` info, `test_only` included).
    report = gather(probe_all=args.all, include_test_only=args.test_plugins or args.json)
    print(json.dumps(report, indent=2) if args.json else format_report(report))
    return 0
