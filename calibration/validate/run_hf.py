#!/usr/bin/env python3
"""End-to-end validation runs: real prefill and decode of Hugging Face models.

For each case of a cases CSV (model,quant,batch,input_tokens,output_tokens,mode
[,grid]) this script builds a randomly initialised model from the config.json
the repo ships under tests/data/hf/<model>/ (nothing is downloaded), feeds it
random token ids and times

  * ttft_s   -- prefill: one forward pass over batch x input_tokens that yields
               the first token (argmax of the last position), CUDA-synchronised,
               after warm-up, median of --prefill-repeats passes (eager);
               for static cases the time from generate() entry to the first
               token's logits (see README.md, "What is measured");
  * decode_s -- first token to last token (O - 1 steps) of
               generate(min_new_tokens = max_new_tokens = O, greedy), from
               time.perf_counter() stamps a LogitsProcessor takes after
               torch.cuda.synchronize() at every step: t_O - t_1.

Modes: `eager` (attn_implementation="sdpa", DynamicCache, no compilation:
runtime `hf-eager`) and `static` (cache_implementation="static" and the decode
step compiled with torch.compile mode="reduce-overhead", i.e. replayed from CUDA
graphs: runtime `hf-static`). A static case that cannot be compiled is skipped
with a note.

Outputs: a runs CSV in the repo's long format (include/edgeperf/io/runs_csv.hpp)
that `edgeperf validate --runs` reads, a `<stem>.skipped.csv` with the cases
that did not run and why, and a `<stem>.env.json` sidecar with the environment
(versions, GPU, clocks, timestamps) and per-case details (all samples, per-step
spread, peak memory).

Only the standard library is imported at module level: `--dry-run` checks the
cases and the config.json files without torch. torch and transformers are
imported when the cases run.
"""

from __future__ import annotations

import argparse
import csv
import datetime as _dt
import gc
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
HF_DIR = REPO / "tests" / "data" / "hf"
DEFAULT_CASES = HERE / "cases.csv"

RUN_COLUMNS = ["model", "device", "mode", "runtime", "quant", "batch", "samples",
               "input_tokens", "output_tokens", "metric", "value", "unit"]
SKIP_COLUMNS = ["model", "device", "runtime", "quant", "batch", "input_tokens",
                "output_tokens", "mode", "reason"]
CASE_COLUMNS = ["model", "quant", "batch", "input_tokens", "output_tokens", "mode"]
MODES = ("eager", "static")
RUNTIME_OF_MODE = {"eager": "hf-eager", "static": "hf-static"}
POWER_MODE = "default"  # the single power mode of the h100-sxm / h200 catalog entries

# Keys of config.json this script relies on (to size the model and the cases).
REQUIRED_CONFIG_KEYS = ("model_type", "hidden_size", "num_hidden_layers",
                        "num_attention_heads", "intermediate_size", "vocab_size")
# Architectures whose HF implementation the runs were written for (decoder-only,
# SDPA, static cache and logits_to_keep supported). Others are warned about.
KNOWN_MODEL_TYPES = ("llama", "qwen2", "mistral", "qwen3")

# Crude figures for the dry run's time estimate only (nothing is fitted from
# them): eager HF decode is host-bound on an H100 at roughly 0.55 ms of Python
# per layer per step; the H100's HBM3 streams ~2.4 TB/s in practice and bf16
# GEMMs reach ~500 TFLOP/s; torch.compile of one decode shape takes ~60 s.
EST_EAGER_S_PER_LAYER = 0.55e-3
EST_STEP_FIXED_S = 2e-3
EST_BW_BYTES_PER_S = 2.4e12
EST_FLOP_PER_S = 5e14
EST_COMPILE_S = 60.0
EST_MODEL_BUILD_S_PER_GB = 0.5


class CaseError(ValueError):
    """A malformed cases file or config.json: the message names file, line, field and value."""


@dataclass
class Case:
    model: str
    quant: str
    batch: int
    input_tokens: int
    output_tokens: int
    mode: str
    grid: str
    where: str  # file:line

    @property
    def runtime(self) -> str:
        return RUNTIME_OF_MODE[self.mode]

    def label(self) -> str:
        return (f"{self.model} {self.mode} b={self.batch} I={self.input_tokens} "
                f"O={self.output_tokens}")


@dataclass
class ModelInfo:
    """What this script needs to know of a config.json (read with json only)."""
    model_id: str
    path: Path
    raw: Dict[str, Any]
    model_type: str
    architectures: List[str]
    layers: int
    hidden: int
    heads: int
    kv_heads: int
    head_dim: int
    ffn: int
    vocab: int
    tied: bool
    max_positions: Optional[int]
    attention_bias: bool
    warnings: List[str] = field(default_factory=list)

    def params(self) -> int:
        """Parameter count of a dense gated-MLP decoder (Llama/Qwen2 layout)."""
        h, hd = self.hidden, self.head_dim
        attn = h * self.heads * hd + 2 * h * self.kv_heads * hd + self.heads * hd * h
        if self.attention_bias:
            attn += self.heads * hd + 2 * self.kv_heads * hd
        mlp = 3 * h * self.ffn
        per_layer = attn + mlp + 2 * h
        embed = self.vocab * h
        head = 0 if self.tied else self.vocab * h
        return self.layers * per_layer + embed + head + h

    def weight_bytes(self) -> int:
        return 2 * self.params()  # bf16

    def kv_bytes_per_token(self) -> int:
        return self.layers * 2 * self.kv_heads * self.head_dim * 2  # K and V, bf16


