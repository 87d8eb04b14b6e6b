#!/usr/bin/env python3
"""Sweep throughput from Python (docs/performance.md, "From Python").

Times edgeperf.sweep() on a grid of 4 models x 3 quants x 4 power modes x
64 prompt lengths x 4 output lengths = 12,288 configurations (AGX Orin 64GB,
vLLM), repeated for at least --seconds, with one thread and with one per core;
and, for comparison, a Python loop of edgeperf.estimate() calls. Reports the
median of --repeats runs in configurations per second (wall time, the GIL
released inside sweep). Measure a Release build:

    cmake -S . -B build/release-py -DCMAKE_BUILD_TYPE=Release && cmake --build build/release-py --target edgeperf_python
    PYTHONPATH=build/release-py/python /usr/bin/python3 python/benchmarks/sweep_throughput.py
"""
import argparse
import os
import platform
import statistics
import sys
import time

import edgeperf

GRID = dict(model=["dsr1-qwen-1.5b", "dsr1-qwen-7b", "dsr1-llama-8b", "dsr1-qwen-14b"],
            quant=["bf16", "w8a16", "w4a16"], device="agx-orin-64gb", mode=["MAXN", "50W", "30W", "15W"],
            runtime="vllm", input_tokens=list(range(64, 64 * 65, 64)), output_tokens=[128, 512, 1024, 4096])


def rate(fn, n, seconds, repeats):
    """Median configurations per second of wall time and per CPU second (all
    threads of the process) over `repeats` runs of >= `seconds` each. On a
    loaded machine the wall rate drops with the share of the cores the process
    gets; the CPU rate much less."""
    wall, cpu = [], []
    for _ in range(repeats):
        calls, t0, c0 = 0, time.perf_counter(), time.process_time()
        while True:
            fn()
            calls += 1
            dt = time.perf_counter() - t0
            if dt >= seconds:
                break
        wall.append(calls * n / dt)
        cpu.append(calls * n / (time.process_time() - c0))
    return statistics.median(wall), statistics.median(cpu)


def show(label, r):
    print(f"{label:<34} {r[0]:12,.0f} configurations/s wall, {r[1]:12,.0f} per CPU second")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=1.0, help="minimum time per run")
    ap.add_argument("--repeats", type=int, default=5)
    a = ap.parse_args(argv)
    n = len(edgeperf.sweep(**GRID)["total_s"])
    print(f"edgeperf {edgeperf.__version__} at {edgeperf.__file__}")
    print(f"python {platform.python_version()} ({sys.executable}), {os.cpu_count()} CPUs, "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"grid: {n} configurations per sweep() call")
    show("sweep(threads=1)", rate(lambda: edgeperf.sweep(threads=1, **GRID), n, a.seconds, a.repeats))
    show(f"sweep() ({os.cpu_count()} threads, the default)", rate(lambda: edgeperf.sweep(**GRID), n, a.seconds, a.repeats))
    cases = [dict(model=m, quant=q, device="agx-orin-64gb", mode=p, runtime="vllm", input_tokens=i, output_tokens=o)
             for m in GRID["model"][:1] for q in GRID["quant"][:1] for p in GRID["mode"][:1]
             for i in GRID["input_tokens"][:16] for o in GRID["output_tokens"]]
    show("estimate() in a Python loop", rate(lambda: [edgeperf.estimate(**c) for c in cases], len(cases), a.seconds,
                                             a.repeats))
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
