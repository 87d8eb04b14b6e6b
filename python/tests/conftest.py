"""Shared fixtures of the Python tests (run by CTest's python_pytest and by
`bash cmake/edgeperf.sh test`).

Environment (set by python/CMakeLists.txt):
  PYTHONPATH           the build's python/ folder, holding the edgeperf module
  EDGEPERF_CLI         the `edgeperf` CLI of the same build: the tests compare
                       the module with it (they are skipped only when it is unset)
  EDGEPERF_SOURCE_DIR  the source tree (default: two folders up from here)
"""
import json
import os
import pathlib
import subprocess

import pytest

import edgeperf

SOURCE_DIR = pathlib.Path(os.environ.get("EDGEPERF_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))


class Cli:
    """Runs the `edgeperf` CLI binary of the build."""

    def __init__(self, exe):
        self.exe = exe

    def run(self, *args, check=True):
        p = subprocess.run([self.exe, *map(str, args)], capture_output=True, text=True, cwd=SOURCE_DIR)
        if check and p.returncode != 0:
            raise AssertionError(f"edgeperf {' '.join(map(str, args))} failed ({p.returncode}):\n{p.stderr}")
        return p

    def json(self, *args):
        return json.loads(self.run(*args, "--format", "json").stdout)

    def error(self, *args):
        """The message the CLI prints for a failing command (without the 'edgeperf ...: ' prefix)."""
        p = self.run(*args, check=False)
        assert p.returncode != 0, f"expected edgeperf {' '.join(map(str, args))} to fail"
        # Loader notes ("note: ...") may come first; the error is the "edgeperf ...:" line.
        lines = p.stderr.splitlines()
        first = next((l for l in lines if l.startswith("edgeperf") and not l.startswith("edgeperf: note:")), lines[0])
        for prefix in ("edgeperf estimate: ", "edgeperf: "):
            if first.startswith(prefix):
                return first[len(prefix):]
        return first


@pytest.fixture(scope="session")
def cli():
    exe = os.environ.get("EDGEPERF_CLI")
    if not exe:
        pytest.skip("EDGEPERF_CLI is not set (CTest and cmake/edgeperf.sh set it to the build's CLI)")
    assert os.access(exe, os.X_OK), f"EDGEPERF_CLI={exe} is not an executable"
    return Cli(exe)


@pytest.fixture(scope="session")
def source_dir():
    return SOURCE_DIR


def case_flags(**kw):
    """CLI flags of an estimate() call's keywords."""
    names = {"input_tokens": "--input", "output_tokens": "--output", "kv_dtype": "--kv-dtype",
             "electricity_usd_per_kwh": "--kwh-price", "device_price_usd": "--device-price",
             "service_life_years": "--life-years", "cloud_input_usd_per_1m": "--cloud-input-price",
             "cloud_output_usd_per_1m": "--cloud-output-price"}
    out = []
    for k, v in kw.items():
        if v is not None:
            out += [names.get(k, "--" + k.replace("_", "-")), str(v)]
    return out
