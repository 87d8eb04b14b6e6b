#!/usr/bin/env python3
"""The offline what-if page (web/, issue 15) against the CLI, in headless Chromium.

For each case below, Chromium opens build/web/index.html from file:// with the
case in the URL query, runs the page (the WebAssembly build of the library)
and dumps the DOM; every element with data-metric/data-value is a displayed
result. The same case goes to `edgeperf estimate --format json`, and the two
must agree on every field the CLI prints: the same names, and numbers equal to
the last printed digit (both sides print the shortest text that reads back as
the same double, so equal doubles are equal digits). A page metric the CLI does
not print, or a CLI field the page does not show, fails the test. Bad inputs
(a malformed config.json, an unknown model id, a zero token count) must show
the library's error on the page instead of results. A small harness page then
drives the page as a user would (a device change re-lists the power modes and
rewrites the URL; a cleared field shows an error). Last, a screenshot of the
default case is saved.

    python3 tests/web/browser_test.py --page build/web/index.html \
        --cli build/dev/apps/edgeperf/edgeperf [--screenshot FILE] [--chromium PATH]

Exit status 0 when every check passes, 1 otherwise.
"""

import argparse
import html.parser
import json
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The page's default case (no query), as CLI options.
DEFAULT = {"model": "dsr1-qwen-14b", "quant": "w4a16", "device": "agx-orin-64gb", "runtime": "vllm",
           "input": "512", "output": "1024"}

# (name, URL query[, CLI options that differ]); a "config" value is a path under the
# repository whose text goes in the URL (the CLI gets the path)
CASES = [
    ("default (reasoning model on AGX Orin)", {}),
    ("small model, 30W mode, long prompt",
     {"model": "dsr1-qwen-1.5b", "quant": "bf16", "device": "agx-orin-64gb", "mode": "30W",
      "runtime": "vllm", "input": "2048", "output": "256"}),
    ("llama.cpp Q4_K_M on Orin NX, batch and samples, prices",
     {"model": "qwen2.5-7b", "quant": "q4_k_m", "device": "orin-nx-16gb", "mode": "25W",
      "runtime": "llama.cpp", "input": "100", "output": "300", "batch": "2", "samples": "4",
      "kwh_price": "0.3", "device_price": "899"}),
    ("does not fit: 32B BF16 on Orin Nano",
     {"model": "dsr1-qwen-32b", "quant": "bf16", "device": "orin-nano-8gb", "runtime": "hf-eager",
      "input": "64", "output": "32"}),
    ("Hugging Face config.json in the URL (Gemma 2, sliding window)",
     {"config": "data/hf-configs/gemma-2-2b.json", "quant": "bf16", "device": "agx-orin-32gb",
      "runtime": "trtllm", "input": "333", "output": "77"}),
    # quant "": the dtype the config names (torch_dtype bfloat16); `estimate` needs --quant, so the CLI gets bf16.
    ("config.json with its own dtype as the quant (Qwen3-4B)",
     {"config": "data/hf-configs/qwen3-4b.json", "quant": "", "input": "1000", "output": "500"},
     {"quant": "bf16"}),
]

# (name, URL query, text the error must contain)
ERROR_CASES = [
    ("malformed config.json", {"config": '{"hidden_size": 4096,'},
     "model JSON text: invalid JSON at byte"),
    ("unknown model id", {"model": "no-such-model"}, "unknown model id 'no-such-model'; nearest:"),
    ("zero output tokens", {"output": "0"}, "output = '0': expected the generated tokens per sample"),
]

CLI_FLAGS = {"model": "--model", "quant": "--quant", "device": "--device", "mode": "--mode",
             "runtime": "--runtime", "input": "--input", "output": "--output", "batch": "--batch",
             "samples": "--samples", "kwh_price": "--kwh-price", "device_price": "--device-price"}


