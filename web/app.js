// edgeperf what-if page: inputs, URL state and rendering. The numbers come
// from the WebAssembly build of the library (edgeperf_web.cpp); this file only
// formats them. Every displayed result is an element with data-metric (the
// field name of `edgeperf estimate --format json`) and data-value (the value
// in SI units, as the library returned it).
'use strict';

const PARAMS = ['model', 'config', 'quant', 'device', 'mode', 'runtime', 'input', 'output',
  'batch', 'samples', 'kwh_price', 'device_price', 'budget_s'];
const FRONTIER_PARAMS = ['device', 'runtime', 'budget_s'];
const $ = (id) => document.getElementById(id);

let wasm = null;      // the Emscripten module
let catalog = null;   // ids the inputs offer, and the default case
let state = {};       // the case as strings, as in the URL query
let pending = { evaluate: false, frontier: false };
let lastFrontierKey = null;

// ---- human units (the SI value stays in data-value) ------------------------------------------

function sig3(v) {
  const a = Math.abs(v);
  if (a >= 100 || a === 0) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return v.toFixed(2);
}
function scaled(v, units) {
  if (v === 0) return '0';
  for (const [f, u] of units) if (Math.abs(v) >= f) return `${sig3(v / f)} ${u}`;
  const [f, u] = units[units.length - 1];
  return `${sig3(v / f)} ${u}`;
}
const fmt = {
  s: (v) => v >= 120 ? `${sig3(v / 60)} min` : scaled(v, [[1, 's'], [1e-3, 'ms'], [1e-6, 'µs'], [1e-9, 'ns']]),
  bytes: (v) => scaled(v, [[1e12, 'TB'], [1e9, 'GB'], [1e6, 'MB'], [1e3, 'kB'], [1, 'B']]),
  mem: (v) => scaled(v, [[2 ** 40, 'TiB'], [2 ** 30, 'GiB'], [2 ** 20, 'MiB'], [2 ** 10, 'KiB'], [1, 'B']]),
  flops: (v) => scaled(v, [[1e15, 'PFLOP'], [1e12, 'TFLOP'], [1e9, 'GFLOP'], [1e6, 'MFLOP'], [1e3, 'kFLOP'], [1, 'FLOP']]),
  j: (v) => scaled(v, [[1e6, 'MJ'], [1e3, 'kJ'], [1, 'J'], [1e-3, 'mJ'], [1e-6, 'µJ']]),
  w: (v) => scaled(v, [[1e3, 'kW'], [1, 'W'], [1e-3, 'mW']]),
  usd: (v) => v === 0 ? '$0' : v >= 0.01 ? `$${v.toFixed(v >= 100 ? 0 : 3)}` : `$${v.toPrecision(3)}`,
  rate: (v) => sig3(v),
  num: (v) => sig3(v),
  text: (v) => String(v),
  bool: (v) => (v ? 'yes' : 'no'),
};

