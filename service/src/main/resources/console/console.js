// The live console (docs/console.md). No build step: plain JavaScript and ECharts from its WebJar.
// Every figure comes from the pipeline's query API, through the event stream or a direct query.
'use strict';

const TOKEN_KEY = 'brandequity.token';
const state = { lastId: null, controller: null, customRange: false, charts: {}, streaming: false, serverState: null, drawn: new Set(),
  drivers: null, driversSegment: '', driversEmpty: null };
// For the browser tests and the bench: the ids of the last 10,000 updates received, in order; the page's
// own errors; listeners called with (event, data, Date.now()) after each update is rendered; a way to drop
// the stream.
const KEPT_UPDATE_IDS = 10000;
window.__console = { updates: [], errors: [], listeners: [], disconnect: () => state.controller && state.controller.abort() };

const $ = (id) => document.getElementById(id);
const fmt = {
  // As the demo's status line: a sign and one decimal for the index, one decimal for the stock.
  index: (v) => v == null ? '–' : (v >= 0 ? '+' : '') + fx(v, 1),
  stock: (v) => v == null ? '–' : fx(v, 1),
  count: (v) => v == null ? '–' : Number(v).toLocaleString('en-US'),
  time: (iso) => iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 19) + 'Z' : '–',
  pts: (v, d = 2) => v == null ? '–' : (v >= 0 ? '+' : '') + v.toFixed(d),
};

function token() { return sessionStorage.getItem(TOKEN_KEY); }
function headers(extra) {
  const h = Object.assign({}, extra || {});
  if (token()) h.Authorization = 'Bearer ' + token();
  return h;
}

function showSignIn(message) {
  $('console').hidden = true;
  $('signin').hidden = false;
  setStatus('sign in needed', 'down');
  if (message) { $('signin-error').textContent = message; $('signin-error').hidden = false; }
  $('token').focus();
}

function setStatus(text, kind) {
  const s = $('status');
  s.textContent = text;
  s.className = kind;
}

async function api(path) {
  const r = await fetch(path, { headers: headers() });
  if (r.status === 401 || r.status === 403) { showSignIn(r.status === 403 ? 'That token is not accepted.' : null); throw new Error('auth'); }
  const body = await r.json();
  if (!r.ok) throw Object.assign(new Error(body.error || ('HTTP ' + r.status)), { status: r.status });
  return body;
}

// Server-sent events over fetch, so that the stream carries the Authorization header (EventSource cannot).
async function stream() {
  state.streaming = true;
  state.controller = new AbortController();
  const h = headers({ Accept: 'text/event-stream' });
  if (state.lastId != null) h['Last-Event-ID'] = String(state.lastId);
  try {
    const r = await fetch('/console/events', { headers: h, signal: state.controller.signal });
    if (r.status === 401 || r.status === 403) {
      state.streaming = false;
      showSignIn(r.status === 403 ? 'That token is not accepted.' : null);
      return;
    }
    $('signin').hidden = true;
    $('console').hidden = false;
    // A resumed stream does not repeat the last status: show the one known.
    if (state.serverState) RENDER.status({ state: state.serverState });
    const reader = r.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let cut;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        dispatch(buffer.slice(0, cut));
        buffer = buffer.slice(cut + 2);
      }
    }
  } catch (e) {
    if (e.name !== 'AbortError') window.__console.errors.push(String(e));
  }
  setStatus('reconnecting…', 'stale');
  setTimeout(stream, 1000);
}