class Dom(html.parser.HTMLParser):
    """Collects data-metric/data-value pairs, body[data-state] and the error box's text."""

    def __init__(self):
        super().__init__()
        self.metrics = []
        self.state = None
        self.error = None
        self._in_error = 0
        self._error_text = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body":
            self.state = a.get("data-state")
        if "data-metric" in a:
            self.metrics.append((a["data-metric"], a.get("data-value")))
        if a.get("id") == "error":
            self._in_error = 1
            self.error = "" if "hidden" not in a else None
        elif self._in_error:
            self._in_error += 1

    def handle_endtag(self, tag):
        if self._in_error:
            self._in_error -= 1
            if self._in_error == 0 and self.error is not None:
                self.error = "".join(self._error_text)

    def handle_data(self, data):
        if self._in_error:
            self._error_text.append(data)


def find_chromium(given):
    for c in ([given] if given else []) + ["chromium", "chromium-browser", "google-chrome"]:
        p = shutil.which(c)
        if p:
            return p
    return None


def chromium(exe, url, extra):
    with tempfile.TemporaryDirectory(prefix="edgeperf-chromium-") as profile:
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-extensions", f"--user-data-dir={profile}", "--virtual-time-budget=60000"] + extra + [url]
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
        if r.returncode != 0:
            raise RuntimeError(f"chromium exited with {r.returncode}: {r.stderr[-2000:]}")
        return r.stdout


def page_url(page, query):
    q = dict(query)
    if "config" in q and not q["config"].lstrip().startswith("{"):
        q["config"] = (ROOT / q["config"]).read_text()
    return page.resolve().as_uri() + ("?" + urllib.parse.urlencode(q) if q else "")


def load(exe, page, query):
    dom = Dom()
    dom.feed(chromium(exe, page_url(page, query), ["--dump-dom"]))
    return dom


