"""plan(), pareto() and the catalogs against the CLI."""
import csv
import io
import math

import edgeperf


def rows_of(text):
    return list(csv.DictReader(io.StringIO(text)))


def same_point(point, row):
    for k, text in row.items():
        v = point[k]
        if v is None:
            assert text == "", (k, text)
        elif isinstance(v, bool):
            assert text == ("true" if v else "false"), k
        elif isinstance(v, (int, float)):
            assert v == float(text), (k, v, text)
        else:
            assert v == text, (k, v, text)


def test_pareto_equals_cli(cli):
    pts = edgeperf.pareto(device="agx-orin-64gb")
    rows = rows_of(cli.run("pareto", "--device", "agx-orin-64gb").stdout)
    assert len(pts) == len(rows) > 3
    for p, r in zip(pts, rows):
        same_point(p, r)
    lat = [p["latency_s"] for p in pts]
    assert lat == sorted(lat)


def test_pareto_all_with_options_equals_cli(cli):
    kw = dict(device="agx-orin-64gb", mode="15W", models=["dsr1-llama-8b"], quants=["bf16"], samples=[1, 2],
              budgets=["none", 128, "256nc"])
    pts = edgeperf.pareto(all=True, **kw)
    rows = rows_of(cli.run("pareto", "--device", "agx-orin-64gb", "--mode", "15W", "--models", "dsr1-llama-8b",
                           "--quants", "bf16", "--samples", "1,2", "--budgets", "none,128,256nc", "--all").stdout)
    assert len(pts) == len(rows) == 8
    for p, r in zip(pts, rows):
        same_point(p, r)


def test_plan_choice_matches_the_cli(cli):
    out = edgeperf.plan(device="agx-orin-64gb", latency_budget_s=5)
    c = out["choice"]
    assert c is not None and c["usable"] and c["latency_s"] <= 5
    text = cli.run("plan", "--device", "agx-orin-64gb", "--latency-budget", "5").stdout
    assert f"evaluated {out['evaluated']} configurations: {out['usable']} usable" in text
    choice_line = next(l for l in text.splitlines() if l.startswith("choice: "))
    assert choice_line.startswith(f"choice: {c['model']} · ")
    assert f" · {c['quant']} · {c['power_mode']} · {c['samples']} sample" in choice_line
    assert f"accuracy {c['accuracy'] * 100:.1f} %" in text
    assert len(out["runners_up"]) == 4 and out["reason"]
    # every runner-up is feasible and no more accurate than the choice
    for r in out["runners_up"]:
        assert r["latency_s"] <= 5 and r["accuracy"] <= c["accuracy"]


def test_plan_budgets_and_nothing_fits():
    tight = edgeperf.plan(device="agx-orin-64gb", latency_budget_s=0.01)
    assert tight["choice"] is None and "nothing fits" in tight["reason"]
    e = edgeperf.plan(device="agx-orin-64gb", mode="30W", latency_budget_s=60, energy_budget_j=500,
                      memory_budget_bytes=8e9, models=["dsr1-llama-8b", "qwen2.5-7b"], quants=["w4a16"],
                      samples=[1, 4], budgets=[None, "256nc"], input_tokens=200)
    assert e["evaluated"] == 8 and e["usable"] == 6 and e["missing_accuracy"] == 2
    c = e["choice"]
    assert c["energy_j"] <= 500 and c["memory_bytes"] <= 8e9 and c["power_mode"] == "30W"


def test_catalogs_equal_cli_lists(cli):
    for what, ids in (("models", edgeperf.models()), ("devices", edgeperf.devices()),
                      ("quants", edgeperf.quants()), ("runtimes", edgeperf.runtimes())):
        lines = cli.run("list", what).stdout.splitlines()[1:]
        assert ids == [l.split()[0] for l in lines if l.strip()], what
    lines = cli.run("list", "modes", "--device", "orin-nx-16gb").stdout.splitlines()[1:]
    assert edgeperf.modes("orin-nx-16gb") == [l.split()[0] for l in lines if l.strip()]
    assert "dsr1-qwen-14b" in edgeperf.models() and "agx-orin-64gb" in edgeperf.devices()
