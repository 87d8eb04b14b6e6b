"""sweep(): shapes, dtypes, the CLI's columns and values, agreement with estimate()."""
import csv
import io

import numpy as np
import pytest

import edgeperf

GRID = dict(model=["dsr1-qwen-1.5b", "dsr1-llama-8b"], device="agx-orin-64gb", runtime="vllm",
            quant=["bf16", "w4a16"], mode=["MAXN", "30W"], input_tokens=[128, 512], output_tokens=[1, 256],
            batch=[1, 4])
N = 2 * 2 * 2 * 2 * 2 * 2


def cli_flags(grid):
    names = {"input_tokens": "--input", "output_tokens": "--output", "kv_dtype": "--kv-dtype"}
    out = []
    for k, v in grid.items():
        v = v if isinstance(v, list) else [v]
        out += [names.get(k, "--" + k), ",".join(map(str, v))]
    return out


def test_shapes_and_dtypes():
    cols = edgeperf.sweep(**GRID)
    assert list(cols) == edgeperf.sweep_fields
    for name, a in cols.items():
        assert isinstance(a, np.ndarray) and a.shape == (N,), name
    assert cols["total_s"].dtype == np.float64 and cols["ttft_s"].dtype == np.float64
    for name in ("id", "batch", "samples", "input_tokens", "output_tokens"):
        assert cols[name].dtype == np.int64, name
    assert cols["fits"].dtype == np.bool_
    for name in ("model", "device", "mode", "runtime", "quant", "kv_dtype", "prefill_bound", "error"):
        assert cols[name].dtype == object and isinstance(cols[name][0], str), name
    assert (cols["id"] == np.arange(1, N + 1)).all()
    assert np.isfinite(cols["total_s"]).all() and (cols["error"] == "").all()
    # a single value everywhere: one row
    one = edgeperf.sweep(model="dsr1-qwen-1.5b", device="agx-orin-64gb", runtime="vllm", quant="bf16",
                         input_tokens=128, output_tokens=16)
    assert one["total_s"].shape == (1,)


def test_columns_and_values_identical_to_cli_sweep(cli):
    cols = edgeperf.sweep(**GRID)
    rows = list(csv.DictReader(io.StringIO(cli.run("sweep", *cli_flags(GRID)).stdout)))
    assert len(rows) == N
    assert list(rows[0]) == list(cols)
    for i, row in enumerate(rows):
        for name, text in row.items():
            got = cols[name][i]
            if cols[name].dtype == object:
                assert got == text, (i, name)
            elif cols[name].dtype == np.bool_:
                assert ("true" if got else "false") == text, (i, name)
            elif text == "":
                assert np.isnan(got), (i, name)
            else:
                assert got == float(text), (i, name, got, text)  # exact: shortest round-trip text


def test_rows_equal_estimate():
    cols = edgeperf.sweep(**GRID)
    for i in (0, 17, N - 1):
        r = edgeperf.estimate(model=cols["model"][i], device=cols["device"][i], runtime=cols["runtime"][i],
                              quant=cols["quant"][i], mode=cols["mode"][i], input_tokens=int(cols["input_tokens"][i]),
                              output_tokens=int(cols["output_tokens"][i]), batch=int(cols["batch"][i]))
        d = r.to_dict()
        for name in cols:
            if name == "id":
                continue
            v = cols[name][i]
            assert (v == d[name]) or (d[name] is None and np.isnan(v)), (name, v, d[name])


def test_threads_do_not_change_results():
    a = edgeperf.sweep(threads=1, **dict(GRID, input_tokens=list(range(1, 400, 7))))
    b = edgeperf.sweep(threads=0, **dict(GRID, input_tokens=list(range(1, 400, 7))))
    c = edgeperf.sweep(threads=3, **dict(GRID, input_tokens=list(range(1, 400, 7))))
    for name in a:
        nan = a[name].dtype == np.float64
        assert np.array_equal(a[name], b[name], equal_nan=nan) and np.array_equal(a[name], c[name], equal_nan=nan), name


def test_lists_of_any_kind():
    base = dict(model="dsr1-qwen-1.5b", device="agx-orin-64gb", runtime="vllm", quant="bf16", output_tokens=64)
    ref = edgeperf.sweep(input_tokens=[128, 256, 512], **base)["total_s"]
    for given in ((128, 256, 512), np.array([128, 256, 512]), np.array([128, 256, 512], dtype=np.int32)):
        assert (edgeperf.sweep(input_tokens=given, **base)["total_s"] == ref).all()
    # a range: 128, 256, 384, 512 (4 rows)
    assert edgeperf.sweep(input_tokens=range(128, 513, 128), **base)["total_s"].shape == (4,)


def test_cost_and_kv_columns():
    cols = edgeperf.sweep(model="dsr1-qwen-1.5b", device="agx-orin-64gb", runtime="vllm", quant="bf16",
                          kv_dtype=[None, "fp8"], input_tokens=512, output_tokens=512, cloud_output_usd_per_1m=1.0,
                          device_price_usd=2000)
    assert list(cols["kv_dtype"]) == ["bf16", "fp8"]
    assert (cols["cloud_per_1m_usd"] == 1.0).all() and (cols["amortized_per_1m_usd"] > 0).all()
    assert cols["kv_cache_bytes"][1] < cols["kv_cache_bytes"][0]
    no_cloud = edgeperf.sweep(model="dsr1-qwen-1.5b", device="agx-orin-64gb", runtime="vllm", quant="bf16",
                              input_tokens=512, output_tokens=512)
    assert np.isnan(no_cloud["cloud_per_1m_usd"]).all()  # empty in the CLI's CSV too


def test_pandas_takes_it_as_is():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(edgeperf.sweep(**GRID))
    assert df.shape == (N, len(edgeperf.sweep_fields))