// Every field of the CLI row the page knows how to show: unit formatter and label.
const FIELD = {
  ttft_s: [fmt.s, 'TTFT'], tpot_s: [fmt.s, 'TPOT'], total_s: [fmt.s, 'total time'],
  decode_s: [fmt.s, 'decode time'], output_tokens_per_s: [fmt.rate, 'output tokens/s'],
  cold_start_s: [fmt.s, 'cold start (load weights)'],
  energy_j: [fmt.j, 'request energy'], module_energy_j: [fmt.j, 'module energy'],
  prefill_energy_j: [fmt.j, 'prefill energy'], decode_energy_j: [fmt.j, 'decode energy'],
  j_per_token: [fmt.j, 'J/token'], tokens_per_j: [fmt.num, 'tokens/J'],
  avg_power_w: [fmt.w, 'average power'], prefill_power_w: [fmt.w, 'prefill power'],
  decode_power_w: [fmt.w, 'decode power'], peak_power_w: [fmt.w, 'peak step power'],
  prefill_flops: [fmt.flops, 'prefill FLOPs'], decode_flops: [fmt.flops, 'decode FLOPs'],
  prefill_bytes: [fmt.bytes, 'prefill bytes moved'], decode_bytes: [fmt.bytes, 'decode bytes moved'],
  prefill_bound: [fmt.text, 'prefill bound'], decode_bound: [fmt.text, 'decode bound'],
  weights_bytes: [fmt.mem, 'weights'], kv_cache_bytes: [fmt.mem, 'KV cache'],
  activation_bytes: [fmt.mem, 'activations'], peak_memory_bytes: [fmt.mem, 'peak memory'],
  budget_bytes: [fmt.mem, 'available'], fits: [fmt.bool, 'fits'],
  cost_per_1m_usd: [fmt.usd, 'cost per 1M tokens'], electricity_per_1m_usd: [fmt.usd, 'electricity'],
  amortized_per_1m_usd: [fmt.usd, 'device (amortized)'], cloud_per_1m_usd: [fmt.usd, 'cloud'],
  mode: [fmt.text, 'power mode'], kv_dtype: [fmt.text, 'KV-cache dtype'],
  ttft_sigma_s: [fmt.s, 'TTFT ±1σ'], decode_sigma_s: [fmt.s, 'decode time ±1σ'],
  total_sigma_s: [fmt.s, 'total ±1σ'], energy_sigma_j: [fmt.j, 'request energy ±1σ'],
};
const NOT_SHOWN = new Set(['id', 'error']);

/// A result element: data-metric = the CLI field name, data-value = its SI value.
function metric(name, value, text) {
  const span = document.createElement('span');
  span.dataset.metric = name;
  span.dataset.value = typeof value === 'boolean' ? String(value) : String(value);
  span.textContent = text;
  return span;
}
function show(fields, name, shown) {
  shown.add(name);
  const v = fields[name];
  const f = (FIELD[name] || [fmt.num])[0];
  return metric(name, v, typeof v === 'number' ? f(v) : f(v));
}

function kvTable(table, fields, names, shown) {
  table.textContent = '';
  for (const n of names) {
    if (fields[n] === null || fields[n] === undefined) continue;
    const tr = table.insertRow();
    const label = tr.insertCell();
    label.textContent = (FIELD[n] || [null, n])[1];
    label.title = `${n} (edgeperf estimate --format json)`;
    tr.insertCell().appendChild(show(fields, n, shown));
  }
}

/// The prediction interval of a field when the model gives one: `<name>_lo` and
/// `<name>_hi`, or the ±1σ field (`ttft_s` → `ttft_sigma_s`, report/fields.hpp),
/// each shown with its own data-metric.
function interval(fields, name, shown) {
  const box = document.createDocumentFragment();
  const f = (FIELD[name] || [fmt.num])[0];
  const lo = `${name}_lo`, hi = `${name}_hi`, sd = name.replace(/_(s|j)$/, '_sigma_$1');
  if (typeof fields[lo] === 'number' && typeof fields[hi] === 'number') {
    box.append('±1σ: ', show(fields, lo, shown), ' – ', show(fields, hi, shown));
    return box;
  }
  if (typeof fields[sd] === 'number') {
    box.append('±', metric(sd, fields[sd], f(fields[sd])), ' (1σ)');
    shown.add(sd);
  }
  return box;
}

// ---- rendering --------------------------------------------------------------------------------

function setCard(id, fields, name, shown) {
  $(`c-${id}`).replaceChildren(show(fields, name, shown));
  const pi = $(`pi-${id}`);
  if (pi) pi.replaceChildren(interval(fields, name, shown));
}

const BOUND_COLOR = { compute: '#1f6feb', memory: '#e8833a', launch: '#8957e5', host: '#6e7781' };