def cli_row(cli, query, best_mode=False, cli_overrides=None):
    """The CLI's JSON row for the case; with `best_mode`, the rows of every power
    mode (`estimate --best-mode`, which carries module_j_per_token), keyed by mode."""
    args = [str(cli), "estimate", "--format", "json"] + (["--best-mode"] if best_mode else [])
    q = dict(DEFAULT) if not query else dict(query)
    for k in DEFAULT:
        q.setdefault(k, DEFAULT[k])
    q.update(cli_overrides or {})
    if "config" in q:
        q["model"] = str(ROOT / q.pop("config"))
    for k, v in q.items():
        if v != "" and not (best_mode and k == "mode"):  # "": the default (a config's dtype for quant)
            args += [CLI_FLAGS[k], v]
    r = subprocess.run(args, capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed: {r.stderr}")
    out = json.loads(r.stdout)
    return ({row["mode"]: row for row in out} if best_mode else out), args


def unsourced(note):
    """A loader note without its source: the page reads a config's text ("model
    JSON text: ..."), the CLI the same file by path ("/path/config.json: ...")."""
    for source in ("model JSON text: ", str(ROOT) + "/"):
        if note.startswith(source):
            return note[len(source):].split(": ", 1)[-1] if source != "model JSON text: " else note[len(source):]
    return note


def same(page_text, cli_value):
    """Equal to the last printed digit (numbers), or the same text (strings, booleans)."""
    if isinstance(cli_value, bool):
        return page_text == ("true" if cli_value else "false")
    if isinstance(cli_value, list):  # notes: the page's data-value is the JSON array
        try:
            return [unsourced(n) for n in json.loads(page_text)] == [unsourced(n) for n in cli_value]
        except (TypeError, ValueError):
            return False
    if isinstance(cli_value, (int, float)):
        try:
            p = float(page_text)
        except ValueError:
            return False
        return p == float(cli_value) and repr(p) == repr(float(cli_value))
    return page_text == str(cli_value)


def check_case(exe, page, cli, name, query, cli_overrides=None):
    dom = load(exe, page, query)
    row, args = cli_row(cli, query, cli_overrides=cli_overrides)
    problems = []
    if dom.state != "ready":
        problems.append(f"page state is {dom.state!r}, not 'ready'" + (f": {dom.error}" if dom.error else ""))
    page = {}
    for m, v in dom.metrics:
        if m in page and page[m] != v:
            problems.append(f"{m} shown twice with different values: {page[m]} and {v}")
        page[m] = v
    compared = 0
    for key, value in row.items():
        if key in ("id", "error"):
            continue
        if value is None:
            if key in page:
                problems.append(f"{key}: the CLI prints null, the page shows {page[key]}")
            continue
        if key not in page:
            problems.append(f"{key}: the CLI prints {value}, the page does not show it")
            continue
        if same(page[key], value):
            compared += 1
        else:
            problems.append(f"{key}: page {page[key]} != CLI {json.dumps(value)}")
    # Fields beyond the estimate row (module J/token): the CLI's --best-mode row of the same mode.
    extra = [k for k in page if k not in row]
    if extra:
        modes, _ = cli_row(cli, query, best_mode=True, cli_overrides=cli_overrides)
        mode_row = modes.get(row["mode"], {})
        for key in extra:
            if key not in mode_row:
                problems.append(f"{key}: shown on the page ({page[key]}) but not a field of the CLI's rows")
            elif not same(page[key], mode_row[key]):
                problems.append(f"{key}: page {page[key]} != CLI (--best-mode, {row['mode']}) {mode_row[key]}")
            else:
                compared += 1
    status = "ok" if not problems else "FAIL"
    print(f"[{status}] {name}: {compared} fields equal to the last digit "
          f"(ttft_s {page.get('ttft_s')} = {row.get('ttft_s')}, j_per_token {page.get('j_per_token')}"
          f" = {row.get('j_per_token')}, fits {page.get('fits')})")
    print(f"       CLI: edgeperf {' '.join(a if ' ' not in a else repr(a) for a in args[1:])}")
    for p in problems[:8]:
        print(f"       {p}")
    if len(problems) > 8:
        print(f"       ... and {len(problems) - 8} more")
    return not problems


def check_error(exe, page, name, query, want):
    dom = load(exe, page, query)
    ok = dom.state == "error" and dom.error is not None and want in dom.error and not dom.metrics
    print(f"[{'ok' if ok else 'FAIL'}] error shown for {name}: {dom.error!r}")
    if not ok:
        print(f"       expected page state 'error', no results, and an error containing {want!r}; "
              f"state {dom.state!r}, {len(dom.metrics)} results shown")
    return ok


HARNESS = """<!DOCTYPE html><html><body><pre id="log"></pre>
<iframe id="f" src="%s" width="1200" height="800"></iframe>
<script>
// Drives the page like a user: picks a device, then clears a field.
const out = {};
const f = document.getElementById('f');
const done = () => { document.getElementById('log').textContent = JSON.stringify(out); };
// Calls `then` once the page has finished (body[data-state] is not 'loading').
const settled = (d, then, tries = 600) => setTimeout(() => {
  if (d.body.dataset.state === 'loading' && tries > 0) settled(d, then, tries - 1);
  else then();
}, 100);
f.onload = () => {
  const d = f.contentDocument, w = f.contentWindow;
  try {
    const dev = d.getElementById('device');
    dev.value = 'orin-nano-4gb';
    dev.dispatchEvent(new Event('change', {bubbles: true}));
    settled(d, () => {
      out.modes = [...d.getElementById('mode').options].map((o) => o.value);
      out.url = w.location.search;
      out.state = d.body.dataset.state;
      out.metrics = Object.fromEntries([...d.querySelectorAll('[data-metric]')].map((e) => [e.dataset.metric, e.dataset.value]));
      const input = d.getElementById('input');
      input.value = '';
      input.dispatchEvent(new Event('input', {bubbles: true}));
      settled(d, () => {
        out.cleared_state = d.body.dataset.state;
        out.cleared_error = d.getElementById('error').textContent;
        done();
      });
    });
  } catch (e) { out.harness_error = String(e); done(); }
};
</script></body></html>
"""


def check_interaction(exe, page, cli):
    """A device change re-lists the power modes (the device's own, as `edgeperf list
    modes` prints them), rewrites the URL and re-estimates (values again equal to
    the CLI's); a cleared field shows an error instead of stale results."""
    with tempfile.TemporaryDirectory(prefix="edgeperf-harness-") as tmp:
        h = Path(tmp) / "harness.html"
        h.write_text(HARNESS % page.resolve().as_uri())
        dump = chromium(exe, h.as_uri(), ["--allow-file-access-from-files", "--dump-dom"])
    text = dump[dump.find('<pre id="log">') + len('<pre id="log">'):dump.find("</pre>")]
    out = json.loads(html.unescape(text) or "{}")
    listed = subprocess.run([str(cli), "list", "modes", "--device", "orin-nano-4gb"], capture_output=True,
                            text=True, timeout=60).stdout.split("\n")[1:]
    modes = [line.split()[0] for line in listed if line.strip()]
    row, _ = cli_row(cli, {"device": "orin-nano-4gb"})
    problems = []
    if out.get("harness_error"):
        problems.append(out["harness_error"])
    if out.get("modes") != modes:
        problems.append(f"mode list after the device change: {out.get('modes')}, the CLI lists {modes}")
    if "device=orin-nano-4gb" not in out.get("url", ""):
        problems.append(f"URL after the device change: {out.get('url')!r}")
    metrics = out.get("metrics", {})
    keys = [k for k, v in row.items() if k not in ("id", "error") and v is not None]
    bad = [k for k in keys if k not in metrics or not same(metrics[k], row[k])]
    if out.get("state") != "ready" or bad:
        problems.append(f"after the device change: state {out.get('state')!r}, fields unlike the CLI: {bad[:5]}")
    if out.get("cleared_state") != "error" or "input = ''" not in out.get("cleared_error", ""):
        problems.append(f"clearing the input tokens: state {out.get('cleared_state')!r}, error {out.get('cleared_error')!r}")
    print(f"[{'ok' if not problems else 'FAIL'}] interaction: device -> orin-nano-4gb lists modes {out.get('modes')}, "
          f"URL {out.get('url', '')[:60]}..., {len(keys) - len(bad)} fields equal to the CLI; "
          f"clearing a field shows: {out.get('cleared_error')!r}")
    for p in problems:
        print(f"       {p}")
    return not problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--page", type=Path, default=ROOT / "build/web/index.html")
    ap.add_argument("--cli", type=Path, required=True, help="the edgeperf executable")
    ap.add_argument("--screenshot", type=Path, default=None, help="where to save a screenshot of the default case")
    ap.add_argument("--chromium", default=None, help="Chromium executable (default: chromium on PATH)")
    a = ap.parse_args()
    exe = find_chromium(a.chromium)
    if not exe:
        print("browser_test: no chromium found", file=sys.stderr)
        return 1
    if not a.page.is_file():
        print(f"browser_test: {a.page} not found (build it: bash cmake/edgeperf.sh web)", file=sys.stderr)
        return 1
    t0 = time.monotonic()
    ok = True
    print(f"page {a.page.resolve().as_uri()} vs {a.cli} estimate --format json")
    for name, query, *overrides in CASES:
        ok &= check_case(exe, a.page, a.cli, name, query, *overrides)
    for name, query, want in ERROR_CASES:
        ok &= check_error(exe, a.page, name, query, want)
    ok &= check_interaction(exe, a.page, a.cli)
    if a.screenshot:
        a.screenshot.parent.mkdir(parents=True, exist_ok=True)
        chromium(exe, page_url(a.page, {}), ["--hide-scrollbars", "--window-size=1400,1470",
                                             f"--screenshot={a.screenshot.resolve()}"])
        shot_ok = a.screenshot.is_file() and a.screenshot.stat().st_size > 10000
        print(f"[{'ok' if shot_ok else 'FAIL'}] screenshot of the default case: {a.screenshot}")
        ok &= shot_ok
    print(f"browser test {'passed' if ok else 'FAILED'} in {time.monotonic() - t0:.1f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