function dispatch(frame) {
  let id = null, event = 'message', data = '';
  for (const line of frame.split('\n')) {
    if (line.startsWith(':')) continue;
    const i = line.indexOf(':');
    const field = i < 0 ? line : line.slice(0, i);
    const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
    if (field === 'id') id = value; else if (field === 'event') event = value; else if (field === 'data') data += (data ? '\n' : '') + value;
  }
  if (!data) return;
  if (id != null) {
    state.lastId = Number(id);
    const ids = window.__console.updates;
    ids.push(Number(id));
    if (ids.length > KEPT_UPDATE_IDS) ids.splice(0, ids.length - KEPT_UPDATE_IDS);
  }
  const render = RENDER[event];
  // One panel's failure must not stop the stream or the other panels; the browser tests read these.
  try {
    const parsed = JSON.parse(data);
    if (render) render(parsed);
    // A User Timing mark when a panel is first drawn (DevTools shows them; the bench reads them).
    if (render && !state.drawn.has(event)) { state.drawn.add(event); performance.mark('console:' + event); }
    for (const listener of window.__console.listeners) listener(event, parsed, Date.now());
  } catch (e) {
    window.__console.errors.push(event + ': ' + String(e));
    console.error(event, e);
  }
}

const RENDER = {
  status(s) {
    state.serverState = s.state;
    if (s.state === 'RUNNING') setStatus('live', 'live');
    else if (s.state === 'REBALANCING') setStatus('rebalancing: the figures below may be stale', 'stale');
    else setStatus(s.state.toLowerCase().replace(/_/g, ' '), 'down');
  },
  equity(e) {
    $('empty').hidden = e.events > 0;
    $('equity-index').textContent = fmt.index(e.index);
    $('equity-stock').textContent = fmt.stock(e.stock);
    $('equity-events').textContent = fmt.count(e.events);
    $('equity-asof').textContent = fmt.time(e.asOf);
    flash(['equity-index', 'equity-stock', 'equity-events']);
    promiseGap(e.touchpoints || []);
    heatMap(e.segmentTouchpoints || []);
  },
  history(h) {
    if ((h.points || []).length < 2 && !state.customRange) {
      explainEmpty('"Why it moved" appears once the history has two points (one every ' + h.interval + ' of event time).');
    }
    $('history-note').textContent = 'One point every ' + h.interval + ' of event time, as known now (solid) and as first published '
      + '(dashed: before late events revised it). Experience fades with a half-life of ' + h.halfLife + '.';
    const pts = h.points || [];
    chart('history-chart').setOption({
      aria: { enabled: true, decal: { show: true } }, animation: false,
      tooltip: { trigger: 'axis' }, legend: { top: 0 },
      grid: { left: 48, right: 16, top: 28, bottom: 28 },
      xAxis: { type: 'time', name: 'event time' },
      yAxis: { type: 'value', name: 'index (points)', scale: true },
      series: [
        { name: 'as known now', type: 'line', showSymbol: false, data: pts.map((p) => [p.boundary, round(p.index)]) },
        { name: 'as first published', type: 'line', showSymbol: false, lineStyle: { type: 'dashed' },
          data: pts.map((p) => [p.boundary, round(p.firstPublishedIndex)]) },
      ],
    }, true);
  },
  change(c) { if (!state.customRange) waterfall(c); },
  segments(list) {
    segmentChoices(list.map((s) => s.segment));
    const body = $('segments-table').tBodies[0];
    body.innerHTML = '';
    for (const s of list) {
      const tr = body.insertRow();
      cell(tr, s.segment);
      cell(tr, fmt.time(s.windowStart));
      cell(tr, s.nps == null ? 'no answers' : fmt.pts(s.nps, 1) + ' ± ' + fx(s.npsMarginOfError, 1), true);
      cell(tr, fmt.count(s.npsResponses), true);
      cell(tr, s.csat == null ? 'no answers' : fx(s.csat, 1) + ' [' + fx(s.csatLower, 1) + ', ' + fx(s.csatUpper, 1) + ']', true);
      cell(tr, fmt.count(s.csatResponses), true);
      cell(tr, s.ces == null ? 'no answers' : fx(s.ces, 2) + ' [' + fx(s.cesLower, 2) + ', ' + fx(s.cesUpper, 2) + ']', true);
      cell(tr, fmt.count(s.cesResponses), true);
    }
  },
  // The brand's key drivers; a segment's are asked for by the page at each of the brand's updates (both are folded together).
  drivers(d) {
    state.drivers = d;
    if (state.driversSegment === '') keyDrivers(d); else segmentDrivers(state.driversSegment);
  },
  atRisk(list) {
    const body = $('atrisk-table').tBodies[0];
    const before = new Set([...body.rows].map((r) => r.dataset.customer));
    const now = new Set(list.map((a) => a.customerId));
    for (const r of [...body.rows]) if (!now.has(r.dataset.customer)) { r.classList.add('resolved'); setTimeout(() => r.remove(), 5000); }
    for (const r of [...body.rows]) if (now.has(r.dataset.customer)) r.remove();
    list.forEach((a, i) => {
      const tr = body.insertRow(i);
      tr.dataset.customer = a.customerId;
      if (!before.has(a.customerId)) tr.classList.add('fresh');
      cell(tr, a.customerId);
      cell(tr, a.segment);
      cell(tr, fx(a.valueWeight, 2), true);
      cell(tr, fmt.index(a.index), true);
      cell(tr, fx(a.priority, 1), true);
      const ev = a.alert && a.alert.event;
      cell(tr, (a.alert ? a.alert.trigger : '') + (ev ? ' — ' + ev.touchpoint + ' at ' + fmt.time(ev.eventTime) : ''));
      cell(tr, a.alert ? fmt.time(a.alert.at) : '–');
      cell(tr, ((a.alert && a.alert.recent) || []).map((r) => r.touchpoint + ' ' + fmt.pts(r.signal)).join(', '));
    });
  },
};

