"""Generates the API reference pages of the documentation from unikeras' public namespaces.

`public_names()` walks the namespaces of `NAMESPACES` (imported on the built-in numpy
backend, no engine needed) and lists every public class and function, so a name added to a
namespace appears in the reference with no edit here. `pages()` turns them into Markdown
pages, grouped as keras.io groups them (layers by kind, ops by namespace), each object
rendered by mkdocstrings from its docstring. Op sections add the backends that implement the
op, read from `docs/op_coverage.json` (written by `python docs/gen_ref.py --coverage` from
`python -m unikeras info --all --json`, with every plugin installed; a test in each backend's
test env checks that env's column against its dispatch table).

Used by `docs/hooks.py` at build time (the pages are generated in memory, never written to
`docs/`); `python docs/gen_ref.py OUT_DIR` writes them to a folder for inspection (`--help`
lists the options).
"""

import argparse
import importlib
import inspect
import json
import os
import re
import subprocess
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
COVERAGE_FILE = os.path.join(HERE, "op_coverage.json")

#: Backends shown in the op coverage columns, in this order.
COVERAGE_BACKENDS = ["numpy", "jax", "torch", "tensorflow", "openvino"]

#: (page path under reference/, title, namespaces) in keras.io's order. `layers`, `ops` and the
#: top level are split further below.
SECTIONS = [
    ("models", "Models API", ["models"]),
    ("layers", "Layers API", ["layers"]),
    ("callbacks", "Callbacks API", ["callbacks"]),
    ("ops", "Ops API", ["ops.numpy", "ops.nn", "ops.linalg", "ops.math", "ops.core", "ops.image"]),
    ("optimizers", "Optimizers", ["optimizers", "optimizers.schedules"]),
    ("metrics", "Metrics", ["metrics"]),
    ("losses", "Losses", ["losses"]),
    ("datasets", "Built-in small datasets", ["datasets"]),
    ("applications", "Keras Applications", ["applications"]),
    ("mixed_precision", "Mixed precision", ["mixed_precision", "dtype_policies"]),
    ("distribution", "Multi-device distribution", ["distribution"]),
    ("random", "RNG API", ["random"]),
    ("saving", "Saving & serialization", ["saving", "legacy", "legacy.saving"]),
    ("activations", "Layer activations", ["activations"]),
    ("initializers", "Layer weight initializers", ["initializers"]),
    ("regularizers", "Layer weight regularizers", ["regularizers"]),
    ("constraints", "Layer weight constraints", ["constraints"]),
    ("utils", "Utilities", ["utils", "utils.bounding_boxes", "utils.legacy", "tree", "config"]),
    (
        "preprocessing",
        "Preprocessing",
        ["preprocessing", "preprocessing.image", "preprocessing.sequence"],
    ),
    ("backend", "Backend", ["backend"]),
    ("export", "Export", ["export"]),
    ("quantizers", "Quantizers", ["quantizers"]),
    ("distillation", "Distillation", ["distillation"]),
    ("visualization", "Visualization", ["visualization"]),
    ("wrappers", "Wrappers", ["wrappers"]),
    ("top_level", "Top-level classes and functions", [""]),
]

#: Sub-modules of `unikeras` that are implementation, not API (Keras 3 has no such namespace).
INTERNAL_MODULES = {"trainers", "variables", "info", "testing"}

#: Names of `unikeras.backend` that are modules of the backend layer, not `keras.backend` API.
LAYER_TITLES = {
    "core": "Core layers",
    "convolutional": "Convolution layers",
    "pooling": "Pooling layers",
    "rnn": "Recurrent layers",
    "preprocessing": "Preprocessing layers",
    "normalization": "Normalization layers",
    "regularization": "Regularization layers",
    "attention": "Attention layers",
    "reshaping": "Reshaping layers",
    "merging": "Merging layers",
    "activations": "Activation layers",
    "engine_layers": "Backend-specific layers",
    "base": "The base Layer class and layer functions",
}

OP_TITLES = {
    "ops.numpy": "NumPy ops",
    "ops.nn": "NN ops",
    "ops.linalg": "Linear algebra ops",
    "ops.math": "Math ops",
    "ops.core": "Core ops",
    "ops.image": "Image ops",
}


def _import_unikeras():
    os.environ.setdefault("UNIKERAS_BACKEND", "numpy")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return importlib.import_module("unikeras")


def _namespace_module(name):
    unikeras = _import_unikeras()
    obj = unikeras
    for part in name.split(".") if name else []:
        obj = getattr(obj, part)
    return obj


def _dataset_namespaces():
    datasets = _namespace_module("datasets")
    return sorted(
        f"datasets.{n}"
        for n in dir(datasets)
        if not n.startswith("_") and inspect.ismodule(getattr(datasets, n))
    )


