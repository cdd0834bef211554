"""The helpers the GPU benchmark run relies on (benchmarks/devices.py, checkout_site.py): the
options' effects are checked here on the CPU, since no GPU machine runs the test suite."""

import importlib.metadata
import os
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture
def bench_module(monkeypatch):
    """Imports a module of benchmarks/ by name."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))

    def load(name):
        import importlib

        return importlib.import_module(name)

    return load


def test_device_cpu_hides_gpus_before_engines_import(bench_module, monkeypatch):
    devices = bench_module("devices")
    for name in ("CUDA_VISIBLE_DEVICES", "JAX_PLATFORMS"):  # restored after the test
        monkeypatch.setenv(name, "unset")
        monkeypatch.delenv(name)
    assert devices.early_setup(["--model", "lstm", "--device", "auto"]) == "auto"
    assert "CUDA_VISIBLE_DEVICES" not in os.environ and "JAX_PLATFORMS" not in os.environ
    assert devices.early_setup(["--device", "cpu", "--repeats", "1"]) == "cpu"
    assert os.environ["CUDA_VISIBLE_DEVICES"] == "" and os.environ["JAX_PLATFORMS"] == "cpu"
    assert [devices.compute_dtype(p) for p in ("none", "float16", "bfloat16")] == [
        None,
        "float16",
        "bfloat16",
    ]


def test_device_gpu_fails_clearly_without_one(bench_module):
    devices = bench_module("devices")
    with pytest.raises(SystemExit, match="--device gpu: backend 'numpy' sees no GPU"):
        devices.check_device("gpu", "numpy")
    devices.check_device("auto", "numpy")
    assert devices.synchronizer("numpy") is None
    assert devices.device_name("numpy").startswith("CPU (")


needs_tomllib = pytest.mark.skipif(
    sys.version_info < (3, 11), reason="checkout_site.py reads pyproject.toml with tomllib (3.11+)"
)


@needs_tomllib
def test_checkout_site_exposes_the_backend_entry_points(bench_module, tmp_path):
    """What gpu_check.sh puts on PYTHONPATH for a Python without unikeras installed: the
    projects' dist-info (their backend entry points) and their src folders."""
    checkout_site = bench_module("checkout_site")
    site = tmp_path / "site"
    checkout_site.main([str(site), "--plugins", "torch,jax"])
    found = {}
    for dist in importlib.metadata.distributions(path=[str(site)]):
        found[dist.metadata["Name"]] = {
            ep.name: ep.value for ep in dist.entry_points if ep.group == "unikeras.backends"
        }
    assert found == {
        "unikeras": {"numpy": "unikeras.backend.numpy"},
        "unikeras-jax": {"jax": "unikeras_jax"},
        "unikeras-torch": {"torch": "unikeras_torch"},
    }


@needs_tomllib
def test_checkout_site_prints_the_src_folders(bench_module, tmp_path, capsys):
    checkout_site = bench_module("checkout_site")
    checkout_site.main([str(tmp_path), "--plugins", "tensorflow"])
    paths = capsys.readouterr().out.strip().split(os.pathsep)
    root = BENCHMARKS.parent
    assert paths == [
        str(tmp_path.resolve()),
        str(root / "core/src"),
        str(root / "plugins/keras-tf/src"),
    ]
    assert all(Path(p).is_dir() for p in paths)