// Every number on the page goes through here: null (no answers, no data) shows as a dash, never as an error.
function fx(v, d) { return v == null || Number.isNaN(v) ? '–' : Number(v).toFixed(d); }
function round(v) { return v == null ? null : Math.round(v * 100) / 100; }
function cell(tr, text, num) { const td = tr.insertCell(); td.textContent = text; if (num) td.className = 'num'; return td; }
function flash(ids) { for (const id of ids) { const el = $(id); el.classList.remove('fresh'); void el.offsetWidth; el.classList.add('fresh'); } }
function chart(id) { return state.charts[id] || (state.charts[id] = echarts.init($(id))); }

function promiseGap(touchpoints) {
  const tps = touchpoints.filter((t) => t.volume > 0).sort((a, b) => b.promiseGap - a.promiseGap);
  chart('gap-chart').setOption({
    aria: { enabled: true, decal: { show: true } }, animation: false, tooltip: {},
    grid: { left: 130, right: 40, top: 8, bottom: 24 },
    xAxis: { type: 'value', name: 'gap' }, yAxis: { type: 'category', inverse: true, data: tps.map((t) => t.touchpoint) },
    series: [{ type: 'bar', data: tps.map((t) => ({ value: round(t.promiseGap),
      itemStyle: { color: t.promiseGap > 0 ? '#b35806' : '#2166ac' } })), label: { show: true, position: 'right' } }],
  }, true);
}

function heatMap(pairs) {
  const segments = [...new Set(pairs.map((p) => p.segment))].sort();
  const tps = [...new Set(pairs.map((p) => p.touchpoint))].sort();
  chart('heat-chart').setOption({
    animation: false,
    tooltip: { formatter: (p) => p.data[3] + ' × ' + p.data[4] + ': perceived ' + p.data[2] + ', gap ' + p.data[5] },
    grid: { left: 130, right: 16, top: 8, bottom: 60 },
    xAxis: { type: 'category', data: segments }, yAxis: { type: 'category', data: tps },
    // Blue to orange (not red–green), and every cell carries its number and a ▼ for a shortfall.
    // dimension 2: the perceived value (the items also carry the names and the gap, for the tooltip).
    visualMap: { dimension: 2, min: -1, max: 1, calculable: false, orient: 'horizontal', left: 'center', bottom: 0,
      inRange: { color: ['#b35806', '#f7f7f7', '#2166ac'] }, text: ['1', '−1'] },
    series: [{ type: 'heatmap', label: { show: true, formatter: (p) => fx(p.data[2], 2) + (p.data[5] > 0.2 ? ' ▼' : '') },
      data: pairs.map((p) => [segments.indexOf(p.segment), tps.indexOf(p.touchpoint), round(p.perceived), p.segment, p.touchpoint,
        round(p.promiseGap)]) }],
  }, true);
}