function render(r) {
  const f = r.fields;
  const shown = new Set();
  const c = r.case;
  $('case-line').innerHTML = '';
  const b = (s) => { const e = document.createElement('b'); e.textContent = s; return e; };
  $('case-line').append(b(c.model), ' · ', b(c.quant), ' · ', b(c.device), ' (', show(f, 'mode', shown), ') · ',
    b(c.runtime), ` · batch ${state.batch || catalog.defaults.batch} · samples ${state.samples || catalog.defaults.samples}`,
    ` · I = ${state.input || catalog.defaults.input} · O = ${state.output || catalog.defaults.output} · KV `,
    show(f, 'kv_dtype', shown));
  // The loader's notes (the CLI JSON's `notes`); data-value is the JSON array.
  shown.add('notes');
  const notes = f.notes || [];
  $('case-line').append(metric('notes', JSON.stringify(notes),
    notes.length ? ` · config notes: ${notes.join('; ')}` : ''));

  setCard('ttft', f, 'ttft_s', shown);
  setCard('tpot', f, 'tpot_s', shown);
  setCard('total', f, 'total_s', shown);
  setCard('tps', f, 'output_tokens_per_s', shown);
  setCard('jpt', f, 'j_per_token', shown);
  const mj = r.extra_fields.module_j_per_token;
  if (typeof mj === 'number' && !$('pi-jpt').textContent) {
    $('pi-jpt').replaceChildren(`module${c.module_rail ? ' (' + c.module_rail + ')' : ''} `,
      metric('module_j_per_token', mj, fmt.j(mj)));
  }
  $('c-rail').textContent = c.accel_rail ? `(${c.accel_rail})` : '';
  if (f.cost_per_1m_usd !== null) {
    $('c-cost').replaceChildren(show(f, 'cost_per_1m_usd', shown));
    $('c-cost-split').replaceChildren('electricity ', show(f, 'electricity_per_1m_usd', shown),
      ' + device ', show(f, 'amortized_per_1m_usd', shown));
  }

  kvTable($('t-energy'), f, ['energy_j', 'module_energy_j', 'prefill_energy_j', 'decode_energy_j',
    'tokens_per_j', 'avg_power_w', 'prefill_power_w', 'decode_power_w', 'peak_power_w'], shown);
  const er = $('t-energy').rows;
  if (er.length > 1 && c.accel_rail) er[0].cells[0].firstChild.textContent = `energy, ${c.accel_rail}`;
  if (er.length > 1 && c.module_rail) er[1].cells[0].firstChild.textContent = `energy, ${c.module_rail}`;

  // Memory by class, against what the device leaves to the case.
  const fits = $('fits');
  fits.className = `badge ${f.fits ? 'ok' : 'no'}`;
  fits.replaceChildren(metric('fits', f.fits, f.fits ? 'fits' : 'does not fit'));
  shown.add('fits');
  const parts = [['weights_bytes', '#1f6feb'], ['kv_cache_bytes', '#e8833a'], ['activation_bytes', '#8957e5']];
  const scale = Math.max(f.budget_bytes, f.peak_memory_bytes) || 1;
  const bar = $('membar');
  bar.textContent = '';
  for (const [n, color] of parts) {
    const s = document.createElement('span');
    s.style.width = `${(100 * f[n]) / scale}%`;
    s.style.background = color;
    s.title = `${FIELD[n][1]}: ${fmt.mem(f[n])}`;
    bar.appendChild(s);
  }
  const over = document.createElement('span');
  over.style.width = `${(100 * r.runtime_overhead_bytes) / scale}%`;
  over.style.background = '#9aa5b1';
  over.title = `runtime overhead: ${fmt.mem(r.runtime_overhead_bytes)}`;
  bar.appendChild(over);
  kvTable($('t-memory'), f, ['weights_bytes', 'kv_cache_bytes', 'activation_bytes', 'peak_memory_bytes', 'budget_bytes'], shown);
  const swatch = { weights_bytes: '#1f6feb', kv_cache_bytes: '#e8833a', activation_bytes: '#8957e5' };
  for (const row of $('t-memory').rows) {
    const n = row.cells[1].firstChild.dataset.metric;
    if (swatch[n]) {
      const sw = document.createElement('span');
      sw.className = 'sw';
      sw.style.background = swatch[n];
      row.cells[0].prepend(sw);
    }
  }

  kvTable($('t-work'), f, ['decode_s', 'prefill_flops', 'prefill_bytes', 'prefill_bound', 'decode_flops',
    'decode_bytes', 'decode_bound', 'cold_start_s'], shown);
  // Whatever else the row holds (new fields such as prediction intervals appear here).
  const rest = Object.keys(f).filter((n) => !shown.has(n) && !NOT_SHOWN.has(n) && f[n] !== null && f[n] !== '');
  kvTable($('t-other'), f, rest, shown);
  $('other-box').hidden = rest.length === 0;

  // Plots.
  const I = Number(state.input || catalog.defaults.input), O = Number(state.output || catalog.defaults.output);
  const atI = r.prefill_curve.filter((p) => p[0] <= I).pop();
  EPPlot.line($('p-prefill'), {
    points: r.prefill_curve, step: true, xLabel: 'prompt tokens I', yLabel: 'prefill time',
    xFmt: (v) => String(v), yFmt: fmt.s,
    marker: atI ? [atI[0], atI[1], `I = ${I}: ${fmt.s(atI[1])}`] : null,
  });
  EPPlot.line($('p-decode'), {
    points: r.decode_curve, xLabel: 'output tokens O', yLabel: 'decode time', color: '#1a7f37',
    xFmt: (v) => String(v), yFmt: fmt.s, marker: [O, f.decode_s, `O = ${O}: ${fmt.s(f.decode_s)}`],
  });
  $('step-time').textContent = `(context I + 1: ${fmt.s(r.decode_step_s)})`;
  EPPlot.bars($('p-ops'), {
    rows: r.decode_ops.map((o) => ({ name: o.name, value: o.time_s, color: BOUND_COLOR[o.bound] || '#6e7781' })),
    fmt: fmt.s, legend: Object.entries(BOUND_COLOR).filter(([k]) => r.decode_ops.some((o) => o.bound === k))
      .map(([k, v]) => [`${k}-bound`, v]),
  });
  EPPlot.scatter($('p-modes'), {
    groups: [{
      color: '#1f6feb', r: 4, line: false,
      points: r.modes.map((m) => ({ x: m.total_s, y: m.j_per_token, label: m.mode, strong: m.mode === c.mode })),
    }],
    xLabel: 'total time per request (s)', yLabel: 'J/token (accelerator rail)', xFmt: (v) => sig3(v), yFmt: (v) => sig3(v),
  });
}