# ---------------------------------------------------------------------------
# Cases and configs (standard library only)
# ---------------------------------------------------------------------------

def _int_cell(row: Dict[str, str], name: str, where: str, lo: int, hi: int) -> int:
    text = (row.get(name) or "").strip()
    try:
        value = int(text)
    except ValueError:
        raise CaseError(f"{where}: column '{name}': expected an integer in [{lo}, {hi}], "
                        f"got '{text}'") from None
    if not lo <= value <= hi:
        raise CaseError(f"{where}: column '{name}': expected an integer in [{lo}, {hi}], got {value}")
    return value


def read_cases(path: Path) -> List[Case]:
    """Reads and checks a cases CSV; raises CaseError naming file:line, column and value."""
    try:
        f = path.open(newline="")
    except OSError as e:
        raise CaseError(f"{path}: cannot open the cases file ({e.strerror})") from None
    with f:
        reader = csv.DictReader(f)
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [c for c in CASE_COLUMNS if c not in header]
        if missing:
            raise CaseError(f"{path}:1: missing column(s) {', '.join(missing)}; expected the header "
                            f"{','.join(CASE_COLUMNS)}[,grid], got {','.join(header) or '(empty)'}")
        cases: List[Case] = []
        for row in reader:
            row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
            if not any(row.values()):
                continue
            where = f"{path}:{reader.line_num}"
            model = row["model"]
            if not model or not (HF_DIR / model / "config.json").is_file():
                known = sorted(p.name for p in HF_DIR.iterdir() if (p / "config.json").is_file()) \
                    if HF_DIR.is_dir() else []
                raise CaseError(f"{where}: column 'model': expected a directory of {HF_DIR} holding "
                                f"a config.json ({', '.join(known)}), got '{model}'")
            quant = row["quant"]
            if quant != "bf16":
                raise CaseError(f"{where}: column 'quant': expected 'bf16' (the models are built in "
                                f"bfloat16 with random weights), got '{quant}'")
            mode = row["mode"]
            if mode not in MODES:
                raise CaseError(f"{where}: column 'mode': expected one of {', '.join(MODES)}, got '{mode}'")
            grid = row.get("grid", "") or "full"
            if grid not in ("quick", "full"):
                raise CaseError(f"{where}: column 'grid': expected 'quick' or 'full', got '{grid}'")
            cases.append(Case(
                model=model, quant=quant,
                batch=_int_cell(row, "batch", where, 1, 256),
                input_tokens=_int_cell(row, "input_tokens", where, 1, 131072),
                # decode_s needs at least one step after the first token
                output_tokens=_int_cell(row, "output_tokens", where, 2, 131072),
                mode=mode, grid=grid, where=where))
    if not cases:
        raise CaseError(f"{path}: no cases")
    return cases