// The change account as a waterfall: the index at `from`, then each group's new experience, decay and
// restatement as steps (each kind its own colour and pattern), then the index at `to`.
function waterfall(c) {
  $('change-note').textContent = 'Index ' + fmt.index(c.atFrom.index) + ' at ' + fmt.time(c.from) + ' (as first published) → '
    + fmt.index(c.atTo.index) + ' at ' + fmt.time(c.to) + ' (as known now): ' + fmt.pts(c.change.index) + ' points, '
    + c.groupCount + ' cells; the top ' + Math.min(c.groups.length, c.groupCount) + ' shown, the rest as "other". '
    + 'New experience: events in the range; decay: what a cell held, fading; restatement: late answers for before the range.';
  const cats = ['at from'], base = [null], parts = { 'new experience': [null], decay: [null], restatement: [null] }, ends = [round(c.atFrom.index)];
  let running = c.atFrom.index;
  for (const g of c.groups) {
    for (const [name, key] of [['new experience', 'newExperience'], ['decay', 'decay'], ['restatement', 'restatement']]) {
      const v = g[key].index;
      if (Math.abs(v) < 0.005) continue;
      cats.push(g.key + ' · ' + name);
      base.push(round(Math.min(running, running + v)));
      for (const k of Object.keys(parts)) parts[k].push(k === name ? round(Math.abs(v)) : null);
      ends.push(null);
      running += v;
    }
  }
  cats.push('at to'); base.push(null); for (const k of Object.keys(parts)) parts[k].push(null); ends.push(round(c.atTo.index));
  chart('change-chart').setOption({
    aria: { enabled: true, decal: { show: true } }, animation: false, tooltip: { trigger: 'axis' },
    legend: { top: 0, data: ['new experience', 'decay', 'restatement', 'index'] },
    grid: { left: 48, right: 16, top: 28, bottom: 120 },
    xAxis: { type: 'category', data: cats, axisLabel: { rotate: 40, fontSize: 10 } },
    yAxis: { type: 'value', name: 'index (points)', scale: true },
    series: [
      { name: 'base', type: 'bar', stack: 'w', silent: true, itemStyle: { color: 'transparent', decal: { symbol: 'none' } }, data: base },
      { name: 'new experience', type: 'bar', stack: 'w', data: parts['new experience'], itemStyle: { color: '#2166ac' } },
      { name: 'decay', type: 'bar', stack: 'w', data: parts.decay, itemStyle: { color: '#b35806' } },
      { name: 'restatement', type: 'bar', stack: 'w', data: parts.restatement, itemStyle: { color: '#7b3294' } },
      { name: 'index', type: 'bar', stack: 'w', data: ends, itemStyle: { color: '#57606a' }, label: { show: true, position: 'top' } },
    ],
  }, true);
}

function round3(v) { return v == null ? null : Math.round(v * 1000) / 1000; }

// A segment seen in /segments can be picked for the key drivers; the options stay once added.
function segmentChoices(names) {
  const select = $('drivers-segment');
  const have = new Set([...select.options].map((o) => o.value));
  for (const n of names) if (!have.has(n)) select.add(new Option('segment ' + n, n));
}

function driversState(text) {
  $('drivers-state').textContent = text || '';
  $('drivers-state').hidden = !text;
}