function renderFrontier(fr) {
  const pct = (v) => `${(100 * v).toFixed(0)} %`;
  const frontier = fr.frontier.map((p) => ({ x: Math.log10(p.latency_s), y: p.accuracy }));
  const choice = fr.choice;
  const groups = [
    { color: '#b8c2cc', r: 2.2, opacity: 0.7, points: fr.points.map((p) => ({ x: Math.log10(p[0]), y: p[1] })) },
    { color: '#1f6feb', r: 3.2, line: true, points: frontier },
  ];
  if (choice) {
    groups.push({ color: '#e8833a', r: 4, points: [{
      x: Math.log10(choice.latency_s), y: choice.accuracy, strong: true,
      label: `${choice.model} · ${choice.answer}${choice.budget_tokens ? ' ≤' + choice.budget_tokens : ''} · ${choice.quant} · ${choice.mode} · ×${choice.samples}`,
    }] });
  }
  EPPlot.scatter($('p-frontier'), {
    groups, width: 1040, height: 280, vline: Math.log10(fr.budget_s), vlineLabel: `budget ${fmt.s(fr.budget_s)}`,
    xLabel: 'expected latency (log scale)', yLabel: `accuracy (${fr.benchmark})`,
    xFmt: (t) => { const v = +Math.pow(10, t).toPrecision(2); return v >= 1 ? `${v} s` : `${+(v * 1e3).toPrecision(2)} ms`; },
    yFmt: pct, xTicks: EPPlot.logTicks,
  });
  $('frontier-note').textContent = `(${fr.points.length} usable configurations on ${state.device || catalog.defaults.device}, every power mode)`;
  $('frontier-choice').textContent = choice
    ? `Best under ${fmt.s(fr.budget_s)}: ${choice.model}, ${choice.answer}${choice.budget_tokens ? ' (≤ ' + choice.budget_tokens + ' tokens)' : ''}, ${choice.quant}, ${choice.mode}, ${choice.samples} sample${choice.samples > 1 ? 's' : ''} — ${fmt.s(choice.latency_s)}, ${fmt.j(choice.energy_j)}, accuracy ${(100 * choice.accuracy).toFixed(1)} %.`
    : fr.reason;
}

