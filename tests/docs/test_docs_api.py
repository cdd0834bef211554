"""The API reference's inputs: every public name has a docstring, every public namespace is
in the reference, the op coverage table matches the active backend, every public docstring is
complete (docs/docstring_rules.py), and the docstring examples run as doctests: on the numpy
backend, and the examples that train on every training backend."""

import doctest
import inspect
import os
import re
import sys

import numpy as np
import pytest

import unikeras
from unikeras import info
from unikeras.backend import table

DOCS = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "docs")
sys.path.insert(0, os.path.abspath(DOCS))
import docstring_rules  # noqa: E402
import gen_ref  # noqa: E402

sys.path.pop(0)


def _members(cls):
    """Public methods and properties a class defines itself (inherited ones are documented
    where they are defined)."""
    for name, value in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(value, property):
            yield name, value
        elif inspect.isfunction(value) or isinstance(value, (classmethod, staticmethod)):
            yield name, getattr(cls, name)


def undocumented():
    """Returns the public names (and public members of public classes) without a docstring."""
    missing, seen = [], set()
    for namespace in gen_ref.namespaces():
        for name, obj in gen_ref.public_names(namespace):
            public = gen_ref.public_path(namespace, name)
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            doc = inspect.getdoc(obj) if inspect.isclass(obj) else obj.__doc__
            if not inspect.isclass(obj) and not inspect.isroutine(obj):
                # A callable instance documents itself with its own docstring, not its class'.
                doc = obj.__doc__ if obj.__doc__ != type(obj).__doc__ else None
            if not (doc or "").strip():
                missing.append(public)
            if inspect.isclass(obj) and (obj.__module__ or "").startswith("unikeras"):
                for member, value in _members(obj):
                    if not (inspect.getdoc(value) or "").strip():
                        missing.append(f"{public}.{member}")
    return missing


def test_every_public_name_has_a_docstring():
    missing = undocumented()
    assert missing == [], f"{len(missing)} public names without a docstring: {missing}"


def test_every_public_namespace_is_in_the_reference():
    documented = {space.split(".")[0] for space in gen_ref.namespaces()}
    modules = {
        name
        for name in dir(unikeras)
        if name.isidentifier()
        and not name.startswith("_")
        and inspect.ismodule(getattr(unikeras, name))
    }
    assert modules - documented - gen_ref.INTERNAL_MODULES == set()


def test_reference_pages_cover_every_op():
    pages = gen_ref.pages()
    text = "\n".join(body for _, body in pages.values())
    for op in info.contract_ops():
        public = "random." + op[len("random_") :] if op.startswith("random_") else op
        assert f'.{public}"' in text, f"op {op!r} is missing from the reference"


def test_op_coverage_table_matches_the_active_backend():
    coverage = gen_ref.load_coverage()
    assert sorted(coverage["ops"]) == info.contract_ops(), (
        "docs/op_coverage.json is stale: run `python docs/gen_ref.py --coverage`"
    )
    report = info.coverage()
    if report["backend"] not in coverage["backends"]:
        pytest.skip(f"backend {report['backend']!r} has no column in docs/op_coverage.json")
    column = sorted(op for op, have in coverage["ops"].items() if report["backend"] in have)
    assert column == report["implemented"], (
        f"docs/op_coverage.json's {report['backend']} column differs from its dispatch table: "
        "run `python docs/gen_ref.py --coverage`"
    )


# An example "trains" when one of its `>>>` lines calls one of these: it needs a training
# backend (the numpy and openvino backends are inference only).
TRAINING_CALL = re.compile(r"\.(fit|train_on_batch|apply_gradients|apply)\(")


def _trains(obj):
    examples = doctest.DocTestParser().get_examples(obj.__doc__)
    return any(TRAINING_CALL.search(example.source) for example in examples)


def _doctest_targets():
    """Public names of every documented namespace whose docstrings have examples (`>>>`),
    each once, as `(public path, object)`."""
    targets, seen = [], set()
    for namespace in gen_ref.namespaces():
        for name, obj in gen_ref.public_names(namespace):
            doc = getattr(obj, "__doc__", None)
            if id(obj) in seen or not isinstance(doc, str) or ">>>" not in doc:
                continue
            seen.add(id(obj))
            targets.append((gen_ref.public_path(namespace, name), obj))
    return targets


