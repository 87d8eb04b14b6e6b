"""estimate(): the same fields and values as the CLI's `estimate --format json`."""
import json
import math

import pytest

import edgeperf
from conftest import SOURCE_DIR, case_flags

MUST_SHOW = dict(model="dsr1-qwen-14b", device="agx-orin-64gb", runtime="vllm", quant="bf16",
                 input_tokens=512, output_tokens=1024)

CASES = [
    MUST_SHOW,
    dict(model="dsr1-qwen-1.5b", device="agx-orin-64gb", runtime="vllm", quant="w4a16",
         input_tokens=128, output_tokens=1),
    dict(model="dsr1-llama-8b", device="agx-orin-64gb", mode="30W", runtime="vllm", quant="w4a16",
         input_tokens=2048, output_tokens=256, batch=4, samples=8),
    dict(model="dsr1-qwen-7b", device="orin-nx-16gb", runtime="llama.cpp", quant="q4_k_m",
         input_tokens=300, output_tokens=700, kv_dtype="fp16"),
    dict(model="mixtral-8x7b", device="h100-sxm", runtime="vllm", quant="fp8", kv_dtype="fp8",
         input_tokens=4096, output_tokens=128, batch=2),
    dict(model="dsr1-qwen-14b", device="orin-nano-8gb", runtime="hf-eager", quant="bf16",
         input_tokens=512, output_tokens=64),  # does not fit: still estimated, fits false
    dict(model=str(SOURCE_DIR / "tests/data/hf/qwen2.5-0.5b/config.json"), device="agx-orin-32gb",
         runtime="vllm", quant="bf16", input_tokens=256, output_tokens=256),
    dict(model="dsr1-qwen-1.5b", device=str(SOURCE_DIR / "tests/data/cases/orin-64gb-sd-card.json"),
         runtime="vllm", quant="bf16", input_tokens=512, output_tokens=512),
    dict(model="dsr1-qwen-1.5b", device="agx-orin-64gb", runtime="vllm", quant="bf16", input_tokens=512,
         output_tokens=1024, electricity_usd_per_kwh=0.3, device_price_usd=2000, service_life_years=4,
         utilization=0.5, cloud_input_usd_per_1m=0.1, cloud_output_usd_per_1m=0.4),
]


def test_must_show_total_s_equals_cli(cli):
    r = edgeperf.estimate(**MUST_SHOW)
    assert r.total_s == cli.json("estimate", *case_flags(**MUST_SHOW))["total_s"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['model'].split('/')[-2] if '/' in c['model'] else c['model']}-{c.get('quant')}-{c['device'].split('/')[-1]}")
def test_fields_identical_to_cli_json(cli, case):
    expected = cli.json("estimate", *case_flags(**case))
    got = edgeperf.estimate(**case).to_dict()
    assert expected, "the CLI wrote no fields"
    for key, value in expected.items():
        assert key in got, f"field {key} of the CLI's JSON is missing"
        # Exact: the CLI writes shortest round-trip numbers.
        assert got[key] == value, f"{key}: python {got[key]!r} != CLI {value!r}"
        assert type(got[key]) is type(value) or isinstance(value, (int, float)) and isinstance(got[key], (int, float))


def test_no_nan_in_results():
    for case in CASES:
        d = edgeperf.estimate(**case).to_dict()
        for k, v in d.items():
            if isinstance(v, float):
                assert math.isfinite(v), f"{k} = {v}"


def test_every_cli_field_is_an_attribute(cli):
    expected = cli.json("estimate", *case_flags(**MUST_SHOW))
    r = edgeperf.estimate(**MUST_SHOW)
    assert r.notes == expected.pop("notes")  # loader notes and profile warnings, not a field
    for key in expected:
        assert key in edgeperf.fields
        assert getattr(r, key) == expected[key]
        assert getattr(type(r), key).__doc__


def test_case_fields_echo_the_arguments():
    r = edgeperf.estimate(**CASES[2])
    assert (r.model, r.device, r.mode, r.runtime, r.quant) == ("dsr1-llama-8b", "agx-orin-64gb", "30W", "vllm", "w4a16")
    assert (r.batch, r.samples, r.input_tokens, r.output_tokens) == (4, 8, 2048, 256)
    assert isinstance(r.batch, int)
    assert edgeperf.estimate(**MUST_SHOW).mode == "MAXN"  # the default mode is resolved