def load_model_info(model_id: str) -> ModelInfo:
    """Parses tests/data/hf/<model_id>/config.json with json and checks the keys used."""
    path = HF_DIR / model_id / "config.json"
    try:
        raw = json.loads(path.read_text())
    except OSError as e:
        raise CaseError(f"{path}: cannot read ({e.strerror})") from None
    except json.JSONDecodeError as e:
        raise CaseError(f"{path}:{e.lineno}: not valid JSON ({e.msg})") from None
    if not isinstance(raw, dict):
        raise CaseError(f"{path}: expected a JSON object, got {type(raw).__name__}")
    cfg = raw.get("text_config") if isinstance(raw.get("text_config"), dict) else raw
    for key in REQUIRED_CONFIG_KEYS:
        if key not in cfg and key not in raw:
            raise CaseError(f"{path}: field '{key}': missing; run_hf.py needs "
                            f"{', '.join(REQUIRED_CONFIG_KEYS)}")

    def get_int(key: str, default: Optional[int] = None) -> int:
        v = cfg.get(key, raw.get(key, default))
        if not isinstance(v, int) or isinstance(v, bool) or v <= 0:
            raise CaseError(f"{path}: field '{key}': expected a positive integer, got {v!r}")
        return v

    if "quantization_config" in raw:
        raise CaseError(f"{path}: field 'quantization_config': present; run_hf.py builds bf16 "
                        f"models only, expected an unquantized config")
    model_type = str(cfg.get("model_type", raw.get("model_type")))
    archs = raw.get("architectures") or []
    if not isinstance(archs, list) or not all(isinstance(a, str) for a in archs):
        raise CaseError(f"{path}: field 'architectures': expected a list of class names, got {archs!r}")
    heads = get_int("num_attention_heads")
    hidden = get_int("hidden_size")
    info = ModelInfo(
        model_id=model_id, path=path, raw=raw, model_type=model_type, architectures=archs,
        layers=get_int("num_hidden_layers"), hidden=hidden, heads=heads,
        kv_heads=get_int("num_key_value_heads", heads),
        head_dim=get_int("head_dim", hidden // heads) if cfg.get("head_dim") is not None else hidden // heads,
        ffn=get_int("intermediate_size"), vocab=get_int("vocab_size"),
        tied=bool(cfg.get("tie_word_embeddings", raw.get("tie_word_embeddings", False))),
        max_positions=cfg.get("max_position_embeddings"),
        attention_bias=bool(cfg.get("attention_bias", model_type == "qwen2")))
    if model_type not in KNOWN_MODEL_TYPES:
        info.warnings.append(f"model_type '{model_type}' not among {', '.join(KNOWN_MODEL_TYPES)}: "
                             f"untested with this script")
    if archs and not any(a.endswith("ForCausalLM") for a in archs):
        info.warnings.append(f"architectures {archs} name no *ForCausalLM class")
    if heads % info.kv_heads:
        raise CaseError(f"{path}: field 'num_key_value_heads': {info.kv_heads} does not divide "
                        f"num_attention_heads {heads}")
    return info


def check_case_against_config(case: Case, info: ModelInfo) -> List[str]:
    """Problems that make a case meaningless for this model (context too long)."""
    problems = []
    total = case.input_tokens + case.output_tokens
    if isinstance(info.max_positions, int) and total > info.max_positions:
        problems.append(f"{case.where}: input_tokens + output_tokens = {total} exceeds "
                        f"max_position_embeddings {info.max_positions} of {info.path}")
    return problems


def estimate_case(case: Case, info: ModelInfo, prefill_runs: int) -> Tuple[float, float]:
    """(GiB of GPU memory, seconds) a case needs, by the crude figures atop this file."""
    tokens = case.batch * case.input_tokens
    kv = info.kv_bytes_per_token() * case.batch * (case.input_tokens + case.output_tokens)
    act = tokens * (info.hidden * 6 + info.ffn * 3) * 2 + case.batch * info.vocab * 4 * 2
    mem_gib = (info.weight_bytes() + kv + act) / 2**30
    prefill = (2.0 * info.params() * tokens / EST_FLOP_PER_S
               + info.layers * EST_EAGER_S_PER_LAYER)
    if case.mode == "eager":
        step = max(info.weight_bytes() / EST_BW_BYTES_PER_S,
                   info.layers * EST_EAGER_S_PER_LAYER + EST_STEP_FIXED_S)
        seconds = prefill * (prefill_runs + 2) + step * (case.output_tokens + 4)
    else:
        step = max(info.weight_bytes() / EST_BW_BYTES_PER_S, 1e-3) + EST_STEP_FIXED_S
        seconds = EST_COMPILE_S + 3 * (prefill + step * case.output_tokens)
    return mem_gib, seconds


def select_cases(cases: List[Case], args: argparse.Namespace) -> List[Case]:
    """Filters (--quick, --mode, --models), orders eager before static, then shards."""
    out = [c for c in cases if not args.quick or c.grid == "quick"]
    if args.mode != "all":
        out = [c for c in out if c.mode == args.mode]
    if args.models:
        wanted = [m.strip() for m in args.models.split(",") if m.strip()]
        out = [c for c in out if c.model in wanted]
    # Eager first (the main comparison), static after it; file order within each.
    out = [c for c in out if c.mode == "eager"] + [c for c in out if c.mode == "static"]
    if args.shard:
        i, n = args.shard
        out = out[len(out) * (i - 1) // n: len(out) * i // n]
    return out


def parse_shard(text: str) -> Tuple[int, int]:
    try:
        i, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected I/N (e.g. 1/2), got '{text}'") from None
    if not 1 <= i <= n:
        raise argparse.ArgumentTypeError(f"expected 1 <= I <= N, got '{text}'")
    return i, n


# ---------------------------------------------------------------------------
# Environment
# ---------------------------------------------------------------------------

NVSMI_FIELDS = ["name", "driver_version", "pstate", "clocks.sm", "clocks.mem", "clocks.max.sm",
                "clocks.max.mem", "clocks.applications.graphics", "power.draw", "power.limit",
                "temperature.gpu", "persistence_mode", "compute_mode", "mig.mode.current"]


def nvidia_smi_snapshot() -> Optional[Dict[str, str]]:
    """Clocks, power and temperature from nvidia-smi (None when it is absent)."""
    exe = shutil.which("nvidia-smi")
    if not exe:
        return None
    for fields in (NVSMI_FIELDS, NVSMI_FIELDS[:8]):
        try:
            r = subprocess.run([exe, f"--query-gpu={','.join(fields)}", "--format=csv,noheader"],
                               capture_output=True, text=True, timeout=20)
        except (OSError, subprocess.TimeoutExpired):
            return None
        if r.returncode == 0 and r.stdout.strip():
            first = r.stdout.strip().splitlines()[0]
            values = [v.strip() for v in first.split(",")]
            return dict(zip(fields, values))
    return None


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def git_revision() -> Optional[str]:
    try:
        r = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True,
                           text=True, timeout=10)
        return r.stdout.strip() if r.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired):
        return None


def device_id_from_name(name: str) -> Tuple[str, Optional[str]]:
    """edgeperf device catalog id for a CUDA device name, and a warning if it is a guess."""
    n = name.lower()
    if "h200" in n:
        return "h200", None
    if "h100" in n:
        if "pcie" in n or "nvl" in n:
            return "h100-sxm", (f"'{name}' is not the SXM part the h100-sxm catalog entry "
                                f"describes; pass --device-id")
        return "h100-sxm", None
    if "a100" in n:
        return "a100-80gb-sxm", None if "80" in n else f"'{name}': only the 80 GB A100 is catalogued"
    if "4090" in n:
        return "rtx-4090", None
    slug = "".join(c if c.isalnum() else "-" for c in n).strip("-")
    while "--" in slug:
        slug = slug.replace("--", "-")
    return slug or "unknown-gpu", f"'{name}' has no edgeperf catalog id; pass --device-id"