DOCTESTS = [(name, obj) for name, obj in _doctest_targets() if not _trains(obj)]
TRAINING_DOCTESTS = [(name, obj) for name, obj in _doctest_targets() if _trains(obj)]


def _run_examples(name, obj):
    globs = {"keras": unikeras, "np": np}
    parser = doctest.DocTestParser()
    test = parser.get_doctest(obj.__doc__, globs, name, None, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report = []
    runner.run(test, out=report.append)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, (
        f"{name}: {result.failed} of {result.attempted} examples failed\n" + "".join(report)
    )


def test_ops_and_layers_have_examples():
    with_examples = [
        name for name, _ in DOCTESTS if name.startswith(("unikeras.ops.", "unikeras.layers."))
    ]
    assert len(with_examples) >= 20, with_examples


def test_models_optimizers_and_callbacks_have_training_examples():
    names = [name for name, _ in TRAINING_DOCTESTS]
    for namespace in ("models", "optimizers", "callbacks"):
        assert any(name.startswith(f"unikeras.{namespace}.") for name in names), (namespace, names)


@pytest.mark.skipif(
    unikeras.backend.backend() != "numpy", reason="docstring examples print NumPy-backend values"
)
@pytest.mark.parametrize("name,obj", DOCTESTS, ids=[name for name, _ in DOCTESTS])
def test_docstring_examples_run(name, obj):
    _run_examples(name, obj)


@pytest.mark.skipif(
    not table.backend_info()["training"],
    reason=f"inference-only backend {unikeras.backend.backend()!r}: these examples train",
)
@pytest.mark.parametrize("name,obj", TRAINING_DOCTESTS, ids=[name for name, _ in TRAINING_DOCTESTS])
def test_training_docstring_examples_run(name, obj):
    """The examples that train (fit, train_on_batch, an optimizer's apply) run on every
    training backend; what they print does not depend on the backend."""
    _run_examples(name, obj)


def test_public_docstrings_are_complete():
    """Every public name's docstring has a summary, Args naming each parameter, Returns, and
    for ops and layers an example (the rules of docs/docstring_rules.py)."""
    missing = docstring_rules.incomplete()
    assert missing == {}, f"{len(missing)} incomplete public docstrings: " + "; ".join(
        f"{path}: {', '.join(parts)}" for path, parts in sorted(missing.items())
    )


def _unknown_args(obj):
    """The `Args:` entries of `obj`'s docstring that name no parameter (none when the
    signature takes `*args`/`**kwargs`, whose entries document what those accept)."""
    doc = docstring_rules._docstring(obj)
    args = docstring_rules._section(doc, "Args") or docstring_rules._section(doc, "Arguments")
    target = obj.__init__ if inspect.isclass(obj) else obj
    try:
        parameters = inspect.signature(target).parameters
    except (TypeError, ValueError):
        return []
    variadic = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    if not args or any(p.kind in variadic for p in parameters.values()):
        return []
    indent = min(len(line) - len(line.lstrip()) for line in args.splitlines() if line.strip())
    entries = re.findall(rf"^ {{{indent}}}(\w+)\s*(?:\([^)]*\))?:", args, re.M)
    return [entry for entry in entries if entry not in parameters]


def test_args_sections_name_only_parameters():
    """An `Args:` entry for a name the signature does not have is a stale or misplaced entry
    (mkdocstrings renders it as a parameter that does not exist)."""
    unknown, seen = {}, set()
    for namespace in gen_ref.namespaces():
        for name, obj in gen_ref.public_names(namespace):
            if id(obj) in seen or not (inspect.isclass(obj) or inspect.isroutine(obj)):
                continue
            seen.add(id(obj))
            extra = _unknown_args(obj)
            if extra:
                unknown[gen_ref.public_path(namespace, name)] = extra
    assert unknown == {}, f"Args entries that name no parameter: {unknown}"


def test_gen_ref_command_line_parses_its_options(tmp_path, monkeypatch, capsys):
    # `--help` prints the usage and writes nothing (it once became the output folder's name);
    # an unknown option is refused; OUT_DIR receives the pages.
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_info:
        gen_ref.main(["--help"])
    assert exit_info.value.code == 0
    assert "--coverage" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_info:
        gen_ref.main(["--no-such-option"])
    assert exit_info.value.code == 2
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr(gen_ref, "pages", lambda: {"reference/x.md": ("X", "# X\n")})
    gen_ref.main(["site"])
    assert (tmp_path / "site" / "reference" / "x.md").read_text() == "# X\n"
