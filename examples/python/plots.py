#!/usr/bin/env python3
"""Notebook-style figures from Python (matplotlib, Agg backend), as PNGs:

  accuracy_latency_frontier.png  accuracy vs expected latency of every usable
      configuration that edgeperf.plan() weighs on an AGX Orin 64GB (model x
      answer mode x quant x power mode x samples, MMLU-Redux accuracy), the
      accuracy-latency frontier, and the points of the 4-D Pareto front
      (latency, energy, accuracy, memory) that edgeperf.pareto() returns;
  prefill_staircase.png  TTFT vs prompt length I = 1..4096 (step 1) from one
      edgeperf.sweep() call: the staircase of tile padding, with the measured
      EdgeReasoning ttft_s rows (data/edgereasoning-dsr1-llama-8b.csv).

    PYTHONPATH=build/dev/python python3 examples/python/plots.py --out figures
"""
import argparse
import csv
import pathlib
import sys

import edgeperf

ROOT = pathlib.Path(__file__).resolve().parents[2]


def frontier_2d(points):
    """The points no other point beats on both latency (lower) and accuracy (higher), fastest first."""
    out, best = [], -1.0
    for p in sorted(points, key=lambda p: (p["latency_s"], -p["accuracy"])):
        if p["accuracy"] > best:
            out.append(p)
            best = p["accuracy"]
    return out


def accuracy_latency(plt, out):
    device = "agx-orin-64gb"
    pts = [p for p in edgeperf.pareto(device=device, all=True) if p["usable"]]
    front4 = edgeperf.pareto(device=device)
    front2 = frontier_2d(pts)
    fig, ax = plt.subplots(figsize=(9, 5.5))
    colours = {"bf16": "#1f77b4", "w8a16": "#ff7f0e", "w4a16": "#2ca02c"}
    for q, c in colours.items():
        sel = [p for p in pts if p["quant"] == q]
        ax.scatter([p["latency_s"] for p in sel], [100 * p["accuracy"] for p in sel], s=10, alpha=0.35, color=c,
                   label=f"{q} ({len(sel)} configurations)")
    ax.scatter([p["latency_s"] for p in front4], [100 * p["accuracy"] for p in front4], s=28, facecolors="none",
               edgecolors="black", linewidths=0.8, label=f"4-D Pareto front (latency, energy, accuracy, memory): {len(front4)}")
    ax.step([p["latency_s"] for p in front2], [100 * p["accuracy"] for p in front2], where="post", color="#d62728",
            lw=1.6, label="accuracy-latency frontier")
    for budget in (5, 60):
        ax.axvline(budget, color="grey", ls=":", lw=1)
        choice = edgeperf.plan(device=device, latency_budget_s=budget)["choice"]
        if choice:
            ax.annotate(f"plan, {budget} s: {choice['model']} {choice['quant']} {choice['power_mode']} n={choice['samples']}",
                        (choice["latency_s"], 100 * choice["accuracy"]), textcoords="offset points", xytext=(8, -14),
                        fontsize=8, arrowprops=dict(arrowstyle="-", lw=0.6))
    ax.set_xscale("log")
    ax.set_xlabel("expected latency per question (s, log scale)")
    ax.set_ylabel("MMLU-Redux accuracy (%)")
    ax.set_title(f"Accuracy vs latency of the plan space on {device} (vLLM, I = 170)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    path = out / "accuracy_latency_frontier.png"
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return path


def prefill_staircase(plt, out):
    case = dict(model="dsr1-llama-8b", device="agx-orin-64gb", runtime="vllm", quant="bf16")
    cols = edgeperf.sweep(input_tokens=range(1, 4097), output_tokens=1, **case)
    model_i, model_t = cols["input_tokens"], cols["ttft_s"]
    measured, left_out = [], []
    with open(ROOT / "data/edgereasoning-dsr1-llama-8b.csv", newline="") as f:
        for row in csv.DictReader(f):
            if row["metric"] != "ttft_s" or row["quant"] != "bf16" or row["mode"] != "MAXN":
                continue
            i, t = int(row["input_tokens"]), float(row["value"])
            # A row far off the model and its neighbours (I = 2561: 22.5 s, excluded in
            # docs/validation.md as a measurement artefact) would flatten the plot.
            if i <= 4096 and t > 3 * model_t[i - 1]:
                left_out.append(f"I = {i} ({t:.1f} s)")
                continue
            measured.append((i, t))
    fig, ax = plt.subplots(figsize=(9, 5.5))
    ax.plot(model_i, model_t, lw=1.2, color="#1f77b4", label="edgeperf model (one sweep, I = 1...4096, step 1)")
    if measured:
        ax.scatter(*zip(*measured), color="#d62728", s=22, zorder=3, label="EdgeReasoning measured ttft_s")
    ax.set_xlabel("prompt tokens I")
    ax.set_ylabel("TTFT (s)")
    ax.set_xlim(0, 4200)
    ax.set_ylim(bottom=0)
    ax.set_title("Prefill latency (TTFT) vs prompt length: DSR1-Llama-8B BF16, vLLM, AGX Orin 64GB MAXN", fontsize=10)
    ax.text(0.98, 0.05, "steps: prompt padded to the GEMM tile rows"
            + (f"\nnot drawn (measurement artefact): {', '.join(left_out)}" if left_out else ""),
            transform=ax.transAxes, ha="right", fontsize=8)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left", fontsize=9)
    fig.tight_layout()
    path = out / "prefill_staircase.png"
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return path


def main(argv=None):
    ap = argparse.ArgumentParser(description="accuracy-latency frontier and prefill staircase as PNGs")
    ap.add_argument("--out", default="figures", help="folder for the PNGs (created)")
    a = ap.parse_args(argv)
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("plots.py: matplotlib is not installed (Debian: python3-matplotlib); no figures written")
        return 0
    out = pathlib.Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    for make in (accuracy_latency, prefill_staircase):
        print(f"wrote {make(plt, out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
