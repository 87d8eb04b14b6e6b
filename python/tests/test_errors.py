"""Every error path: bad input raises edgeperf.Error (a ValueError) with the
CLI's message; nothing crashes or returns NaN."""
import json
import subprocess
import sys

import pytest

import edgeperf
from conftest import SOURCE_DIR, case_flags

OK = dict(model="dsr1-qwen-1.5b", device="agx-orin-64gb", runtime="vllm", quant="bf16",
          input_tokens=128, output_tokens=16)
DATA = SOURCE_DIR / "tests/data"


def with_(**kw):
    d = dict(OK)
    d.update(kw)
    return d


# Cases the CLI rejects through the same library call: the message must be the CLI's.
SAME_AS_CLI = {
    "unknown-model": with_(model="dsr1-qwen-1.6b"),
    "unknown-device": with_(device="agx-orin-65gb"),
    "unknown-runtime": with_(runtime="vlm"),
    "unknown-quant": with_(quant="w4a17"),
    "unknown-mode": with_(mode="99W"),
    "unknown-kv-dtype": with_(kv_dtype="fp7"),
    "missing-config": with_(model="no/such/config.json"),
    "missing-device-profile": with_(device="no-such-device.json"),
    "missing-runtime-profile": with_(runtime="no/such/runtime.json"),
    "bad-config-json": with_(model=str(DATA / "hf/bad/bad-json.json")),
    "config-missing-field": with_(model=str(DATA / "hf/bad/missing-field.json")),
    "config-negative-size": with_(model=str(DATA / "hf/bad/negative-size.json")),
    "config-heads-not-divisible": with_(model=str(DATA / "hf/bad/heads-not-divisible.json")),
    "config-not-an-object": with_(model=str(DATA / "hf/bad/not-an-object.json")),
    "runtime-on-cpu-only-device": with_(device="rpi5-8gb"),
    "no-int8-kernels": with_(runtime="llama.cpp", quant="w8a8-int8"),
    "device-profile-is-a-config": with_(device=str(DATA / "hf/qwen2.5-0.5b/config.json")),
}


@pytest.mark.parametrize("name", sorted(SAME_AS_CLI))
def test_error_message_is_the_clis(cli, name):
    case = SAME_AS_CLI[name]
    with pytest.raises(ValueError) as e:
        edgeperf.estimate(**case)
    assert isinstance(e.value, edgeperf.Error)
    assert str(e.value) == cli.error("estimate", *case_flags(**case))


@pytest.mark.parametrize("kw, message", [
    (dict(input_tokens=0), "input_tokens must be >= 1, got 0"),
    (dict(output_tokens=0), "output_tokens must be >= 1, got 0"),
    (dict(batch=0), "batch must be >= 1, got 0"),
    (dict(samples=-3), "samples must be >= 1, got -3"),
    (dict(model=123), "model: expected a catalog id, a path or a dict, got 123"),
    (dict(device=None), "device: expected a catalog id, a path or a dict, got None"),
    (dict(model={"hidden_size": 64}), "model JSON text: field 'model_type': unsupported architecture: no model_type"),
    (dict(model={"x": object()}), "model: the dict is not JSON-serializable: Object of type object"),
    (dict(device={"id": "x", "sm_count": "many"}), "device JSON text: field 'sm_count'"),
    (dict(runtime={"base": "vllm", "launches_head": -1}), "runtime JSON text"),
    (dict(electricity_usd_per_kwh=-1), "electricity_usd_per_kwh"),
    (dict(electricity_usd_per_kwh=float("nan")), "electricity_usd_per_kwh"),
    (dict(device_price_usd=-5), "device_price_usd"),
    (dict(service_life_years=0), "service_life_years"),
    (dict(utilization=2), "utilization"),
    (dict(cloud_output_usd_per_1m=-1), "cloud price"),
])
def test_library_errors(kw, message):
    with pytest.raises(edgeperf.Error, match=None) as e:
        edgeperf.estimate(**with_(**kw))
    assert message in str(e.value)


def test_quant_needed_for_a_catalog_model():
    with pytest.raises(edgeperf.Error, match="quant: no quant given and model 'dsr1-qwen-1.5b' names no 16-bit dtype"):
        edgeperf.estimate(**with_(quant=None))


def test_wrong_types_raise_type_error():
    with pytest.raises(TypeError):
        edgeperf.estimate(**with_(input_tokens="512"))
    with pytest.raises(TypeError):
        edgeperf.estimate(**with_(input_tokens=2 ** 40))
    with pytest.raises(TypeError):
        edgeperf.estimate("dsr1-qwen-1.5b", "agx-orin-64gb")  # keywords only
    with pytest.raises(TypeError):
        edgeperf.estimate(**with_(colour="red"))


def test_huge_request_is_refused_not_overflowed():
    with pytest.raises(edgeperf.Error, match="tokens"):
        edgeperf.estimate(**with_(batch=2 ** 30, samples=2 ** 30, input_tokens=2 ** 30))


def test_catalog_and_profile_errors(tmp_path):
    with pytest.raises(edgeperf.Error, match="unknown device id 'nx'"):
        edgeperf.modes("nx")
    with pytest.raises(edgeperf.Error, match="cannot open file"):
        edgeperf.load_device_profile(tmp_path / "none.json")
    bad = tmp_path / "bad.json"
    bad.write_text('{"base": "agx-orin-64gb", "memory_bytes": {"value": "lots"}}')
    with pytest.raises(edgeperf.Error, match="bad.json.*memory_bytes"):
        edgeperf.load_device_profile(bad)
    with pytest.raises(edgeperf.Error, match="bad.json"):
        edgeperf.load_runtime_profile(bad)
    with pytest.raises(edgeperf.Error, match="expected a path"):
        edgeperf.load_device_profile(3)


