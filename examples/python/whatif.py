#!/usr/bin/env python3
"""What if ...? One case from Python, then what changes with a lower power
mode, 4-bit weights, parallel samples, a smaller board or a longer prompt.

    PYTHONPATH=build/dev/python python3 examples/python/whatif.py
    python3 examples/python/whatif.py --model dsr1-qwen-7b --device orin-nx-16gb

Every number comes from edgeperf.estimate() (the library's model, the same
numbers as `edgeperf estimate`); nothing here needs numpy.
"""
import argparse
import sys

import edgeperf


def human_time(s):
    return f"{s * 1e3:.1f} ms" if s < 1 else f"{s:.2f} s"


def human_bytes(b):
    return f"{b / 2**30:.1f} GiB"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="dsr1-qwen-14b")
    ap.add_argument("--device", default="agx-orin-64gb")
    ap.add_argument("--runtime", default="vllm")
    ap.add_argument("--quant", default="bf16")
    ap.add_argument("--input-tokens", type=int, default=512)
    ap.add_argument("--output-tokens", type=int, default=1024)
    a = ap.parse_args(argv)
    base = dict(model=a.model, device=a.device, runtime=a.runtime, quant=a.quant,
                input_tokens=a.input_tokens, output_tokens=a.output_tokens)
    try:
        r = edgeperf.estimate(**base)
    except ValueError as e:  # edgeperf.Error: the CLI's message
        print(f"whatif.py: {e}", file=sys.stderr)
        return 1

    print(f"{r.model} · {r.quant} · {r.device} ({r.mode}) · {r.runtime} · I={r.input_tokens} · O={r.output_tokens}")
    print(f"  TTFT {human_time(r.ttft_s)}, TPOT {human_time(r.tpot_s)}, total {human_time(r.total_s)}, "
          f"{r.output_tokens_per_s:.1f} tokens/s")
    print(f"  memory {human_bytes(r.peak_memory_bytes)} of {human_bytes(r.budget_bytes)} "
          f"({'fits' if r.fits else 'does NOT fit'}); cold start {r.cold_start_s:.0f} s")
    rails = ", ".join(f"{x['rail']} {x['energy_j']:.0f} J" for x in r.rails)
    print(f"  energy {r.energy_j:.0f} J ({rails}); {r.j_per_token:.2f} J/token; "
          f"${r.cost_per_1m_usd:.3f} per 1M tokens (electricity)")
    top = sorted(r.first_decode["ops"], key=lambda o: o["time_s"], reverse=True)[:3]
    print("  decode step dominated by " + ", ".join(f"{o['name']} ({o['bound']}-bound)" for o in top))

    small = [d for d in ("orin-nx-16gb", "agx-orin-32gb") if d != a.device][0]
    modes = edgeperf.modes(a.device)
    variants = [
        (f"power mode {modes[-2] if len(modes) > 1 else modes[0]}", dict(mode=modes[-2] if len(modes) > 1 else modes[0])),
        ("quant w4a16", dict(quant="w4a16")),
        ("8 parallel samples", dict(samples=8)),
        ("batch 4", dict(batch=4)),
        (f"device {small}", dict(device=small)),
        ("4x longer prompt", dict(input_tokens=4 * a.input_tokens)),
    ]
    print(f"\n  {'what if':<26} {'TTFT':>9} {'TPOT':>9} {'total':>9} {'tok/s':>8} {'J/token':>8} {'memory':>9} fits  speed")
    for label, change in variants:
        case = dict(base, **change)
        try:
            v = edgeperf.estimate(**case)
        except ValueError as e:
            print(f"  {label:<26} not possible: {e}")
            continue
        print(f"  {label:<26} {human_time(v.ttft_s):>9} {human_time(v.tpot_s):>9} {human_time(v.total_s):>9} "
              f"{v.output_tokens_per_s:>8.1f} {v.j_per_token:>8.3f} {human_bytes(v.peak_memory_bytes):>9} "
              f"{'yes' if v.fits else 'NO':>4}  {r.total_s / v.total_s:5.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