function clearDrivers() {
  chart('drivers-chart').clear();
  $('drivers-table').tBodies[0].innerHTML = '';
}

async function segmentDrivers(segment) {
  try {
    const d = await api('/drivers?segment=' + encodeURIComponent(segment));
    if (state.driversSegment === segment) keyDrivers(d);
  } catch (e) {
    if (e.message === 'auth' || state.driversSegment !== segment) return;
    clearDrivers();
    driversState(e.status === 404 ? 'No key drivers for segment ' + segment + ' yet (' + e.message + '): wait one interval after its first recommend answers.'
      : e.message);
  }
}

function pickDrivers() {
  state.driversSegment = $('drivers-segment').value;
  if (state.driversSegment !== '') { segmentDrivers(state.driversSegment); return; }
  if (state.drivers) { keyDrivers(state.drivers); return; }
  clearDrivers();
  driversState(state.driversEmpty);
}

// The key drivers (GET /drivers, docs/model.md §9): each driver in the analysis as a bar of its relative weight
// (R² units, the bars sum to R²) with its 95 % bootstrap interval as an error bar, and its configured weight scaled
// to the same total as a diamond (c_j × R² / Σ c over the drivers in: the suggested weights' normalization, turned
// round). An insignificant driver's bar is hatched and labelled "n.s.". Below, every driver's figures.
function keyDrivers(d) {
  const scope = d.segment == null ? 'the whole brand' : 'segment ' + d.segment;
  const body = $('drivers-table').tBodies[0];
  body.innerHTML = '';
  for (const x of d.drivers) {
    const tr = body.insertRow();
    cell(tr, x.touchpoint);
    cell(tr, x.status === 'IN' ? (x.significant ? 'in' : 'in, n.s.') : x.status.toLowerCase().replace(/_/g, ' '));
    cell(tr, fmt.count(x.n), true);
    cell(tr, x.relativeWeight == null || x.status !== 'IN' ? '–' : fx(x.relativeWeight, 3) + ' [' + fx(x.lower, 3) + ', ' + fx(x.upper, 3) + ']', true);
    cell(tr, x.pValue == null ? '–' : x.pValue < 0.001 ? '< 0.001' : fx(x.pValue, 3), true);
    cell(tr, fx(x.configuredWeight, 2), true);
    cell(tr, fx(x.suggestedWeight, 2), true);
  }
  if (d.status !== 'OK') {
    chart('drivers-chart').clear();
    driversState('Not enough data for ' + scope + ' as of ' + fmt.time(d.asOf) + ': ' + fmt.count(d.n) + ' answers, and fewer than two '
      + 'driver touchpoints have the minimum of ' + fmt.count(d.minObservations) + ' (drivers.min.observations) alone and with each other.');
    return;
  }
  driversState(null);
  const ins = d.drivers.filter((x) => x.status === 'IN');
  const total = ins.reduce((a, x) => a + x.configuredWeight, 0);
  const widest = ins.reduce((a, x) => Math.max(a, x.upper || 0, x.relativeWeight || 0), 0);
  const inside = (x) => x.relativeWeight >= 0.3 * widest;
  const weightLabel = (x) => fx(x.relativeWeight, 3) + (x.significant ? '' : ' n.s.');
  const hatch = { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [3, 5], rotation: -Math.PI / 4, color: 'rgba(255, 255, 255, 0.7)' };
  chart('drivers-chart').setOption({
    aria: { enabled: true }, animation: false, tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    title: { text: scope + ': R² ' + fx(d.rSquared, 3) + ', n ' + fmt.count(d.n) + ' (effective ' + fx(d.effectiveN, 1) + '), as of ' + fmt.time(d.asOf),
      left: 'center', top: 0, textStyle: { fontSize: 12, fontWeight: 'normal' } },
    legend: { top: 20, data: ['relative weight', '95 % interval', 'configured weight (scaled to R²)'] },
    grid: { left: 140, right: 60, top: 48, bottom: 44 },
    xAxis: { type: 'value', name: 'share of variance (R² units)', nameLocation: 'middle', nameGap: 26, min: 0 },
    yAxis: { type: 'category', inverse: true, name: 'touchpoint', data: ins.map((x) => x.touchpoint) },
    series: [
      { name: 'relative weight', type: 'bar', barWidth: '55%', itemStyle: { color: '#2166ac' },
        data: ins.map((x) => ({ value: round3(x.relativeWeight), itemStyle: { decal: x.significant ? { symbol: 'none' } : hatch },
          // A bar too short to hold its label gets it after its interval instead (the error bars' series
          // draws it): inside such a bar, the label ran over the touchpoint names.
          label: { show: inside(x), position: 'insideRight', color: '#fff', formatter: weightLabel(x) } })) },
      // Hand-drawn error bars: ECharts has no error-bar series, a custom series with renderItem is its way.
      { name: '95 % interval', type: 'custom', itemStyle: { color: '#1b1f24' }, encode: { x: [0, 1], y: 2 },
        renderItem: (params, a) => {
          if (Number.isNaN(a.value(0)) || Number.isNaN(a.value(1))) return null;
          const lo = a.coord([a.value(0), a.value(2)]), hi = a.coord([a.value(1), a.value(2)]), h = a.size([0, 1])[1] * 0.2;
          const style = a.style({ stroke: '#1b1f24', lineWidth: 1.5, fill: null });
          return { type: 'group', children: [
            { type: 'line', shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style },
            { type: 'line', shape: { x1: lo[0], y1: lo[1] - h, x2: lo[0], y2: lo[1] + h }, style },
            { type: 'line', shape: { x1: hi[0], y1: hi[1] - h, x2: hi[0], y2: hi[1] + h }, style },
          ].concat(inside(ins[params.dataIndex]) ? [] : [{ type: 'text', style: { text: weightLabel(ins[params.dataIndex]),
            x: hi[0] + 6, y: hi[1], textVerticalAlign: 'middle', fill: '#1b1f24', font: '11px sans-serif' } }]) };
        },
        data: ins.map((x, i) => [round3(x.lower), round3(x.upper), i]) },
      { name: 'configured weight (scaled to R²)', type: 'scatter', symbol: 'diamond', symbolSize: 12, itemStyle: { color: '#b35806' },
        data: ins.map((x, i) => [round3(total > 0 ? x.configuredWeight * d.rSquared / total : null), i]) },
    ],
  }, true);
}