def test_sweep_errors():
    grid = dict(model="dsr1-qwen-1.5b", device=["agx-orin-64gb", "rpi5-8gb"], runtime="vllm", quant="bf16",
                input_tokens=[128, 256], output_tokens=16)
    with pytest.raises(edgeperf.Error, match="runtime 'vllm-0.8' does not run on CPU-only device 'rpi5-8gb'"):
        edgeperf.sweep(**grid)
    cols = edgeperf.sweep(errors="keep", **grid)
    bad = cols["device"] == "rpi5-8gb"
    assert bad.sum() == 2 and (cols["error"][bad] == "runtime 'vllm-0.8' does not run on CPU-only device 'rpi5-8gb'").all()
    assert (cols["error"][~bad] == "").all()
    import numpy as np
    assert np.isnan(cols["total_s"][bad]).all() and np.isfinite(cols["total_s"][~bad]).all()
    for kw, message in [(dict(errors="ignore"), "errors = 'ignore'"), (dict(threads=-1), "threads = -1"),
                        (dict(input_tokens=[]), "input_tokens: empty list"),
                        (dict(input_tokens=[1.5]), "input_tokens: expected integers"),
                        (dict(model=[]), "every list needs at least one value"),
                        (dict(model=["dsr1-qwen-1.5b", "nope"]), "unknown model id 'nope'"),
                        (dict(kv_dtype=["fp16", "fp9"]), "unknown dtype 'fp9'"),
                        (dict(utilization=0), "utilization"),
                        (dict(input_tokens=list(range(1, 4001)), output_tokens=list(range(1, 4001))), "sweep: 1.6e+07 cases; at most 1e+07 in one call")]:
        g = dict(grid, device="agx-orin-64gb")
        g.update(kw)
        with pytest.raises(edgeperf.Error, match=None) as e:
            edgeperf.sweep(**g)
        assert message in str(e.value), (kw, str(e.value))
    # a mode one device lacks: a failed row, like the CLI's sweep
    cols = edgeperf.sweep(errors="keep", **dict(grid, device=["agx-orin-64gb", "orin-nano-8gb"], mode="50W",
                                                input_tokens=128))
    assert cols["error"][1].startswith("unknown power mode '50W' for device 'orin-nano-8gb'")
    assert cols["error"][0] == ""


def test_sweep_without_numpy_says_so_and_the_rest_works():
    code = ("import sys; sys.modules['numpy'] = None\n"
            "import edgeperf\n"
            "r = edgeperf.estimate(model='dsr1-qwen-1.5b', device='agx-orin-64gb', runtime='vllm', quant='bf16',"
            " input_tokens=8, output_tokens=8)\n"
            "assert r.total_s > 0 and edgeperf.models()\n"
            "try:\n"
            "    edgeperf.sweep(model='dsr1-qwen-1.5b', device='agx-orin-64gb', runtime='vllm', quant='bf16',"
            " input_tokens=8, output_tokens=8)\n"
            "except ImportError as e:\n"
            "    print(e)\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert "edgeperf.sweep returns numpy arrays and needs numpy" in p.stdout


@pytest.mark.parametrize("kw, message", [
    (dict(latency_budget_s=-1), "latency_budget_s = -1: expected seconds > 0"),
    (dict(latency_budget_s=float("inf")), "latency_budget_s = inf"),
    (dict(energy_budget_j=0), "energy_budget_j = 0: expected joules > 0"),
    (dict(memory_budget_bytes=-1), "memory_budget_bytes = -1"),
    (dict(samples=[1, 100]), "samples: expected integers in [1, 64], got 100"),
    (dict(budgets=["none", "lots"]), "budgets: expected None, 'none', a token count >= 1"),
    (dict(budgets=[0]), "budgets: expected token counts >= 1"),
    (dict(models=["dsr1-llama-9b"]), "unknown model id 'dsr1-llama-9b'"),
    (dict(device="agx-orin-65gb"), "unknown device id 'agx-orin-65gb'"),
    (dict(mode="99W"), "unknown power mode '99W'"),
    (dict(quants=["w4a17"]), "unknown quant id 'w4a17'"),
    (dict(quants=[]), "quants: no quant given"),
    (dict(input_tokens=0), "input_tokens = 0"),
    (dict(length_cv=0), "length_cv = 0"),
    (dict(vote_options=1), "vote_options = 1"),
    (dict(benchmark="gsm8k"), "no models to plan with"),
    (dict(accuracy=str(DATA / "accuracy/bad_percent.csv")), "bad_percent.csv:3"),
])
def test_plan_errors(kw, message):
    args = dict(device="agx-orin-64gb", latency_budget_s=5.0)
    args.update(kw)
    with pytest.raises(edgeperf.Error) as e:
        edgeperf.plan(**args)
    assert message in str(e.value)
    args.pop("latency_budget_s")
    for k in ("energy_budget_j", "memory_budget_bytes"):
        args.pop(k, None)
    if "budget" not in message:
        with pytest.raises(edgeperf.Error):
            edgeperf.pareto(**args)


def test_plan_errors_match_the_cli(cli):
    for flags, kw in [(["--models", "dsr1-llama-9b"], dict(models=["dsr1-llama-9b"])),
                      (["--mode", "99W"], dict(mode="99W")),
                      (["--accuracy", DATA / "accuracy/bad_percent.csv"], dict(accuracy=DATA / "accuracy/bad_percent.csv"))]:
        with pytest.raises(edgeperf.Error) as e:
            edgeperf.plan(device="agx-orin-64gb", latency_budget_s=5, **kw)
        assert str(e.value) == cli.error("plan", "--device", "agx-orin-64gb", "--latency-budget", "5", *flags)