def utc_now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------

class Outputs:
    """The runs CSV, the skipped CSV and the JSON sidecar, flushed after every case
    so that a run stopped by a time limit keeps what it measured."""

    def __init__(self, runs_path: Path, skipped_path: Path, env_path: Path, env: Dict[str, Any]):
        runs_path.parent.mkdir(parents=True, exist_ok=True)
        self.runs_path, self.skipped_path, self.env_path = runs_path, skipped_path, env_path
        self.runs = runs_path.open("w", newline="")
        self.skipped = skipped_path.open("w", newline="")
        self.runs_csv = csv.writer(self.runs, lineterminator="\n")
        self.skipped_csv = csv.writer(self.skipped, lineterminator="\n")
        self.runs_csv.writerow(RUN_COLUMNS)
        self.skipped_csv.writerow(SKIP_COLUMNS)
        self.runs.flush()
        self.skipped.flush()
        self.env = env
        self.env.setdefault("cases", [])
        self.write_env()

    def row(self, case: Case, device: str, metric: str, value: float, unit: str = "s") -> None:
        self.runs_csv.writerow([case.model, device, POWER_MODE, case.runtime, case.quant, case.batch, 1,
                                case.input_tokens, case.output_tokens, metric, f"{value:.6g}", unit])
        self.runs.flush()

    def skip(self, case: Case, device: str, reason: str, detail: Optional[Dict[str, Any]] = None) -> None:
        reason = " ".join(reason.split())[:300]
        self.skipped_csv.writerow([case.model, device, case.runtime, case.quant, case.batch,
                                   case.input_tokens, case.output_tokens, case.mode, reason])
        self.skipped.flush()
        d = {"case": case_dict(case), "status": "skipped", "reason": reason}
        if detail:
            d.update(detail)
        self.env["cases"].append(d)
        self.write_env()
        print(f"  SKIP {case.label()}: {reason}", flush=True)

    def done(self, case: Case, detail: Dict[str, Any]) -> None:
        self.env["cases"].append({"case": case_dict(case), "status": "ok", **detail})
        self.write_env()

    def write_env(self) -> None:
        tmp = self.env_path.with_suffix(self.env_path.suffix + ".tmp")
        tmp.write_text(json.dumps(self.env, indent=2, default=str) + "\n")
        tmp.replace(self.env_path)

    def close(self) -> None:
        self.runs.close()
        self.skipped.close()
        self.write_env()


def case_dict(case: Case) -> Dict[str, Any]:
    return {"model": case.model, "mode": case.mode, "runtime": case.runtime, "quant": case.quant,
            "batch": case.batch, "input_tokens": case.input_tokens,
            "output_tokens": case.output_tokens, "where": case.where}


def summary(xs: List[float]) -> Dict[str, Any]:
    if not xs:
        return {"n": 0}
    s = sorted(xs)
    med = statistics.median(s)

    def q(p: float) -> float:
        return s[min(len(s) - 1, max(0, int(round(p * (len(s) - 1)))))]

    return {"n": len(s), "median": med, "min": s[0], "max": s[-1], "p10": q(0.1), "p90": q(0.9),
            "spread_rel": (s[-1] - s[0]) / med if med > 0 else None}


# ---------------------------------------------------------------------------
# The GPU part (torch and transformers imported lazily)
# ---------------------------------------------------------------------------