def namespaces():
    """Returns every public namespace documented, as dotted names below `unikeras` ("" = top)."""
    out = []
    for _, _, spaces in SECTIONS:
        for space in spaces:
            out.append(space)
            if space == "datasets":
                out.extend(_dataset_namespaces())
    return out


def _is_public_object(namespace, module, name, obj):
    if not name.isidentifier() or name.startswith("_") or inspect.ismodule(obj):
        return False
    if not (inspect.isclass(obj) or callable(obj)):
        return False
    if namespace.startswith("datasets."):
        # Each dataset module's API (as Keras 3), not the loading helpers it shares.
        return name in ("load_data", "get_word_index")
    if namespace.startswith("utils."):
        # Dataset modules and utils sub-namespaces: the functions they define or re-export
        # from unikeras, not the standard-library helpers they import.
        return (getattr(obj, "__module__", "") or "").startswith("unikeras")
    if namespace == "backend":
        return name not in BACKEND_INTERNAL
    if namespace.startswith("ops."):
        # The op functions of the namespace, not the helpers its module imports.
        where = getattr(obj, "__module__", "") or ""
        return where == module.__name__ or name in OP_REEXPORTS
    return True


#: Ops a namespace module re-exports from another (Keras 3 lists them there too).
OP_REEXPORTS = {"get_item"}


#: `unikeras.backend` names that are the backend layer's machinery (documented on the plugin
#: API page and in the guide on writing a plugin), not `keras.backend` functions.
BACKEND_INTERNAL = {"hookimpl", "table"}


def public_names(namespace):
    """Returns `[(name, object)]` for the public classes and functions of `namespace`."""
    module = _namespace_module(namespace)
    names = []
    for name in sorted(dir(module)):
        try:
            obj = getattr(module, name)
        except Exception:  # a lazy name whose optional dependency is missing
            continue
        if _is_public_object(namespace, module, name, obj):
            names.append((name, obj))
    return names


def public_path(namespace, name):
    return "unikeras." + (namespace + "." if namespace else "") + name


def defining_path(obj):
    """The import path of the object's definition (what mkdocstrings reads), or None."""
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    if not module or not qualname or not module.startswith("unikeras") or "<" in qualname:
        return None
    return f"{module}.{qualname}"


def load_coverage():
    """Returns `{"backends": {...}, "ops": {op: [backends implementing it]}}` or None."""
    if not os.path.exists(COVERAGE_FILE):
        return None
    with open(COVERAGE_FILE) as f:
        return json.load(f)


def write_coverage(python=sys.executable):
    """Writes `docs/op_coverage.json` from `python -m unikeras info --all --json` (needs every
    backend plugin installed: run it in the development venv)."""
    out = subprocess.run(
        [python, "-m", "unikeras", "info", "--all", "--json"],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "UNIKERAS_BACKEND": "numpy"},
    ).stdout
    report = json.loads(out)
    backends = {}
    ops = {}
    for entry in report["backends"]:
        name = entry["name"]
        details = entry.get("details") or {}
        if name not in COVERAGE_BACKENDS or "implemented" not in details:
            continue
        info = details.get("info") or {}
        backends[name] = {
            "distribution": entry.get("distribution"),
            "training": bool(entry["declared"].get("training")),
            "dtypes": info.get("dtypes"),
            "missing": details["missing"],
        }
        for op in details["implemented"] + details["missing"]:
            ops.setdefault(op, [])
        for op in details["implemented"]:
            ops[op].append(name)
    missing = [b for b in COVERAGE_BACKENDS if b not in backends]
    if missing:
        raise SystemExit(f"gen_ref --coverage: backends not installed or failing: {missing}")
    for op in ops:
        ops[op] = [b for b in COVERAGE_BACKENDS if b in ops[op]]
    data = {
        "backends": {b: backends[b] for b in COVERAGE_BACKENDS},
        "ops": dict(sorted(ops.items())),
    }
    with open(COVERAGE_FILE, "w") as f:
        json.dump(data, f, indent=1, sort_keys=False)
        f.write("\n")
    return data


def _options(heading):
    return f'    options:\n      heading: "{heading}"\n      toc_label: "{heading.rsplit(".", 1)[-1]}"\n'


def _made_at_runtime(obj):
    """Whether `obj` is a function made by a factory (e.g. `ConvNeXtTiny = _variant(...)`):
    its source is an assignment without the docstring, which mkdocstrings (reading source)
    cannot show, so the page renders the run-time docstring itself (`_runtime_markdown`)."""
    code = getattr(obj, "__code__", None)
    return code is not None and code.co_name != getattr(obj, "__name__", None)


_SECTION = re.compile(r"^(Args|Arguments|Returns|Raises|Examples?|Notes?):\s*$")


