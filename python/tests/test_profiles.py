"""Fitted profiles: the CLI fits one, Python loads it, estimates with it (as
the CLI does), saves it and loads it back."""
import json

import pytest

import edgeperf
from conftest import SOURCE_DIR, case_flags

CASE = dict(model="dsr1-llama-8b", quant="bf16", input_tokens=1024, output_tokens=512)


@pytest.fixture(scope="module")
def fitted(cli, tmp_path_factory):
    d = tmp_path_factory.mktemp("fit")
    dev, run = d / "fitted-device.json", d / "fitted-runtime.json"
    cli.run("fit", "--runs", SOURCE_DIR / "data/edgereasoning-dsr1-llama-8b.csv", "--device", "agx-orin-64gb",
            "--runtime", "vllm", "--exclude", "ttft_s@2561", "-o", dev, "--runtime-out", run)
    return dev, run


def test_fitted_profile_round_trip(cli, fitted, tmp_path):
    dev_path, run_path = fitted
    dev, run = edgeperf.load_device_profile(dev_path), edgeperf.load_runtime_profile(run_path)
    assert isinstance(dev, edgeperf.Device) and isinstance(run, edgeperf.Runtime)
    assert dev.modes == edgeperf.modes("agx-orin-64gb")
    by_path = edgeperf.estimate(device=str(dev_path), runtime=str(run_path), **CASE).to_dict()
    by_object = edgeperf.estimate(device=dev, runtime=run, **CASE).to_dict()
    expected = cli.json("estimate", *case_flags(device=dev_path, runtime=run_path, **CASE))
    for k, v in expected.items():
        assert by_path[k] == v and by_object[k] == v, k
    # the fit changed something the catalog profile had
    catalog = edgeperf.estimate(device="agx-orin-64gb", runtime="vllm", **CASE)
    assert catalog.total_s != by_path["total_s"]

    # save → load → same profile and same numbers; the saved file also feeds the CLI
    dev.save(tmp_path / "again-device.json")
    run.save(tmp_path / "again-runtime.json")
    dev2 = edgeperf.load_device_profile(tmp_path / "again-device.json")
    run2 = edgeperf.load_runtime_profile(tmp_path / "again-runtime.json")
    assert dev2.to_dict() == dev.to_dict() and run2.to_dict() == run.to_dict()
    again = cli.json("estimate", *case_flags(device=tmp_path / "again-device.json",
                                             runtime=tmp_path / "again-runtime.json", **CASE))
    for k, v in expected.items():
        assert again[k] == v, k
    # a dict with the profile's contents gives the same results too
    via_dict = edgeperf.estimate(device=dev.to_dict(), runtime=run.to_dict(), **CASE).to_dict()
    assert via_dict["total_s"] == expected["total_s"] and via_dict["energy_j"] == expected["energy_j"]


def test_edited_profile_changes_the_estimate(tmp_path):
    d = edgeperf.device("agx-orin-64gb").to_dict()
    base = edgeperf.estimate(device=d, runtime="vllm", **CASE)
    d["storage_bytes_per_s"]["value"] /= 10
    slow = edgeperf.estimate(device=d, runtime="vllm", **CASE)
    assert slow.cold_start_s == pytest.approx(10 * base.cold_start_s, rel=1e-12)
    assert slow.total_s == base.total_s
    p = tmp_path / "d.json"
    p.write_text(json.dumps(d))
    assert edgeperf.estimate(device=p, runtime="vllm", **CASE).cold_start_s == slow.cold_start_s