class Runner:
    def __init__(self, args: argparse.Namespace):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        try:
            import torch  # noqa: WPS433 (lazy on purpose: --dry-run needs neither)
            import transformers  # noqa: WPS433
        except ImportError as e:
            raise SystemExit(f"run_hf.py: {e}; the runs need PyTorch with CUDA and Hugging Face "
                             f"Transformers (use --dry-run to check the cases without them)") from None
        self.torch, self.tf, self.args = torch, transformers, args
        if not torch.cuda.is_available():
            raise SystemExit("run_hf.py: torch.cuda.is_available() is False; these runs need a CUDA GPU "
                             "(use --dry-run to check the cases without one)")
        transformers.logging.set_verbosity_error()
        self.tf_major = int(transformers.__version__.split(".")[0])
        try:
            from transformers import CompileConfig  # noqa: F401  (4.47+: generate() compiles decode)
            self.compile_config_cls = CompileConfig
        except ImportError:
            self.compile_config_cls = None
        from transformers import LogitsProcessor, LogitsProcessorList
        self.LogitsProcessorList = LogitsProcessorList

        class StepClock(LogitsProcessor):
            """Stamps time.perf_counter() after a device sync each time generate() has the
            logits of a new token: stamp k follows the forward pass that yields token k."""

            def __init__(self) -> None:
                self.times: List[float] = []

            def __call__(self, input_ids, scores):  # noqa: D401
                torch.cuda.synchronize()
                self.times.append(time.perf_counter())
                return scores

        self.StepClock = StepClock
        for name in ("recompile_limit", "cache_size_limit"):
            if hasattr(torch._dynamo.config, name):  # one compiled decode shape per static case
                setattr(torch._dynamo.config, name, 64)
        self.model = None
        self.model_key: Optional[Tuple[str, str]] = None
        self.compiled_manually = False

    # -- environment ------------------------------------------------------------------
    def environment(self) -> Dict[str, Any]:
        torch = self.torch
        p = torch.cuda.get_device_properties(0)
        sdpa = {}
        for name in ("flash_sdp_enabled", "mem_efficient_sdp_enabled", "math_sdp_enabled",
                     "cudnn_sdp_enabled"):
            fn = getattr(torch.backends.cuda, name, None)
            if fn is not None:
                sdpa[name] = bool(fn())
        return {
            "torch": torch.__version__, "transformers": self.tf.__version__,
            "cuda_runtime": torch.version.cuda,
            "cudnn": torch.backends.cudnn.version() if torch.backends.cudnn.is_available() else None,
            "gpu_name": torch.cuda.get_device_name(0),
            "gpu_capability": f"{p.major}.{p.minor}", "gpu_sm_count": p.multi_processor_count,
            "gpu_memory_bytes": p.total_memory,
            "sdpa_backends": sdpa,
            "transformers_compile_config": self.compile_config_cls is not None,
        }

    # -- models -----------------------------------------------------------------------
    def release_model(self) -> None:
        torch = self.torch
        if self.model is not None:
            self.model = None
            self.model_key = None
        gc.collect()
        if self.compiled_manually or self.args.mode != "eager":
            try:
                torch._dynamo.reset()  # drops compiled graphs and their CUDA-graph pools
            except Exception:  # noqa: BLE001 - best effort between models
                pass
            self.compiled_manually = False
        torch.cuda.empty_cache()

    def build_model(self, info: ModelInfo, mode: str):
        """A randomly initialised bf16 model on the GPU from the shipped config.json."""
        torch, tf = self.torch, self.tf
        key = (info.model_id, mode)
        if self.model_key == key:
            return self.model, None
        self.release_model()
        t0 = time.perf_counter()
        try:
            config = tf.AutoConfig.from_pretrained(str(info.path.parent))  # a local directory
        except Exception:  # noqa: BLE001 - older/newer field names: build from the dict
            d = dict(info.raw)
            config = tf.AutoConfig.for_model(d.pop("model_type"), **d)
        config.use_cache = True
        kw = {"attn_implementation": self.args.attn}
        kw["dtype" if self.tf_major >= 5 else "torch_dtype"] = torch.bfloat16
        torch.manual_seed(self.args.seed)
        with torch.device("cuda"):
            model = tf.AutoModelForCausalLM.from_config(config, **kw)
        cast = None
        if next(model.parameters()).dtype != torch.bfloat16:  # parameters only: buffers such as
            cast = str(next(model.parameters()).dtype)          # RoPE's inv_freq stay fp32
            for prm in model.parameters():
                prm.data = prm.data.to(torch.bfloat16)
        # Random weights whatever from_config did (some versions leave them empty):
        # N(0, 0.02) everywhere keeps activations finite through deep stacks.
        gen = torch.Generator(device="cuda")
        gen.manual_seed(self.args.seed)
        with torch.no_grad():
            for prm in model.parameters():
                prm.normal_(0.0, 0.02, generator=gen)
        model.eval()
        gc_ = model.generation_config
        if gc_.pad_token_id is None:
            eos = gc_.eos_token_id if gc_.eos_token_id is not None else config.eos_token_id
            gc_.pad_token_id = eos[0] if isinstance(eos, list) else (eos if eos is not None else 0)
        torch.cuda.synchronize()
        self.model, self.model_key = model, key
        n_params = sum(p.numel() for p in model.parameters())
        return model, {"build_s": time.perf_counter() - t0, "params": n_params,
                       "attn_implementation": getattr(config, "_attn_implementation", self.args.attn),
                       "config_class": type(config).__name__, "model_class": type(model).__name__,
                       "cast_from": cast}

    def inputs(self, info: ModelInfo, case: Case):
        torch = self.torch
        g = torch.Generator()
        g.manual_seed(self.args.seed + case.batch * 131 + case.input_tokens)
        hi = min(info.vocab, 100_000)
        ids = torch.randint(min(1000, hi - 1), hi, (case.batch, case.input_tokens), generator=g)
        ids = ids.to("cuda")
        return ids, torch.ones_like(ids)

    def logits_keep(self, model) -> Dict[str, int]:
        """Mirrors generate(): the prefill computes last-position logits when forward() can."""
        if self.args.prefill_logits == "all":
            return {}
        import inspect
        params = inspect.signature(model.forward).parameters
        for name in ("logits_to_keep", "num_logits_to_keep"):
            if name in params:
                return {name: 1}
        return {}

    # -- timing -----------------------------------------------------------------------
    def prefill_once(self, model, ids, mask, keep) -> float:
        torch = self.torch
        with torch.no_grad():
            torch.cuda.synchronize()
            t0 = time.perf_counter()
            out = model(input_ids=ids, attention_mask=mask, use_cache=True, **keep)
            first = out.logits[:, -1, :].argmax(dim=-1)
            torch.cuda.synchronize()
            t1 = time.perf_counter()
        del out, first
        return t1 - t0

    def generate_once(self, model, ids, mask, new_tokens: int, static: bool) -> Dict[str, Any]:
        torch = self.torch
        clock = self.StepClock()
        kw: Dict[str, Any] = dict(input_ids=ids, attention_mask=mask, max_new_tokens=new_tokens,
                                  min_new_tokens=new_tokens, do_sample=False, num_beams=1,
                                  use_cache=True, logits_processor=self.LogitsProcessorList([clock]),
                                  pad_token_id=model.generation_config.pad_token_id)
        if static:
            kw["cache_implementation"] = "static"
            if self.compile_config_cls is not None and not self.compiled_manually:
                kw["compile_config"] = self.compile_config_cls(mode="reduce-overhead")
        torch.cuda.synchronize()
        t0 = time.perf_counter()
        with torch.no_grad():
            out = model.generate(**kw)
        torch.cuda.synchronize()
        t_end = time.perf_counter()
        produced = int(out.shape[1] - ids.shape[1])
        del out
        t = clock.times
        steps = [b - a for a, b in zip(t, t[1:])]
        return {"t0": t0, "times": t, "t_end": t_end, "produced": produced,
                "ttft_s": (t[0] - t0) if t else None,
                "decode_s": (t[-1] - t[0]) if len(t) >= 2 else None,
                "total_s": t_end - t0, "steps": steps}

    def compiled_evidence(self, model) -> bool:
        """Whether generate() compiled the decode call (attribute of transformers 4.47+)."""
        return self.compiled_manually or getattr(model, "_compiled_call", None) is not None

    # -- one case ---------------------------------------------------------------------
    def run_case(self, case: Case, info: ModelInfo) -> Dict[str, Any]:
        """Measures one case; returns the detail dict with ttft_s and decode_s."""
        torch, a = self.torch, self.args
        static = case.mode == "static"
        model, build = self.build_model(info, case.mode)
        ids, mask = self.inputs(info, case)
        keep = self.logits_keep(model)
        torch.cuda.reset_peak_memory_stats()
        detail: Dict[str, Any] = {"model_build": build, "prefill_logits": "last" if keep else "all",
                                  "logits_keep_kwarg": next(iter(keep), None)}
        t_case = time.perf_counter()
        if not static:
            # Warm-up: a short generate() of the same batch and prompt (prefill and
            # decode kernels, cuBLAS heuristics, allocator), then forward passes.
            self.generate_once(model, ids, mask, min(4, case.output_tokens), static=False)
            for _ in range(a.prefill_warmup):
                self.prefill_once(model, ids, mask, keep)
            samples = [self.prefill_once(model, ids, mask, keep) for _ in range(a.prefill_repeats)]
            runs = [self.generate_once(model, ids, mask, case.output_tokens, static=False)
                    for _ in range(a.decode_repeats)]
            ttft = statistics.median(samples)
            detail["ttft_method"] = "forward pass + argmax of the last position, median"
            detail["prefill_samples_s"] = samples
            detail["prefill"] = summary(samples)
        else:
            # Warm-up with the same shapes (static cache of I + O, batch b): compiles
            # and captures the decode step, so the timed runs replay graphs.
            warm = self.generate_once(model, ids, mask, case.output_tokens, static=True)
            detail["warmup_total_s"] = warm["total_s"]
            if not self.compiled_evidence(model):
                if a.no_manual_compile:
                    raise RuntimeError("generate() did not compile the decode step "
                                       f"(transformers {self.tf.__version__}); --no-manual-compile given")
                model.forward = torch.compile(model.forward, mode="reduce-overhead", fullgraph=True)
                self.compiled_manually = True
                detail["compile"] = "manual: model.forward = torch.compile(mode='reduce-overhead')"
                warm = self.generate_once(model, ids, mask, case.output_tokens, static=True)
                detail["warmup2_total_s"] = warm["total_s"]
            else:
                detail["compile"] = "generate() auto-compile (CompileConfig mode='reduce-overhead')" \
                    if not self.compiled_manually else "manual (earlier case)"
            runs = [self.generate_once(model, ids, mask, case.output_tokens, static=True)
                    for _ in range(max(a.decode_repeats, a.static_repeats))]
            ttft = statistics.median(r["ttft_s"] for r in runs)
            detail["ttft_method"] = "generate() entry to first-token logits (static cache), median"
            detail["prefill"] = summary([r["ttft_s"] for r in runs])
        for r in runs:
            if r["produced"] != case.output_tokens or len(r["times"]) != case.output_tokens:
                raise RuntimeError(f"generate() produced {r['produced']} tokens with "
                                   f"{len(r['times'])} logits stamps, expected {case.output_tokens}")
        decode = statistics.median(r["decode_s"] for r in runs)
        all_steps = [s for r in runs for s in r["steps"]]
        detail.update({
            "ttft_s": ttft, "decode_s": decode,
            "decode_runs_s": [r["decode_s"] for r in runs],
            "generate_ttft_s": [r["ttft_s"] for r in runs],
            "generate_total_s": [r["total_s"] for r in runs],
            "decode_step": summary(all_steps),
            "decode_first_steps_s": all_steps[:8], "decode_last_steps_s": all_steps[-8:],
            "peak_memory_bytes": torch.cuda.max_memory_allocated(),
            "case_wall_s": time.perf_counter() - t_case,
        })
        if static:
            detail["compiled"] = self.compiled_evidence(model)
        del ids, mask
        return detail