// ---- state, URL and inputs -------------------------------------------------------------------

function caseObject() {
  const c = {};
  for (const p of PARAMS) if (state[p] !== undefined) c[p] = state[p];
  if (!c.config) delete c.config;
  return c;
}

function writeUrl() {
  const q = new URLSearchParams();
  // The whole case, defaults included, so that a shared link keeps meaning the same case.
  for (const p of PARAMS) {
    const v = state[p] !== undefined ? state[p] : catalog.defaults[p];
    if (v === undefined || (v === '' && !(p === 'quant' && state.config)) || (p === 'model' && state.config)) continue;
    q.set(p, v);
  }
  try {
    history.replaceState(null, '', `${location.pathname}?${q.toString()}`);
  } catch (e) { /* some file:// contexts refuse; the page still works */ }
}

function fillSelect(sel, ids, value, extraLabel) {
  sel.textContent = '';
  for (const id of ids) sel.add(new Option(id, id));
  if (value !== undefined && value !== '' && !ids.includes(value)) {
    sel.add(new Option(`${value} (${extraLabel || 'unknown'})`, value));
    sel.classList.add('invalid');
  } else {
    sel.classList.remove('invalid');
  }
  if (value !== undefined) sel.value = value;
}

function syncInputs() {
  const d = catalog.defaults;
  const v = (p) => (state[p] !== undefined ? state[p] : d[p]);
  fillSelect($('model'), catalog.models, state.config ? 'config.json' : v('model'), 'from config.json');
  $('model').disabled = !!state.config;
  syncQuants();
  fillSelect($('device'), catalog.devices.map((x) => x.id), v('device'));
  syncModes();
  fillSelect($('runtime'), catalog.runtimes, v('runtime'));
  for (const p of ['input', 'output', 'batch', 'samples', 'kwh_price', 'device_price', 'budget_s']) {
    const input = $(p);
    input.value = v(p);
    input.classList.toggle('invalid', input.value !== String(v(p)));
  }
  $('config').value = state.config || '';
  if (state.config) $('config-box').open = true;
}

/// The quant list; with a config.json it starts with "the config's own dtype"
/// (an empty quant: the library takes the 16-bit dtype the config names).
function syncQuants() {
  const v = state.quant !== undefined ? state.quant : catalog.defaults.quant;
  const sel = $('quant');
  fillSelect(sel, catalog.quants, v === '' ? undefined : v);
  if (state.config) {
    sel.add(new Option("the config's dtype", ''), 0);
    if (v === '') sel.value = '';
  }
}

function syncModes() {
  const dev = catalog.devices.find((x) => x.id === (state.device ?? catalog.defaults.device));
  const modes = dev ? dev.modes : [];
  const mode = state.mode ?? '';
  const sel = $('mode');
  fillSelect(sel, modes, mode === '' ? modes[0] : mode);
}