def _runtime_markdown(public, obj):
    """Markdown for a Google-style docstring: prose as is, `Args:`/`Raises:` entries as a
    list, `Returns:` as a paragraph, `Examples:` as a Python code block."""
    lines = (inspect.getdoc(obj) or "").splitlines()
    out = [f"### `{public}`", "", f"```python\n{obj.__name__}{inspect.signature(obj)}\n```", ""]
    i = 0
    while i < len(lines):
        match = _SECTION.match(lines[i])
        if not match:
            out.append(lines[i])
            i += 1
            continue
        title, body = match.group(1), []
        i += 1
        while i < len(lines) and (not lines[i].strip() or lines[i].startswith(" ")):
            body.append(lines[i])
            i += 1
        body = inspect.cleandoc("\n".join(body)).splitlines()
        out += [f"**{title}:**", ""]
        if title.startswith("Example"):
            out += ["```python", *body, "```"]
        elif title in ("Args", "Arguments", "Raises"):
            for line in body:
                if line and not line.startswith(" "):
                    name, _, text = line.partition(":")
                    out.append(f"- `{name.strip()}`: {text.strip()}")
                elif line.strip():
                    out[-1] += " " + line.strip()
        else:
            out.append(" ".join(line.strip() for line in body))
        out.append("")
    return "\n".join(out) + "\n"


#: Defining paths already rendered in this build -> the public path they were rendered under.
_RENDERED = {}


def _render(namespace, name, obj):
    path = defining_path(obj)
    public = public_path(namespace, name)
    if path is None:
        doc = inspect.getdoc(obj) or ""
        return f"### `{public}`\n\n{doc}\n"
    if _made_at_runtime(obj):
        # Rendered from the run-time docstring wherever it appears: no mkdocstrings anchor
        # exists for its defining path to link to.
        return _runtime_markdown(public, obj)
    if path in _RENDERED:
        return f"### `{public}`\n\nThe same object as [`{_RENDERED[path]}`][{path}].\n"
    _RENDERED[path] = public
    return f"::: {path}\n{_options(public)}"


def _coverage_line(op, coverage):
    if coverage is None or op not in coverage["ops"]:
        return ""
    have = set(coverage["ops"][op])
    cells = " · ".join(
        f"{b} {'✓' if b in have else '✗ (raises `NotImplementedError`)'}" for b in COVERAGE_BACKENDS
    )
    return f"\n**Backends:** {cells}\n"


def _random_pages(coverage):
    text = _page_header(
        "RNG API",
        "`unikeras.random`. Under each draw: the backends that implement it, from the plugins' "
        "coverage (`python -m unikeras info --all`).",
    )
    for name, obj in public_names("random"):
        text += _render("random", name, obj) + _coverage_line(f"random_{name}", coverage) + "\n"
    return {"reference/random.md": ("RNG API", text)}


def _layer_group(obj):
    module = getattr(obj, "__module__", "")
    parts = module.split(".")
    if len(parts) > 2 and parts[1] == "layers":
        group = parts[2]
        if group in LAYER_TITLES:
            return group
    return "base"


def _page_header(title, intro):
    return f"# {title}\n\n{intro}\n\n"


def _layers_pages():
    groups = {}
    for name, obj in public_names("layers"):
        group = _layer_group(obj) if inspect.isclass(obj) else "base"
        groups.setdefault(group, []).append((name, obj))
    pages = {}
    for group in LAYER_TITLES:
        if group not in groups:
            continue
        title = LAYER_TITLES[group]
        text = _page_header(title, f"`unikeras.layers`: {title.lower()}.")
        text += "\n".join(_render("layers", n, o) for n, o in groups[group])
        pages[f"reference/layers/{group}.md"] = (title, text)
    return pages


def _dtype_note(coverage):
    if coverage is None:
        return ""
    rows = ["| backend | dtypes |", "|---|---|"]
    for b, entry in coverage["backends"].items():
        dtypes = entry.get("dtypes")
        rows.append(f"| {b} | {', '.join(dtypes) if dtypes else 'see the backend'} |")
    return (
        "Dtypes: ops follow Keras 3's type promotion (`keras.ops.result_type`); each op's "
        "notes above say where its result dtype differs from its input's. The dtypes each "
        "backend computes in:\n\n" + "\n".join(rows) + "\n"
    )


def _ops_pages(coverage):
    pages = {}
    for namespace in SECTIONS[3][2]:
        short = namespace.split(".", 1)[1]
        title = OP_TITLES[namespace]
        names = public_names(namespace)
        intro = (
            f"`unikeras.{namespace}` (also flat as `unikeras.ops.<name>`"
            + (", except image ops" if short != "image" else "")
            + "). Under each op: the backends that implement it, from the plugins' coverage "
            "(`python -m unikeras info --all`)."
        )
        text = _page_header(title, intro)
        for name, obj in names:
            text += _render(namespace, name, obj) + _coverage_line(name, coverage) + "\n"
        text += "\n## Dtypes\n\n" + _dtype_note(coverage)
        pages[f"reference/ops/{short}.md"] = (title, text)
    # keras.random draws are op hooks too.
    return pages


