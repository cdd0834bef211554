"""The conformance kit (`unikeras.testing`) run on the numpy backend, as a plugin author would."""

import re

from unikeras.info import contract_ops


def _pytest(run_python, *args):
    code = f"import sys, pytest; sys.exit(pytest.main(['-p', 'no:cacheprovider', *{list(args)!r}]))"
    return run_python(code, UNIKERAS_BACKEND="numpy")


def test_kit_passes_on_the_reference_backend_and_reports_coverage(run_python):
    # The numpy backend against itself: a failure is a case the reference cannot run.
    result = _pytest(
        run_python, "-q", "-rfE", "--pyargs", "unikeras.testing.conformance", "-k", "test_op_case"
    )
    out = result.stdout
    assert result.returncode == 0, out[-5000:] + result.stderr
    assert "unikeras conformance: backend 'numpy'" in out
    assert re.search(rf"ops implemented: \d+ / {len(contract_ops())} in the contract", out)
    assert re.search(r"cases: \d+ passed, 0 failed, \d+ skipped", out)


def test_option_adds_the_kit_to_the_collection(run_python, tmp_path):
    (tmp_path / "test_own.py").write_text("def test_own():\n    pass\n")
    result = _pytest(run_python, "--unikeras-conformance", "--collect-only", "-q", str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "test_own.py::test_own" in result.stdout
    assert "::test_every_contract_op_has_a_case" in result.stdout


def test_every_contract_op_has_a_case():
    from unikeras.testing import conformance

    conformance.test_every_contract_op_has_a_case()