function onInput(e) {
  const id = e.target.id;
  if (!PARAMS.includes(id)) return;
  state[id] = e.target.value;
  if (id === 'device') {
    // The mode list follows the device; keep the mode when the new device has it.
    const dev = catalog.devices.find((x) => x.id === state.device);
    if (!dev || !dev.modes.includes(state.mode)) state.mode = '';
    syncModes();
  }
  if (id === 'config') {
    if (!state.config && state.quant === '') delete state.quant;
    syncQuants();
    $('model').disabled = !!state.config;
    fillSelect($('model'), catalog.models, state.config ? 'config.json' : (state.model ?? catalog.defaults.model), 'from config.json');
  }
  e.target.classList.remove('invalid');
  schedule();
}

let timer = null;
function schedule() {
  document.body.dataset.state = 'loading';
  clearTimeout(timer);
  timer = setTimeout(update, 40);
}

function update() {
  writeUrl();
  document.body.dataset.state = 'loading';
  const r = JSON.parse(wasm.evaluate(JSON.stringify(caseObject())));
  if (r.error) {
    showError(r.error);
    return;
  }
  $('error').hidden = true;
  $('status').textContent = '';
  $('out').hidden = false;
  render(r);
  const key = JSON.stringify(FRONTIER_PARAMS.map((p) => state[p]));
  if (key !== lastFrontierKey) {
    // The planner evaluates several hundred configurations: after the estimate is on screen.
    setTimeout(() => {
      const fr = JSON.parse(wasm.frontier(JSON.stringify(caseObject())));
      if (fr.error) {
        $('frontier-choice').textContent = fr.error;
      } else {
        lastFrontierKey = key;
        renderFrontier(fr);
      }
      document.body.dataset.state = 'ready';
    }, 0);
  } else {
    document.body.dataset.state = 'ready';
  }
}

function showError(message) {
  const box = $('error');
  box.textContent = message;
  box.dataset.error = message;
  box.hidden = false;
  $('status').textContent = '';
  $('out').hidden = true;
  document.body.dataset.state = 'error';
}

function readConfigFile(file) {
  const reader = new FileReader();
  reader.onload = () => {
    state.config = String(reader.result);
    syncInputs();
    schedule();
  };
  reader.onerror = () => showError(`${file.name}: cannot read the file`);
  reader.readAsText(file);
}

function start(module) {
  wasm = module;
  catalog = JSON.parse(wasm.catalog());
  const q = new URLSearchParams(location.search);
  for (const p of PARAMS) if (q.has(p)) state[p] = q.get(p);
  for (const k of q.keys()) {
    if (!PARAMS.includes(k)) {
      showError(`unknown URL parameter '${k}'; expected one of ${PARAMS.join(', ')}`);
      syncInputs();
      return;
    }
  }
  syncInputs();
  $('inputs').addEventListener('input', onInput);
  $('inputs').addEventListener('change', onInput);
  $('config-file').addEventListener('change', (e) => { if (e.target.files[0]) readConfigFile(e.target.files[0]); });
  $('config-clear').addEventListener('click', () => {
    delete state.config;
    if (state.quant === '') delete state.quant;
    $('config-file').value = '';
    syncInputs();
    schedule();
  });
  update();
}

if (typeof edgeperfModule !== 'function') {
  showError('edgeperf.js did not load: build the page with `bash cmake/edgeperf.sh web` and open build/web/index.html');
} else {
  // Compiled synchronously (-sWASM_ASYNC_COMPILATION=0, so the page is complete
  // when the load event fires); the embind functions land on the object passed in.
  const mod = {
    onRuntimeInitialized: () => start(mod),
    onAbort: (what) => showError(`the WebAssembly module failed to start: ${what}`),
  };
  try {
    edgeperfModule(mod);
  } catch (e) {
    showError(`the WebAssembly module failed to start: ${e}`);
  }
}