def _coverage_page(coverage):
    if coverage is None:
        return {}
    head = "| op | " + " | ".join(COVERAGE_BACKENDS) + " |"
    rows = [head, "|---" * (len(COVERAGE_BACKENDS) + 1) + "|"]
    for op, have in coverage["ops"].items():
        rows.append(
            f"| `{op}` | " + " | ".join("✓" if b in have else "✗" for b in COVERAGE_BACKENDS) + " |"
        )
    totals = " · ".join(
        f"{b}: {len(coverage['ops']) - len(e['missing'])} of {len(coverage['ops'])}"
        for b, e in coverage["backends"].items()
    )
    text = _page_header(
        "Op coverage by backend",
        "Every op hook of the contract and the backends that implement it (from "
        "`python -m unikeras info --all --json`; a missing op raises `NotImplementedError` "
        f"naming the op and the backend). Totals: {totals}.",
    )
    return {"reference/ops/coverage.md": ("Op coverage by backend", text + "\n".join(rows) + "\n")}


def pages():
    """Returns `{path: (title, markdown)}` for every reference page, in navigation order."""
    coverage = load_coverage()
    _RENDERED.clear()
    out = {}
    index = [
        "# API reference",
        "",
        "Every public name of `unikeras`, grouped as keras.io groups "
        "Keras 3's API. `import unikeras as keras` gives the same names as `import keras`.",
        "",
    ]
    for slug, title, spaces in SECTIONS:
        if slug == "layers":
            sub = _layers_pages()
        elif slug == "ops":
            sub = _ops_pages(coverage)
            sub.update(_coverage_page(coverage))
        elif slug == "random":
            sub = _random_pages(coverage)
        else:
            text = _page_header(
                title, ", ".join(f"`unikeras.{s}`" if s else "`unikeras`" for s in spaces) + "."
            )
            all_spaces = []
            for space in spaces:
                all_spaces.append(space)
                if space == "datasets":
                    all_spaces.extend(_dataset_namespaces())
            for space in all_spaces:
                names = public_names(space)
                if not names:
                    continue
                if len(all_spaces) > 1:
                    text += f"## `unikeras{'.' + space if space else ''}`\n\n"
                text += "\n".join(_render(space, n, o) for n, o in names) + "\n"
            sub = {f"reference/{slug}.md": (title, text)}
        out.update(sub)
        first = next(iter(sub))
        index.append(f"- [{title}]({first.split('/', 1)[1]})")
    out = {"reference/index.md": ("API reference", "\n".join(index) + "\n"), **out}
    return out


def nav(generated):
    """Returns the mkdocs `nav` entries of the reference pages (nested for layers and ops)."""
    entries = [{"Overview": "reference/index.md"}]
    layer_pages = [p for p in generated if p.startswith("reference/layers/")]
    op_pages = [p for p in generated if p.startswith("reference/ops/")]
    for slug, title, _ in SECTIONS:
        if slug == "layers":
            entries.append({title: [{generated[p][0]: p} for p in layer_pages]})
        elif slug == "ops":
            entries.append({title: [{generated[p][0]: p} for p in op_pages]})
        else:
            path = f"reference/{slug}.md"
            entries.append({title: path})
    return entries


def _parser():
    parser = argparse.ArgumentParser(
        prog="python docs/gen_ref.py",
        description="Writes unikeras' API reference pages (Markdown) to a folder for inspection, "
        "or refreshes docs/op_coverage.json with --coverage. The documentation build does not "
        "need this: docs/hooks.py generates the pages in memory.",
    )
    parser.add_argument(
        "out_dir",
        nargs="?",
        default="reference-out",
        help="folder to write the pages into (default: %(default)s)",
    )
    parser.add_argument(
        "--coverage",
        action="store_true",
        help="instead of writing pages, rewrite docs/op_coverage.json from "
        "`python -m unikeras info --all --json` (needs every backend plugin installed)",
    )
    return parser


def main(argv=None):
    """Command line: `python docs/gen_ref.py [OUT_DIR]` or `python docs/gen_ref.py --coverage`.

    Args:
        argv: The arguments (default: `sys.argv[1:]`).
    """
    args = _parser().parse_args(argv)
    if args.coverage:
        data = write_coverage()
        print(f"wrote {COVERAGE_FILE}: {len(data['ops'])} ops")
        return
    for path, (_, text) in pages().items():
        target = os.path.join(args.out_dir, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w") as f:
            f.write(text)
    print(f"wrote the reference pages under {args.out_dir}")


if __name__ == "__main__":
    main()