def is_oom(e: BaseException) -> bool:
    name = type(e).__name__
    return name == "OutOfMemoryError" or "out of memory" in str(e).lower()


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------

def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        description="Time real prefill and decode of randomly initialised HF models built from "
                    "tests/data/hf/<model>/config.json; write a runs CSV for `edgeperf validate`.")
    p.add_argument("--cases", type=Path, default=DEFAULT_CASES, help="cases CSV (default: %(default)s)")
    p.add_argument("--quick", action="store_true", help="only the rows whose grid column is 'quick'")
    p.add_argument("--mode", choices=("all",) + MODES, default="all", help="only eager or only static cases")
    p.add_argument("--models", default="", help="comma-separated model ids to keep")
    p.add_argument("--shard", type=parse_shard, default=None, help="run part I of N of the selected cases")
    p.add_argument("--out", type=Path, default=Path("hf_runs.csv"), help="runs CSV (default: %(default)s)")
    p.add_argument("--device-id", default="", help="device column (default: from the GPU name: "
                                                    "h100-sxm, h200, ...)")
    p.add_argument("--attn", choices=("sdpa", "eager"), default="sdpa",
                   help="attn_implementation (default sdpa; 'eager' materialises the scores)")
    p.add_argument("--prefill-logits", choices=("last", "all"), default="last",
                   help="prefill logits: last position only when forward() accepts logits_to_keep "
                        "(what generate() does), or every position")
    p.add_argument("--prefill-warmup", type=int, default=2, help="untimed prefill passes per case")
    p.add_argument("--prefill-repeats", type=int, default=5, help="timed prefill passes (median)")
    p.add_argument("--decode-repeats", type=int, default=1, help="timed generate() runs per eager case")
    p.add_argument("--static-repeats", type=int, default=2, help="timed generate() runs per static case")
    p.add_argument("--no-manual-compile", action="store_true",
                   help="skip static cases when generate() does not compile by itself")
    p.add_argument("--budget-s", type=float, default=0.0,
                   help="start no case after this many seconds (0: no limit); the rest are "
                        "listed as skipped")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--gpu-mem-gib", type=float, default=80.0,
                   help="dry run: GPU memory to check the cases against (H100: 80, H200: 141)")
    p.add_argument("--dry-run", action="store_true",
                   help="check the cases and config.json files and print the plan; no torch")
    a = p.parse_args(argv)
    for name in ("prefill_repeats", "decode_repeats", "static_repeats"):
        if getattr(a, name) < 1:
            p.error(f"--{name.replace('_', '-')}: expected >= 1, got {getattr(a, name)}")
    if a.prefill_warmup < 0:
        p.error(f"--prefill-warmup: expected >= 0, got {a.prefill_warmup}")
    return a