def test_model_as_path_dict_and_folder_agree():
    path = SOURCE_DIR / "tests/data/hf/dsr1-qwen-1.5b/config.json"
    kw = dict(device="agx-orin-64gb", runtime="vllm", quant="bf16", input_tokens=512, output_tokens=300)
    by_path = edgeperf.estimate(model=str(path), **kw).to_dict()
    by_pathlib = edgeperf.estimate(model=path, **kw).to_dict()
    by_folder = edgeperf.estimate(model=str(path.parent), **kw).to_dict()
    by_dict = edgeperf.estimate(model=json.loads(path.read_text()), **kw).to_dict()
    for d in (by_pathlib, by_folder, by_dict):
        for k in ("total_s", "ttft_s", "energy_j", "peak_memory_bytes", "weights_bytes"):
            assert d[k] == by_path[k]
    # and the catalog entry describes the same architecture
    assert edgeperf.estimate(model="dsr1-qwen-1.5b", **kw).weights_bytes == by_path["weights_bytes"]


def test_device_and_runtime_as_objects_and_dicts():
    kw = dict(model="dsr1-qwen-1.5b", quant="bf16", input_tokens=512, output_tokens=128)
    base = edgeperf.estimate(device="orin-nx-16gb", runtime="vllm", **kw).to_dict()
    d, rt = edgeperf.device("orin-nx-16gb"), edgeperf.runtime("vllm")
    assert d.id == "orin-nx-16gb" and d.modes[0] == edgeperf.modes("orin-nx-16gb")[0]
    for dev, run in ((d, rt), (d.to_dict(), rt.to_dict())):
        got = edgeperf.estimate(device=dev, runtime=run, **kw).to_dict()
        assert got["total_s"] == base["total_s"] and got["module_energy_j"] == base["module_energy_j"]


def test_rails_and_ops_breakdown():
    r = edgeperf.estimate(**MUST_SHOW)
    rails = {x["rail"]: x["energy_j"] for x in r.rails}
    assert rails["VDD_GPU_SOC"] == r.energy_j
    assert rails["VIN_SYS_5V0"] == r.module_energy_j
    assert "VDD_CPU_CV" in rails
    for step, total in ((r.prefill, r.ttft_s), (r.first_decode, r.tpot_s)):
        ops = step["ops"]
        assert len(ops) > 5
        assert {"name", "kind", "count", "time_s", "flops", "bytes", "energy_j", "bound"} <= set(ops[0])
        assert sum(o["time_s"] for o in ops) <= step["device_s"] * (1 + 1e-12)
        assert step["time_s"] > 0
    assert sum(o["flops"] for o in r.prefill["ops"]) == pytest.approx(r.prefill_flops, rel=1e-12)
    assert r.prefill["time_s"] == r.ttft_s
    d = r.to_dict()
    assert d["rails"] == r.rails and d["prefill"]["ops"] == r.prefill["ops"]


def test_docstrings_are_useful():
    doc = edgeperf.estimate.__doc__
    for word in ("model", "device", "runtime", "quant", "input_tokens", "output_tokens", "kv_dtype",
                 "ValueError", "config.json"):
        assert word in doc
    for name in ("sweep", "plan", "pareto", "models", "devices", "quants", "runtimes", "modes",
                 "load_device_profile", "load_runtime_profile", "device", "runtime"):
        assert len(getattr(edgeperf, name).__doc__ or "") > 40, name
    assert edgeperf.__doc__ and edgeperf.Estimate.__doc__ and edgeperf.Estimate.to_dict.__doc__
    assert edgeperf.__version__.count(".") == 2


def test_quant_defaults_to_the_configs_dtype():
    path = str(SOURCE_DIR / "tests/data/hf/qwen2.5-0.5b/config.json")
    kw = dict(model=path, device="agx-orin-32gb", runtime="vllm", input_tokens=256, output_tokens=256)
    r = edgeperf.estimate(**kw)
    assert json.loads(open(path).read())["dtype"] == "bfloat16" and r.quant == "bf16"
    assert r.to_dict() == edgeperf.estimate(quant=r.quant, **kw).to_dict()
