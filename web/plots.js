// edgeperf what-if page: small SVG plots, no library.
//   EPPlot.line(el, {series, xLabel, yLabel, marker, xFmt, yFmt, step})
//   EPPlot.scatter(el, {groups, xLabel, yLabel, xFmt, yFmt, xTicks, vline, vlineLabel})
//   EPPlot.bars(el, {rows: [{name, value, color, note}], fmt})
'use strict';

const EPPlot = (() => {
  const NS = 'http://www.w3.org/2000/svg';

  function el(name, attrs, parent) {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (parent) parent.appendChild(e);
    return e;
  }
  function text(parent, x, y, s, attrs) {
    const t = el('text', Object.assign({ x, y }, attrs || {}), parent);
    t.textContent = s;
    return t;
  }

  /// "Nice" ticks over [lo, hi] (about n of them).
  function ticks(lo, hi, n) {
    if (!(hi > lo)) hi = lo + 1;
    const raw = (hi - lo) / n;
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw);
    const out = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toPrecision(12));
    return out;
  }

  function frame(node, o, W, H) {
    node.textContent = '';
    const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img' }, node);
    const m = { l: 58, r: 14, t: 10, b: 36 };
    const x0 = o.xMin ?? 0, x1 = o.xMax, y0 = o.yMin ?? 0, y1 = o.yMax;
    const sx = (x) => m.l + ((x - x0) / (x1 - x0 || 1)) * (W - m.l - m.r);
    const sy = (y) => H - m.b - ((y - y0) / (y1 - y0 || 1)) * (H - m.t - m.b);
    const g = el('g', { class: 'grid' }, svg);
    const ax = el('g', { class: 'axis' }, svg);
    for (const t of ticks(y0, y1, 4)) {
      el('line', { x1: m.l, x2: W - m.r, y1: sy(t), y2: sy(t) }, g);
      text(ax, m.l - 6, sy(t) + 4, o.yFmt(t), { 'text-anchor': 'end' });
    }
    for (const t of (o.xTicks ? o.xTicks(x0, x1) : ticks(x0, x1, 6))) {
      el('line', { x1: sx(t), x2: sx(t), y1: H - m.b, y2: H - m.b + 4 }, ax);
      text(ax, sx(t), H - m.b + 16, o.xFmt(t), { 'text-anchor': 'middle' });
    }
    el('line', { x1: m.l, x2: W - m.r, y1: H - m.b, y2: H - m.b }, ax);
    text(ax, (m.l + W - m.r) / 2, H - 3, o.xLabel, { 'text-anchor': 'middle' });
    text(ax, 12, m.t + (H - m.t - m.b) / 2, o.yLabel,
      { 'text-anchor': 'middle', transform: `rotate(-90 12 ${m.t + (H - m.t - m.b) / 2})` });
    return { svg, sx, sy, m, W, H };
  }

  /// Line plot of [x, y] points; `step`: draw as a staircase; `marker`: [x, y, label].
  function line(node, o) {
    const pts = o.points;
    if (!pts.length) { node.textContent = ''; return; }
    const xMax = Math.max(...pts.map((p) => p[0]));
    const yMax = Math.max(...pts.map((p) => p[1])) * 1.08;
    const f = frame(node, Object.assign({ xMax, yMax }, o), 520, 230);
    let d = '';
    pts.forEach((p, i) => {
      const X = f.sx(p[0]), Y = f.sy(p[1]);
      if (i === 0) d += `M${X},${Y}`;
      else if (o.step) d += `H${X}V${Y}`;
      else d += `L${X},${Y}`;
    });
    el('path', { d, fill: 'none', stroke: o.color || '#1f6feb', 'stroke-width': 1.8 }, f.svg);
    if (o.marker) {
      const [mx, my, label] = o.marker;
      const X = f.sx(mx), Y = f.sy(my);
      el('line', { x1: X, x2: X, y1: f.sy(0), y2: Y, stroke: '#e8833a', 'stroke-dasharray': '3 3' }, f.svg);
      el('circle', { cx: X, cy: Y, r: 4.5, fill: '#e8833a', stroke: '#fff', 'stroke-width': 1.5 }, f.svg);
      const right = X < f.W * 0.7;
      text(f.svg, X + (right ? 8 : -8), Y - 8, label, { class: 'lbl', 'text-anchor': right ? 'start' : 'end' });
    }
  }

  /// Scatter of groups [{points:[{x,y,label?,strong?}], color, r, line}] with an optional vertical line.
  function scatter(node, o) {
    const all = o.groups.flatMap((g) => g.points);
    if (!all.length) { node.textContent = ''; return; }
    const xs = all.map((p) => p.x), ys = all.map((p) => p.y);
    let xMax = Math.max(...xs), xMin = Math.min(...xs);
    if (o.vline !== undefined) xMax = Math.max(xMax, o.vline);
    const pad = (xMax - xMin) * 0.08 || xMax * 0.1 || 1;
    let yMin = Math.min(...ys), yMax = Math.max(...ys);
    const ypad = (yMax - yMin) * 0.15 || yMax * 0.1 || 1;
    const f = frame(node, Object.assign({
      xMin: o.xZero ? 0 : Math.max(0, xMin - pad), xMax: xMax + pad,
      yMin: o.yZero ? 0 : Math.max(0, yMin - ypad), yMax: yMax + ypad,
    }, o), o.width || 520, o.height || 230);
    if (o.vline !== undefined) {
      const X = f.sx(o.vline);
      el('line', { x1: X, x2: X, y1: f.m.t, y2: f.H - f.m.b, stroke: '#c62828', 'stroke-dasharray': '5 4' }, f.svg);
      text(f.svg, X + 5, f.m.t + 12, o.vlineLabel || '', { class: 'lbl', fill: '#c62828' });
    }
    for (const g of o.groups) {
      if (g.line && g.points.length > 1) {
        const sorted = [...g.points].sort((a, b) => a.x - b.x);
        const d = sorted.map((p, i) => `${i ? 'L' : 'M'}${f.sx(p.x)},${f.sy(p.y)}`).join('');
        el('path', { d, fill: 'none', stroke: g.color, 'stroke-width': 1.5, 'stroke-opacity': 0.8 }, f.svg);
      }
      for (const p of g.points) {
        el('circle', {
          cx: f.sx(p.x), cy: f.sy(p.y), r: p.strong ? (g.r || 3) + 2.5 : g.r || 3,
          fill: g.color, 'fill-opacity': g.opacity ?? 1, stroke: p.strong ? '#0f1b2d' : 'none', 'stroke-width': 1.5,
        }, f.svg);
        if (p.label) text(f.svg, f.sx(p.x) + 8, f.sy(p.y) - 6, p.label, { class: 'lbl' });
      }
    }
  }

  /// Horizontal bars: rows [{name, value, color, note}], values as shares of their sum.
  function bars(node, o) {
    node.textContent = '';
    const rows = o.rows;
    const W = 520, rowH = 17, H = rows.length * rowH + 26;
    const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img' }, node);
    const total = rows.reduce((s, r) => s + r.value, 0) || 1;
    const max = Math.max(...rows.map((r) => r.value)) || 1;
    const l = 96, r = 120;
    rows.forEach((row, i) => {
      const y = 4 + i * rowH;
      text(svg, l - 8, y + 11, row.name, { 'text-anchor': 'end', class: 'lbl' });
      const w = Math.max(1, (row.value / max) * (W - l - r));
      el('rect', { x: l, y: y + 2, width: w, height: rowH - 5, rx: 2, fill: row.color }, svg);
      text(svg, l + w + 6, y + 11, `${(100 * row.value / total).toFixed(1)} %  ${o.fmt(row.value)}`);
    });
    const ly = H - 8;
    let lx = l;
    for (const [name, color] of o.legend || []) {
      el('rect', { x: lx, y: ly - 8, width: 9, height: 9, rx: 2, fill: color }, svg);
      text(svg, lx + 13, ly, name);
      lx += 13 + name.length * 6.5 + 16;
    }
  }

  /// Ticks at 1, 2 and 5 × 10^k inside [lo, hi], for an axis holding log10 values.
  function logTicks(lo, hi) {
    const out = [];
    for (let k = Math.floor(lo) - 1; k <= Math.ceil(hi); ++k)
      for (const m of [1, 2, 5]) {
        const t = k + Math.log10(m);
        if (t >= lo && t <= hi) out.push(t);
      }
    return out;
  }

  return { line, scatter, bars, logTicks };
})();