def side_paths(out: Path) -> Tuple[Path, Path]:
    stem = out.name[:-4] if out.name.endswith(".csv") else out.name
    return out.with_name(stem + ".skipped.csv"), out.with_name(stem + ".env.json")


def dry_run(args: argparse.Namespace, cases: List[Case], infos: Dict[str, ModelInfo]) -> int:
    print(f"cases file : {args.cases} ({len(cases)} selected)")
    print(f"configs    : {HF_DIR}")
    print("outputs    : " + ", ".join(str(p) for p in (args.out, *side_paths(args.out))))
    print("\nmodels (from config.json, parsed with json; AutoConfig.from_pretrained(<dir>) at run time):")
    print(f"  {'model':<16} {'type':<7} {'arch':<20} {'L':>3} {'hidden':>6} {'heads':>5} {'kv':>3} "
          f"{'hd':>4} {'ffn':>6} {'vocab':>7} {'tied':>4} {'params':>8} {'bf16 GiB':>8}")
    for mid, info in infos.items():
        arch = info.architectures[0] if info.architectures else "?"
        print(f"  {mid:<16} {info.model_type:<7} {arch:<20} {info.layers:>3} {info.hidden:>6} "
              f"{info.heads:>5} {info.kv_heads:>3} {info.head_dim:>4} {info.ffn:>6} {info.vocab:>7} "
              f"{'yes' if info.tied else 'no':>4} {info.params() / 1e9:>7.2f}B "
              f"{info.weight_bytes() / 2**30:>8.1f}")
        for w in info.warnings:
            print(f"    warning: {w}")
    print(f"\nplan (eager: attn_implementation='{args.attn}', DynamicCache; static: "
          f"cache_implementation='static' + torch.compile mode='reduce-overhead'):")
    print(f"  {'#':>3} {'model':<16} {'mode':<6} {'runtime':<9} {'b':>2} {'I':>5} {'O':>5} "
          f"{'grid':<5} {'~GiB':>6} {'~s':>6}")
    total_s, problems = 0.0, []
    built = set()
    for k, c in enumerate(cases, 1):
        info = infos[c.model]
        mem, sec = estimate_case(c, info, args.prefill_repeats + args.prefill_warmup)
        if (c.model, c.mode) not in built:
            built.add((c.model, c.mode))
            sec += EST_MODEL_BUILD_S_PER_GB * info.weight_bytes() / 1e9
        total_s += sec
        flag = "  <-- over --gpu-mem-gib" if mem > 0.92 * args.gpu_mem_gib else ""
        print(f"  {k:>3} {c.model:<16} {c.mode:<6} {c.runtime:<9} {c.batch:>2} {c.input_tokens:>5} "
              f"{c.output_tokens:>5} {c.grid:<5} {mem:>6.1f} {sec:>6.1f}{flag}")
        problems += check_case_against_config(c, info)
    print(f"\nrough total: {total_s / 60:.1f} min (crude constants atop run_hf.py; the real figure "
          f"is in the sidecar's case_wall_s)")
    if args.budget_s:
        print(f"--budget-s {args.budget_s:g}: cases not started by then are listed as skipped")
    for pr in problems:
        print(f"problem: {pr}")
    return 1 if problems else 0