function localInput(d) { return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16); }

// The change account needs two history points: until the second one, say so instead of an empty chart.
function explainEmpty(message) { $('change-note').textContent = message; }

async function explainRange(ev) {
  ev.preventDefault();
  const from = new Date($('change-from').value), to = new Date($('change-to').value);
  if (isNaN(from) || isNaN(to)) return;
  state.customRange = true;
  try {
    waterfall(await api('/equity/change?clamp=true&by=cell&top=8&from=' + from.toISOString() + '&to=' + to.toISOString()));
  } catch (e) {
    if (e.message !== 'auth') $('change-note').textContent = e.message;
  }
}

function start() {
  $('signin-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('token').value);
    $('signin-error').hidden = true;
    // A running stream reconnects with the new token when aborted; a refused one is started again.
    if (state.streaming) state.controller.abort(); else stream();
  });
  $('change-form').addEventListener('submit', explainRange);
  $('change-live').addEventListener('click', () => { state.customRange = false; });
  state.driversEmpty = $('drivers-state').textContent.replace(/\s+/g, ' ').trim();
  $('drivers-segment').addEventListener('change', pickDrivers);
  const now = new Date();
  $('change-to').value = localInput(now);
  $('change-from').value = localInput(new Date(now.getTime() - 3600000));
  window.addEventListener('resize', () => Object.values(state.charts).forEach((c) => c.resize()));
  stream();
}

start();
