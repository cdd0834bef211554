"""The import layers of unikeras, read from the source (no import-linter needed).

The same rules as the import-linter contracts in `.importlinter` (run by the tox env `lint`),
checked on direct imports, function-local ones included:
- nothing in the core imports a backend plugin;
- plugins import only the plugin API (`unikeras.backend.api`, `unikeras.backend.common`) and
  public `unikeras` modules;
- the backend layer (what the plugin API is made of) imports nothing above it;
- the core's modules follow the layers listed in `.importlinter` (each imports only layers
  below its own).
"""

import ast
import configparser
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
CORE = ROOT / "core" / "src"
PLUGIN_PACKAGES = ("unikeras_jax", "unikeras_torch", "unikeras_tf", "unikeras_openvino")
PLUGIN_SOURCES = [
    ROOT / "plugins" / folder / "src" / package
    for folder, package in (
        ("keras-jax", "unikeras_jax"),
        ("keras-torch", "unikeras_torch"),
        ("keras-tf", "unikeras_tf"),
        ("keras-openvino", "unikeras_openvino"),
    )
]

# What a plugin may import from the core: the plugin API and the public namespaces (a
# namespace's own module, not the modules behind it).
PLUGIN_ALLOWED = ("unikeras.backend.api", "unikeras.backend.common")
PUBLIC_NAMESPACES = {
    "unikeras",
    "unikeras.activations",
    "unikeras.callbacks",
    "unikeras.config",
    "unikeras.constraints",
    "unikeras.distribution",
    "unikeras.dtype_policies",
    "unikeras.initializers",
    "unikeras.layers",
    "unikeras.losses",
    "unikeras.metrics",
    "unikeras.models",
    "unikeras.ops",
    "unikeras.optimizers",
    "unikeras.random",
    "unikeras.regularizers",
    "unikeras.saving",
    "unikeras.tree",
    "unikeras.utils",
}
# The backend layer and what it may use.
LEAF = ("unikeras.backend", "unikeras.tree", "unikeras._version")