def main(argv: Optional[List[str]] = None) -> int:
    args = parse_args(argv)
    t_start = time.perf_counter()
    try:
        all_cases = read_cases(args.cases)
        cases = select_cases(all_cases, args)
        if not cases:
            raise CaseError(f"{args.cases}: no case left after --quick/--mode/--models/--shard")
        infos = {m: load_model_info(m) for m in dict.fromkeys(c.model for c in cases)}
    except CaseError as e:
        print(f"run_hf.py: {e}", file=sys.stderr)
        return 2
    if args.dry_run:
        return dry_run(args, cases, infos)

    runner = Runner(args)
    gpu_env = runner.environment()
    device, warn = (args.device_id, None) if args.device_id else device_id_from_name(gpu_env["gpu_name"])
    if warn:
        print(f"warning: {warn}", file=sys.stderr)
    skipped_path, env_path = side_paths(args.out)
    env: Dict[str, Any] = {
        "schema": "edgeperf hf validation run 1",
        "started_utc": utc_now(), "command": " ".join([sys.executable] + sys.argv),
        "host": platform.node(), "python": sys.version.split()[0], "platform": platform.platform(),
        "cpu": cpu_model(), "cpu_count": os.cpu_count(), "git_revision": git_revision(),
        "cases_file": str(args.cases), "cases_sha256": sha256_of(args.cases),
        "device_id": device, "device_id_warning": warn, **gpu_env,
        "nvidia_smi_start": nvidia_smi_snapshot(),
        "options": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "method": {
            "ttft_s": {"eager": "median of --prefill-repeats forward passes (batch x I tokens, "
                                "use_cache=True, last-position logits when forward() accepts "
                                "logits_to_keep, as generate() does) + argmax, each between "
                                "torch.cuda.synchronize() calls, after a short generate() and "
                                "--prefill-warmup passes",
                       "static": "generate() entry to the first token's logits (LogitsProcessor "
                                 "stamp after torch.cuda.synchronize()), median of the timed runs "
                                 "after a same-shape warm-up run that compiles"},
            "decode_s": "t_O - t_1 of the LogitsProcessor stamps (perf_counter after "
                        "torch.cuda.synchronize() at each of the O tokens): O - 1 decode steps "
                        "including their sampling; median over the timed generate() runs",
            "generate": "min_new_tokens = max_new_tokens = O, do_sample=False, num_beams=1",
        },
        "cases": [],
    }
    out = Outputs(args.out, skipped_path, env_path, env)
    print(f"{len(cases)} cases on {gpu_env['gpu_name']} (device '{device}'), torch {gpu_env['torch']}, "
          f"transformers {gpu_env['transformers']}", flush=True)
    failed_models: Dict[Tuple[str, str], str] = {}
    n_ok = 0
    for k, case in enumerate(cases, 1):
        elapsed = time.perf_counter() - t_start
        if args.budget_s and elapsed > args.budget_s:
            out.skip(case, device, f"not started: time budget --budget-s {args.budget_s:g} spent "
                                   f"({elapsed:.0f} s elapsed)")
            continue
        if (case.model, case.mode) in failed_models:
            out.skip(case, device, failed_models[(case.model, case.mode)])
            continue
        info = infos[case.model]
        problems = check_case_against_config(case, info)
        if problems:
            out.skip(case, device, problems[0])
            continue
        print(f"[{k}/{len(cases)} {elapsed:6.0f} s] {case.label()}", flush=True)
        try:
            detail = runner.run_case(case, info)
        except Exception as e:  # noqa: BLE001 - one bad case must not stop the others
            first = (str(e).strip().splitlines() or [""])[0]
            reason = ("OOM: " if is_oom(e) else f"{type(e).__name__}: ") + first
            tb = traceback.format_exc(limit=6)
            if not is_oom(e):
                print(tb, file=sys.stderr)
            building = runner.model_key != (case.model, case.mode)
            if building:  # the model itself could not be built: skip its other cases too
                failed_models[(case.model, case.mode)] = f"model not built: {reason}"
            if case.mode == "static" and not is_oom(e) and not building:
                reason = f"static cache / torch.compile failed: {reason}"
            out.skip(case, device, reason, {"traceback": tb})
            if is_oom(e) or building:
                runner.release_model()
            else:
                gc.collect()
                runner.torch.cuda.empty_cache()
            continue
        out.row(case, device, "ttft_s", detail["ttft_s"])
        out.row(case, device, "decode_s", detail["decode_s"])
        out.done(case, detail)
        n_ok += 1
        step = detail["decode_step"].get("median") or 0.0
        print(f"    ttft {detail['ttft_s'] * 1e3:9.2f} ms   decode {detail['decode_s']:8.3f} s "
              f"({step * 1e3:.2f} ms/step)   peak {detail['peak_memory_bytes'] / 2**30:.1f} GiB   "
              f"case {detail['case_wall_s']:.0f} s", flush=True)
    runner.release_model()
    env["nvidia_smi_end"] = nvidia_smi_snapshot()
    env["finished_utc"] = utc_now()
    env["wall_s"] = time.perf_counter() - t_start
    out.close()
    print(f"{n_ok}/{len(cases)} cases measured in {env['wall_s']:.0f} s -> {args.out} "
          f"(skipped: {skipped_path}, environment: {env_path})", flush=True)
    return 0 if n_ok else 1


if __name__ == "__main__":
    sys.exit(main())