def _module_name(path, source_root):
    parts = list(path.relative_to(source_root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(name):
    """Whether `name` is a module or package of the core or of a plugin (on disk)."""
    for base in [CORE] + [p.parent for p in PLUGIN_SOURCES]:
        path = base.joinpath(*name.split("."))
        if path.with_suffix(".py").is_file() or (path / "__init__.py").is_file():
            return True
    return False


def _imports(path, module):
    """`(imported module, line)` for every import in the file, function-local ones included;
    `from package import submodule` counts as an import of the submodule."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module
            submodules = [
                f"{target}.{alias.name}"
                for alias in node.names
                if _is_module(f"{target}.{alias.name}")
            ]
            found.extend((name, node.lineno) for name in (submodules or [target]))
    return found


def _files(source_root, package):
    return sorted((source_root / package).rglob("*.py"))


def _core_imports():
    for path in _files(CORE, "unikeras"):
        module = _module_name(path, CORE)
        for target, line in _imports(path, module):
            yield path, module, target, line


def _within(name, prefixes):
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_core_never_imports_a_plugin():
    bad = [
        f"{path.relative_to(ROOT)}:{line} imports {target}"
        for path, _, target, line in _core_imports()
        if _within(target, PLUGIN_PACKAGES)
    ]
    assert not bad, "\n".join(bad)


def test_plugins_import_only_the_plugin_api_and_public_modules():
    bad = []
    for source in PLUGIN_SOURCES:
        for path in sorted(source.rglob("*.py")):
            module = _module_name(path, source.parent)
            for target, line in _imports(path, module):
                if not _within(target, ("unikeras",)):
                    continue
                if _within(target, PLUGIN_ALLOWED) or target in PUBLIC_NAMESPACES:
                    continue
                bad.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    assert not bad, (
        "plugins may import only unikeras.backend.api, unikeras.backend.common "
        "and public namespaces:\n" + "\n".join(bad)
    )


def test_the_backend_layer_imports_nothing_above_it():
    bad = [
        f"{path.relative_to(ROOT)}:{line} imports {target}"
        for path, module, target, line in _core_imports()
        if _within(module, LEAF) and _within(target, ("unikeras",)) and not _within(target, LEAF)
    ]
    assert not bad, "\n".join(bad)


def test_keras_tensor_and_variable_do_not_reach_up_into_ops():
    for name in ("keras_tensor.py", "variable.py"):
        path = CORE / "unikeras" / "backend" / name
        targets = [t for t, _ in _imports(path, f"unikeras.backend.{name[:-3]}")]
        assert not [t for t in targets if _within(t, ("unikeras.ops",))], (name, targets)


def _layers():
    config = configparser.ConfigParser()
    config.read(ROOT / ".importlinter")
    contract = config["importlinter:contract:core-layers"]
    container = contract["containers"].strip()
    layers = []
    for line in contract["layers"].strip().splitlines():
        names = [n.strip() for n in line.replace(":", "|").split("|") if n.strip()]
        layers.append([f"{container}.{n}" for n in names])
    ignored = {
        tuple(part.strip() for part in line.split("->"))
        for line in contract.get("ignore_imports", "").strip().splitlines()
        if line
    }
    return layers, ignored


def test_core_modules_follow_the_layers_of_importlinter():
    layers, ignored = _layers()
    rank = {name: len(layers) - i for i, layer in enumerate(layers) for name in layer}

    def layer_of(module):
        matches = [name for name in rank if _within(module, (name,))]
        return max(matches, key=len) if matches else None

    bad = []
    for path, module, target, line in _core_imports():
        if (module, target) in ignored or not _within(target, ("unikeras",)):
            continue
        own, other = layer_of(module), layer_of(target)
        if own is None or other is None or own == other:
            continue
        if rank[own] <= rank[other]:
            bad.append(
                f"{path.relative_to(ROOT)}:{line}: {module} ({own}) imports {target} "
                f"({other}), a layer not below its own"
            )
    assert not bad, "\n".join(bad)


def test_layers_cover_every_top_level_package():
    layers, _ = _layers()
    listed = {name for layer in layers for name in layer}
    # Public namespaces that gather names from several layers are placed module by module.
    gathered = {"unikeras.utils", "unikeras.saving"}
    top = {
        _module_name(p, CORE).split(".")[1]
        for p in _files(CORE, "unikeras")
        if _module_name(p, CORE) != "unikeras"
    }
    missing = [
        f"unikeras.{name}" for name in sorted(top) if f"unikeras.{name}" not in listed | gathered
    ]
    assert not missing, f"top-level modules in no layer of .importlinter: {missing}"


def test_plugin_api_exposes_what_plugins_need():
    import unikeras
    from unikeras.backend import api, common, config, dtypes, hookspec, keras_tensor, tree
    from unikeras.backend import variable

    assert api.hookimpl is hookspec.hookimpl
    assert api.dtypes is dtypes and api.config is config and api.common is common
    assert api.tree is tree
    assert api.Variable is variable.Variable
    assert api.KerasTensor is keras_tensor.KerasTensor
    assert api.floatx is config.floatx
    # Services installed by the layers above the backend (`unikeras.random`,
    # `unikeras.distribution`) once `import unikeras` has finished.
    seed = unikeras.ops.convert_to_numpy(api.draw_seed(7))
    assert seed.tolist() == [7, 0] and seed.dtype.name == "uint32"
    assert api.distribute_data({"x": [1.0]}) == {"x": [1.0]}  # no distribution: unchanged
    assert isinstance(unikeras.Variable(1.0), api.Variable)


def test_import_linter_contracts_hold():
    """Where import-linter is installed (the tox env `lint`, a developer's venv), its
    contracts (indirect imports included) hold as well."""
    cli = pytest.importorskip("importlinter.cli")
    import subprocess
    import sys

    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports_command as cli; sys.exit(cli())",
            "--config",
            str(ROOT / ".importlinter"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    del cli
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
