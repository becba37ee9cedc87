// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// The tracerhub dashboard: backfills from /api/v1/history, then follows /api/v1/stream
// (server-sent events read with fetch, so that a token can go in the Authorization header).
// Names, columns and units come from /api/v1/metrics, the table every sink labels from, so
// the page says what `tracerhub top` says.
'use strict';

const MAX_SNAPS = 3600;
const ROWS = 100;
const MAX_SERIES = 5;	// lines per chart: more cannot be told apart
// distinct at a glance (and for the common kinds of colour blindness)
const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c'];
const AXIS_FONT = '12px system-ui, sans-serif';
const SECTIONS = ['overview', 'processes', 'disks', 'network', 'journey', 'cost'];

const st = {
	snaps: [],	// oldest first, each with t (end, s) and dt (length, s)
	metrics: [],	// /api/v1/metrics: name, header, unit, kind, help (column order)
	// Which section shows which metrics, a chart per group (at most MAX_SERIES each), and where
	// a tracer's histograms go: as each tracer declares them (/api/v1/metrics "charts" and
	// "hist_sections"). Metrics no chart names go to an "Other" chart of the overview.
	groups: [],	// [section, title, [metric names]]
	histSection: {},	// tracer -> section
	byName: {},
	paused: false,
	range: 300,	// seconds shown, 0 = all kept
	sort: null,	// process table column
	sortDesc: true,
	detail: null,	// { pid, host } of the process detail shown
	hosts: [],	// a fleet's hosts (serve --replay clickhouse://...), sorted; [] otherwise
	host: '',	// the host shown ('' = every host)
	live: 0,	// snapshots received over the stream
	token: null,
	charts: {},	// id -> { plot, key }
	heat: {},	// heatmap id -> { rows, max, full (y range), zoomed }
	pending: false,
};

/* ---------- data ---------- */

function headers() {
	return st.token ? { Authorization: 'Bearer ' + st.token } : {};
}

function add(s) {
	s.t = s.ts_ns / 1e9;
	s.dt = s.interval_ns / 1e9 || 1;
	const last = st.snaps[st.snaps.length - 1];
	if (last && s.t <= last.t)
		return false;	// already have it (history and stream overlap)
	(s.hosts || []).forEach(h => { if (!st.hosts.includes(h)) st.hosts.push(h); });
	st.snaps.push(s);
	if (st.snaps.length > MAX_SNAPS)
		st.snaps.splice(0, st.snaps.length - MAX_SNAPS);
	return true;
}

// The host picker, shown for a fleet.
function hostPick() {
	const sel = document.getElementById('host');
	document.getElementById('host-pick').hidden = !st.hosts.length;
	sel.replaceChildren(el('option', `all ${st.hosts.length} hosts`),
		...st.hosts.map(h => el('option', h)));
	sel.options[0].value = '';
	sel.value = st.host;
}

// Snapshot s as one host of the fleet sees it: its processes and events, their totals.
// Histograms, tables and tracer health stay the fleet's.
function view(s) {
	if (!st.host)
		return s;
	if (s.view && s.view.host === st.host)
		return s.view;
	const procs = s.procs.filter(p => p.host === st.host);
	const totals = {};	// null (no line) for a metric the host does not report
	Object.keys(s.totals).forEach(k => {
		totals[k] = procs.some(p => k in p) ? procs.reduce((a, p) => a + (p[k] || 0), 0) : null;
	});
	s.view = Object.assign({}, s, { procs, totals, events: s.events.filter(e => e.host === st.host),
		host: st.host });
	return s.view;
}

function inRange() {
	if (!st.range || !st.snaps.length)
		return st.snaps;
	const end = st.snaps[st.snaps.length - 1].t;
	return st.snaps.filter(s => s.t > end - st.range);
}

async function getJSON(path) {
	const r = await fetch(path, { headers: headers() });
	if (!r.ok)
		throw new Error(path.split('?')[0] + ': HTTP ' + r.status);
	return r.json();
}

async function backfill() {
	const m = await getJSON('api/v1/metrics');
	st.metrics = m.metrics;
	m.metrics.forEach(x => { st.byName[x.name] = x; });
	st.groups = m.charts.map(c => [c.section, c.title, c.metrics]);
	st.histSection = m.hist_sections;
	let j = await getJSON('api/v1/history?top=' + ROWS);
	// a fleet: every row, so that a host's totals add up exactly
	if (j.snapshots.some(s => s.hosts))
		j = await getJSON('api/v1/history?top=0');
	j.snapshots.forEach(add);
	st.hosts.sort();
	hostPick();
	schedule();
}

async function follow() {
	for (;;) {
		try {
			const top = st.hosts.length ? 0 : ROWS;
			const r = await fetch('api/v1/stream?top=' + top, { headers: headers() });
			if (!r.ok)
				throw new Error('stream: HTTP ' + r.status);
			const reader = r.body.getReader();
			const dec = new TextDecoder();
			let buf = '';
			for (;;) {
				const { value, done } = await reader.read();
				if (done)
					break;
				buf += dec.decode(value, { stream: true });
				let cut;
				while ((cut = buf.indexOf('\n\n')) >= 0) {
					onEvent(buf.slice(0, cut));
					buf = buf.slice(cut + 2);
				}
			}
			setStatus('stream ended (tracerhub stopped?); retrying', 'error');
		} catch (e) {
			setStatus(String(e.message || e) + '; retrying', 'error');
		}
		await new Promise(res => setTimeout(res, 2000));
	}
}

function onEvent(block) {
	const data = block.split('\n').filter(l => l.startsWith('data: ')).map(l => l.slice(6)).join('\n');
	if (!data)
		return;	// keep-alive
	// the first one is the newest snapshot, often already backfilled: live all the same
	st.live++;
	document.body.dataset.live = String(st.live);
	if (add(JSON.parse(data)))
		schedule();
}

function setStatus(text, cls) {
	const e = document.getElementById('status');
	e.textContent = text;
	e.className = 'status ' + (cls || '');
}

/* ---------- units: as the TUI shows them (out/format.c) ---------- */

function si(v, base, units) {
	let i = 0;
	while (Math.abs(v) >= base && i < units.length - 1) {
		v /= base;
		i++;
	}
	if (i === 0 && v > 0 && v < 0.05)
		return '<0.1' + units[0];	// something, less than shown: never "0"
	if (i === 0 && v < 9.95 && v !== 0)
		return v.toFixed(1) + units[0];
	return (Math.abs(v) >= 100 || i === 0 ? v.toFixed(0) : v.toFixed(1)) + units[i];
}

function fmtNs(ns) {
	if (ns < 1e3) return ns.toFixed(0) + 'ns';
	if (ns < 1e6) return (ns / 1e3).toFixed(ns < 1e4 ? 1 : 0) + 'us';
	if (ns < 1e9) return (ns / 1e6).toFixed(ns < 1e7 ? 1 : 0) + 'ms';
	return (ns / 1e9).toFixed(2) + 's';
}

// Value v of metric m over dt seconds: counters per second, CPU time as % of one CPU, gauges as is.
function fmtMetric(m, v, dt) {
	if (v == null || isNaN(v))
		return '';
	if (m.kind === 'gauge')
		return m.unit === 'ns' ? fmtNs(v) : String(v);
	if (m.unit === 'ns')
		return (100 * v / 1e9 / dt).toFixed(1);
	return fmtRate(m, v / dt);
}

// A rate (per second) of metric m: KiB/MiB for bytes, K/M for counts; CPU ns/s as %.
function fmtRate(m, r) {
	if (m.unit === 'bytes')
		return si(r, 1024, ['B', 'KiB', 'MiB', 'GiB']);
	if (m.unit === 'ns')
		return m.kind === 'gauge' ? fmtNs(r) : (100 * r / 1e9).toFixed(1) + '%';
	return si(r, 1000, ['', 'K', 'M', 'G']);
}

// A total (not a rate) of metric m, exact.
function fmtTotal(m, v) {
	if (m.kind === 'gauge')
		return '-';
	if (m.unit === 'ns')
		return fmtNs(v);
	return String(v) + (m.unit === 'bytes' ? ' B' : '');
}

const NS_PER = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 };

function fmtUnit(v, unit) {
	if (unit in NS_PER)
		return fmtNs(v * NS_PER[unit]);
	if (unit === 'B')
		return si(v, 1024, ['B', 'KiB', 'MiB', 'GiB']);
	return si(v, 1000, ['', 'K', 'M', 'G']);
}

const pad2 = n => String(n).padStart(2, '0');

// ISO 8601 in local time: "2026-11-23 10:00:05" (or the time only).
function isoTime(sec, withDate) {
	const d = new Date(sec * 1000);
	const t = `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
	return withDate ? `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${t}` : t;
}

/* ---------- DOM helpers (text only: comm and keys come from the traced system) ---------- */

function el(tag, text, cls) {
	const e = document.createElement(tag);
	if (text != null)
		e.textContent = text;
	if (cls)
		e.className = cls;
	return e;
}

// cols: { label, text, sorted, key, title }; rows: arrays of cells; onSort(key), onRow(i).
function fillTable(table, cols, rows, onSort, onRow) {
	const thead = table.tHead, tbody = table.tBodies[0];
	const tr = el('tr');
	cols.forEach(c => {
		const th = el('th', c.label + (c.sorted ? (st.sortDesc ? ' ▼' : ' ▲') : ''),
			(c.text ? 'text ' : '') + (c.sorted ? 'sorted' : ''));
		if (c.title)
			th.title = c.title;
		if (onSort)
			th.onclick = () => onSort(c.key);
		tr.appendChild(th);
	});
	thead.replaceChildren(tr);
	tbody.replaceChildren(...rows.map((r, k) => {
		const row = el('tr');
		r.forEach((v, i) => row.appendChild(el('td', v, cols[i].text ? 'text' : '')));
		if (onRow)
			row.onclick = () => onRow(k);
		return row;
	}));
}

/* ---------- uPlot charts ---------- */

const measureCtx = document.createElement('canvas').getContext('2d');

function textWidth(s) {
	measureCtx.font = AXIS_FONT;
	return measureCtx.measureText(s).width;
}

// A y axis as wide as its widest label (uPlot sizes in CSS pixels), so that none is cut.
function yAxis(fmt) {
	return {
		font: AXIS_FONT,
		values: (u, v) => v.map(fmt),
		size: (u, values) => Math.ceil(Math.max(40, ...(values || []).map(textWidth))) + 18,
	};
}

// HH:MM:SS labels need about 60 px: space them so that none overlaps
const xAxis = { font: AXIS_FONT, space: 90, values: (u, v) => v.map(x => isoTime(x, false)) };

function chartWidth(id) {
	const box = document.getElementById(id).closest('section');
	const w = (box && box.clientWidth) || document.querySelector('main').clientWidth;
	return Math.max(300, Math.min(640, w >= 700 ? w / 2 - 16 : w - 8));
}

// (Re)create chart id when the series set (key) changes, then set its data (keeping the
// scales when keep is set, e.g. while the user is zoomed in).
function plot(id, key, makeOpts, data, keep) {
	let c = st.charts[id];
	if (!c || c.key !== key) {
		if (c)
			c.plot.destroy();
		c = st.charts[id] = { key, plot: new uPlot(makeOpts(), data, document.getElementById(id)) };
	} else {
		c.plot.setData(data, !keep);
	}
	return c.plot;
}

// The chart div id inside box (made once).
function slot(box, id, cls) {
	let d = document.getElementById(id);
	if (!d) {
		d = el('div', null, cls || 'chart');
		d.id = id;
		document.getElementById(box).appendChild(d);
	}
	return d;
}

// A line chart of series names (labels: the TUI's headers) over snaps.
function lineChart(id, title, names, labels, snaps, value, fmt) {
	const data = [snaps.map(s => s.t)];
	names.forEach(n => data.push(snaps.map(s => value(s, n))));
	plot(id, names.join(','), () => ({
		title, width: chartWidth(id), height: 220,
		scales: { x: { time: true } },
		axes: [xAxis, yAxis(fmt)],
		legend: { live: true },
		series: [{ value: (u, v) => v == null ? '' : isoTime(v, true) }].concat(names.map((n, i) => ({
			label: labels[i], stroke: COLORS[i % COLORS.length], width: 1.5,
			value: (u, v) => v == null ? '' : fmt(v),
		}))),
	}), data);
	return snaps.length;
}

/* ---------- sections ---------- */

// The metric charts: one per group with a metric present, in the group's section.
function renderMetricCharts(snaps) {
	const last = snaps[snaps.length - 1];
	const present = new Set(Object.keys(last.totals));
	const grouped = new Set();
	const charts = st.groups.map(([sec, title, names]) => {
		names.forEach(n => grouped.add(n));
		return [sec, title, names.filter(n => present.has(n) && st.byName[n])];
	});
	// the rest: a chart per unit and kind, so that one axis fits all its lines
	const other = new Map();
	st.metrics.filter(m => present.has(m.name) && !grouped.has(m.name)).forEach(m => {
		const k = m.unit + '/' + m.kind;
		other.set(k, (other.get(k) || []).concat(m.name));
	});
	other.forEach(names => {
		for (let i = 0; i < names.length; i += MAX_SERIES)
			charts.push(['overview', 'Other', names.slice(i, i + MAX_SERIES)]);
	});
	const shown = new Set();
	let points = 0;
	charts.forEach(([sec, title, names], i) => {
		if (!names.length)
			return;
		const id = `chart-${sec}-${i}`;
		slot('charts-' + sec, id);
		shown.add(sec);
		const ms = names.map(n => st.byName[n]);
		const rate = (s, n) => s.totals[n] == null ? null :
			st.byName[n].kind === 'gauge' ? s.totals[n] : s.totals[n] / s.dt;
		const n = lineChart(id, title, names, ms.map(m => m.header), snaps, rate,
			v => fmtRate(ms[0], v));
		points = Math.max(points, n);
	});
	['disks', 'network'].forEach(sec => {
		document.getElementById('empty-' + sec).hidden = shown.has(sec) ||
			snaps.some(s => s.hists.some(h => st.histSection[h.tracer] === sec));
	});
	if (points >= 2)
		document.body.dataset.chartsReady = points + ' points';
}

// The columns of the process table: PID, COMM, then the metrics present in the TUI's order.
function procCols(last) {
	return st.metrics.filter(m => m.name in last.totals);
}

function renderProcs(last) {
	const ms = procCols(last);
	if (!st.sort || (st.sort !== 'pid' && st.sort !== 'comm' && !ms.some(m => m.name === st.sort)))
		st.sort = (ms.find(m => m.name === 'syscalls') || ms[0] || { name: 'pid' }).name;
	const rows = last.procs.slice();
	const k = st.sort, dir = st.sortDesc ? -1 : 1;
	rows.sort((a, b) => ((a[k] || 0) < (b[k] || 0) ? -1 : (a[k] || 0) > (b[k] || 0) ? 1 :
		a.pid - b.pid) * dir);
	const fleet = st.hosts.length > 0;
	const cols = (fleet ? [{ key: 'host', label: 'HOST', text: true }] : [])
		.concat([{ key: 'pid', label: 'PID' }, { key: 'comm', label: 'COMM', text: true }])
		.concat(ms.map(m => ({ key: m.name, label: m.header, title: m.help })));
	cols.forEach(c => { c.sorted = c.key === st.sort; });
	const shown = rows.slice(0, ROWS);
	fillTable(document.getElementById('procs'), cols, shown.map(r =>
		(fleet ? [r.host] : []).concat([String(r.pid), r.comm])
			// blank: a fleet's host that does not report the metric
			.concat(ms.map(m => m.name in r ? fmtMetric(m, r[m.name], last.dt) : ''))),
	key => {
		st.sortDesc = st.sort === key ? !st.sortDesc : !['comm', 'pid', 'host'].includes(key);
		st.sort = key;
		renderProcs(last);
	}, i => openDetail(shown[i].pid, shown[i].host));
}

// The hash of section sec with the host shown and args (e.g. 'detail=PID').
function hashOf(sec, ...args) {
	return [sec].concat(st.host ? ['host=' + encodeURIComponent(st.host)] : [], args).join('/');
}

function openDetail(pid, host) {
	location.hash = hashOf('processes', 'detail=' + pid + (host ? '@' + encodeURIComponent(host) : ''));
}

// Does histogram label lab carry pid=pid?
function labelHasPid(lab, pid) {
	return lab.split(',').some(kv => kv === 'pid=' + pid);
}

// The detail of one process over the range: per metric the last interval's rate and the exact
// total, its histograms and events: what the TUI's detail view shows.
function renderDetail(snaps) {
	const box = document.getElementById('detail');
	box.hidden = st.detail == null;
	if (st.detail == null)
		return;
	const { pid, host } = st.detail, last = snaps[snaps.length - 1];
	const mine = p => p.pid === pid && (p.host || '') === host;
	const rows = snaps.map(s => s.procs.find(mine)).filter(Boolean);
	const lastRow = last.procs.find(mine);
	const comm = rows.length ? rows[rows.length - 1].comm : '?';
	const head = el('h3', `Process ${pid} ${comm}${host ? ' on ' + host : ''} — ${rows.length} ` +
		`of ${snaps.length} intervals reported in the range ` +
		`(${lastRow ? 'reporting' : 'not reporting now'})`);
	const close = el('button', 'Close');
	close.onclick = () => { location.hash = hashOf('processes'); };
	const table = el('table');
	table.id = 'detail-metrics';
	table.append(el('thead'), el('tbody'));
	const ms = procCols(last);
	fillTable(table, [{ label: 'METRIC', text: true }, { label: 'LAST' }, { label: 'TOTAL' },
		{ label: 'WHAT', text: true }], ms.map(m => [m.header,
		lastRow && m.name in lastRow ? fmtMetric(m, lastRow[m.name], last.dt) : '-',
		!rows.some(r => m.name in r) ? '-' :	// a fleet's host that does not report it
			fmtTotal(m, m.kind === 'gauge' ? 0 : rows.reduce((a, r) => a + (r[m.name] || 0), 0)),
		m.help]));
	[...table.tBodies[0].rows].forEach((tr, i) => { tr.dataset.metric = ms[i].name; });
	const parts = [head, close, table];
	const hists = new Map();
	snaps.forEach(s => s.hists.forEach(h => {
		if (labelHasPid(h.label, pid))
			hists.set(`${h.tracer}/${h.name} ${h.label}`,
				(hists.get(`${h.tracer}/${h.name} ${h.label}`) || 0) + h.count);
	}));
	if (hists.size) {
		parts.push(el('h3', 'Histograms of this process'));
		hists.forEach((n, k) => parts.push(el('div', `${k}: ${n} values`)));
	}
	const evs = [];
	snaps.forEach(s => s.events.forEach(e => { if (mine(e)) evs.push(e); }));
	parts.push(el('h3', `Recent events of this process (${evs.length})`));
	evs.slice(-20).reverse().forEach(e => parts.push(el('div', eventText(e))));
	box.replaceChildren(...parts);
}

const EVENT_BASE = new Set(['ts_ns', 'tracer', 'pid', 'comm', 'host']);

function fieldText(k, v) {
	if (typeof v === 'number' && k.endsWith('_ns'))
		return v > 1e17 ? isoTime(v / 1e9, false) : fmtNs(v);
	if (typeof v === 'number' && k.endsWith('_bytes'))
		return si(v, 1024, ['B', 'KiB', 'MiB', 'GiB']);
	return String(v);
}

function eventText(e) {
	return `${isoTime(e.ts_ns / 1e9, true)} ${e.tracer} ` + Object.keys(e)
		.filter(k => !EVENT_BASE.has(k)).map(k => `${k}=${fieldText(k, e[k])}`).join(' ');
}

// Slot k of a [low, high, count] log2 bucket: high = 2^k - 1.
function slotOf(b) {
	return b[1] === 0 ? 0 : Math.round(Math.log2(b[1] + 1));
}

function heatColor(f) {
	// pale to dark blue, f in [0, 1]
	return `hsl(${210 + 30 * f}, 85%, ${92 - 62 * f}%)`;
}

// The colour scale under heatmap id: pale = 0, dark = max (log scale), in what it counts.
function heatScale(id, max, what) {
	const d = slot(id.replace(/-chart$/, ''), id + '-scale', 'scale');
	const cv = d.querySelector('canvas') || d.appendChild(el('canvas'));
	cv.width = 160;
	cv.height = 12;
	const ctx = cv.getContext('2d');
	for (let x = 0; x < cv.width; x++) {
		ctx.fillStyle = heatColor(x / (cv.width - 1));
		ctx.fillRect(x, 0, 1, cv.height);
	}
	let lo = d.querySelector('.lo'), hi = d.querySelector('.hi');
	if (!lo) {
		lo = el('span', '0', 'lo');
		hi = el('span', '', 'hi');
		d.prepend(lo);
		d.append(hi);
	}
	hi.textContent = `${max} ${what} per cell (log scale)`;
}

// A heatmap over time drawn in uPlot's draw hook: cells(snap) -> [[y0, y1, count], ...].
function heatmap(id, title, snaps, cells, yRange, yFmt, extra, what) {
	const h = st.heat[id] || (st.heat[id] = { zoomed: false });
	h.rows = snaps.map(s => ({ t: s.t, dt: s.dt, c: cells(s) }));
	h.max = 1;
	h.rows.forEach(r => r.c.forEach(c => { h.max = Math.max(h.max, c[2]); }));
	h.full = yRange;
	// an invisible series at the bottom gives uPlot a normal x range to work with
	const data = [snaps.map(s => s.t), snaps.map(() => yRange[0])];
	const base = {
		title, width: chartWidth(id), height: 220,
		scales: {
			x: { time: true },
			// the full range, or the user's zoom (setScale with a min and max)
			y: { range: (u, min, max) => st.heat[id].zoomed && min != null ?
				[min, max] : st.heat[id].full },
		},
		axes: [xAxis, yAxis(yFmt)],
		legend: { show: false },
		series: [{}, { label: 'cells', stroke: 'transparent', points: { show: false } }],
		hooks: { draw: [u => drawCells(u, st.heat[id])] },
	};
	plot(id, title, () => Object.assign(base, extra || {}), data, h.zoomed);
	heatScale(id, h.max, what || 'events');
}

function drawCells(u, h) {
	const ctx = u.ctx, rows = h.rows, max = h.max;
	ctx.save();
	ctx.beginPath();
	ctx.rect(u.bbox.left, u.bbox.top, u.bbox.width, u.bbox.height);
	ctx.clip();
	const lmax = Math.log1p(max);
	rows.forEach(r => {
		const x0 = u.valToPos(r.t - r.dt, 'x', true), x1 = u.valToPos(r.t, 'x', true);
		r.c.forEach(([y0, y1, n]) => {
			const p0 = u.valToPos(y0, 'y', true), p1 = u.valToPos(y1, 'y', true);
			ctx.fillStyle = heatColor(Math.log1p(n) / lmax);
			ctx.fillRect(x0, p1, Math.max(1, x1 - x0 + 0.5), Math.max(1, p0 - p1));
		});
	});
	ctx.restore();
}

// Histograms of a name (and tracer) with a time unit, one bucket list per snapshot: the
// overall one (label "") when there is one, else all labels merged.
function histCells(s, tracer, name) {
	const hs = s.hists.filter(h => h.tracer === tracer && h.name === name);
	const overall = hs.find(h => h.label === '');
	const use = overall ? [overall] : hs;
	const by = new Map();
	use.forEach(h => h.buckets.forEach(b => {
		const k = slotOf(b);
		by.set(k, (by.get(k) || 0) + b[2]);
	}));
	return [...by].map(([k, n]) => [k, k + 1, n]);
}

// "tcp_connect_latency" -> "TCP connect latency"; the tracer is named after it.
function histTitle(tracer, name) {
	const words = name.split('_').map(w => ({ tcp: 'TCP', udp: 'UDP', pkt: 'packet', runq: 'run-queue',
		bio: 'block IO', inflight: 'in flight' })[w] || w).join(' ');
	return words.charAt(0).toUpperCase() + words.slice(1) + ` (${tracer} tracer)`;
}

function renderHeatmaps(snaps) {
	const groups = new Map();
	snaps.forEach(s => s.hists.forEach(h => {
		if (h.unit in NS_PER && h.name !== 'pkt_stage_latency')
			groups.set(h.tracer + '/' + h.name, h);
	}));
	groups.forEach((h, key) => {
		const sec = st.histSection[h.tracer] || 'overview';
		const wrap = 'heat-' + key.replace(/[^a-z0-9]/gi, '_');
		slot('heat-' + sec, wrap, 'heatmap');
		const id = wrap + '-chart';
		slot(wrap, id);
		let lo = 64, hi = 0;
		const cells = s => histCells(s, h.tracer, h.name);
		snaps.forEach(s => cells(s).forEach(c => { lo = Math.min(lo, c[0]); hi = Math.max(hi, c[1]); }));
		if (lo >= hi)
			lo = 0, hi = 1;
		const scale = NS_PER[h.unit];
		heatmap(id, histTitle(h.tracer, h.name), snaps, cells, [lo, hi],
			v => Number.isInteger(v) ? fmtNs((2 ** v) * scale) : '');
	});
}

// p-th percentile (upper bound of its bucket) of merged buckets (sorted by low).
function percentile(buckets, total, p) {
	let seen = 0;
	const need = Math.max(1, Math.ceil(total * p / 100));
	for (const b of buckets) {
		seen += b[2];
		if (seen >= need)
			return b[1];
	}
	return buckets.length ? buckets[buckets.length - 1][1] : 0;
}

function renderJourney(snaps) {
	const stages = new Map();	// label -> Map(low -> [low, high, count])
	let unit = 'ns';
	snaps.forEach(s => s.hists.forEach(h => {
		if (h.name !== 'pkt_stage_latency')
			return;
		unit = h.unit;
		// "stage=FROM->TO,dev=DEV,proto=P": one box per stage pair, devices and protocols merged
		const pair = (/(?:^|,)stage=([^,]*)/.exec(h.label) || [null, h.label])[1];
		const m = stages.get(pair) || new Map();
		h.buckets.forEach(b => {
			const e = m.get(b[0]) || [b[0], b[1], 0];
			e[2] += b[2];
			m.set(b[0], e);
		});
		stages.set(pair, m);
	}));
	const drops = new Map();
	let dropTable = null;
	snaps.forEach(s => s.tables.forEach(t => {
		if (!/drop/.test(t.name))
			return;
		dropTable = t;
		const col = Object.keys(t.units)[0];
		t.rows.forEach(r => drops.set(r[t.key], (drops.get(r[t.key]) || 0) + r[col]));
	}));
	const addr = snaps.some(s => s.tables.some(isAddrTable));
	document.getElementById('empty-journey').hidden = !!(stages.size || drops.size || addr);
	document.getElementById('boxplot').hidden = !stages.size;
	// boxes in path order (transmit stages, then receive ones): the stage latency table's row
	// order, from the snapshot whose table has the most pairs; pairs it lacks go last
	let path = [];
	snaps.forEach(s => s.tables.forEach(t => {
		if (t.name === 'pkt_stage_latency' && t.rows.length >= path.length)
			path = t.rows.map(r => r[t.key]);
	}));
	const rank = p => (path.indexOf(p) + 1) || path.length + 1;
	if (stages.size)
		drawBoxes([...stages].sort((a, b) => rank(a[0]) - rank(b[0])).map(([label, m]) => {
			const b = [...m.values()].sort((x, y) => x[0] - y[0]);
			const total = b.reduce((a, x) => a + x[2], 0);
			return { label, min: b[0][0], max: b[b.length - 1][1], total,
				p10: percentile(b, total, 10), p50: percentile(b, total, 50),
				p90: percentile(b, total, 90) };
		}), NS_PER[unit] || 1);
	if (dropTable)
		fillTable(document.getElementById('drops'),
			[{ label: dropTable.key, text: true }, { label: 'packets' }],
			[...drops].sort((a, b) => b[1] - a[1]).map(([k, n]) => [k, String(n)]));
	if (addr)
		renderAddr(snaps);
}

function drawBoxes(rows, scale) {
	const cv = document.getElementById('boxplot');
	cv.width = Math.max(480, Math.min(1100, cv.parentElement.clientWidth - 24));
	const ctx = cv.getContext('2d');
	const left = 190, right = cv.width - 40, rowH = 26, top = 24;	// room for the last label
	cv.height = top + rows.length * rowH + 30;
	ctx.clearRect(0, 0, cv.width, cv.height);
	let lo = Infinity, hi = 1;
	rows.forEach(r => { lo = Math.min(lo, Math.max(1, r.min)); hi = Math.max(hi, r.max); });
	const l0 = Math.floor(Math.log10(lo * scale)), l1 = Math.ceil(Math.log10(hi * scale + 1));
	const x = v => left + (right - left) * (Math.log10(Math.max(1, v * scale)) - l0) / Math.max(1, l1 - l0);
	ctx.font = '12px system-ui, sans-serif';
	ctx.fillStyle = '#777';
	ctx.strokeStyle = '#eee';
	for (let d = l0; d <= l1; d++) {
		const px = left + (right - left) * (d - l0) / Math.max(1, l1 - l0);
		ctx.beginPath();
		ctx.moveTo(px, top - 6);
		ctx.lineTo(px, top + rows.length * rowH);
		ctx.stroke();
		ctx.textAlign = 'center';
		ctx.fillText(fmtNs(10 ** d), px, top + rows.length * rowH + 16);
		ctx.textAlign = 'left';
	}
	rows.forEach((r, i) => {
		const y = top + i * rowH + rowH / 2;
		ctx.fillStyle = '#222';
		ctx.fillText(`${r.label} (${r.total})`, 4, y + 4, left - 10);
		ctx.strokeStyle = '#555';
		ctx.beginPath();
		ctx.moveTo(x(r.min), y);
		ctx.lineTo(x(r.max), y);
		ctx.moveTo(x(r.min), y - 6);
		ctx.lineTo(x(r.min), y + 6);
		ctx.moveTo(x(r.max), y - 6);
		ctx.lineTo(x(r.max), y + 6);
		ctx.stroke();
		ctx.fillStyle = '#bfdbfe';
		ctx.fillRect(x(r.p10), y - 8, Math.max(2, x(r.p90) - x(r.p10)), 16);
		ctx.strokeRect(x(r.p10), y - 8, Math.max(2, x(r.p90) - x(r.p10)), 16);
		ctx.strokeStyle = '#1d4ed8';
		ctx.lineWidth = 2;
		ctx.beginPath();
		ctx.moveTo(x(r.p50), y - 8);
		ctx.lineTo(x(r.p50), y + 8);
		ctx.stroke();
		ctx.lineWidth = 1;
	});
}

function isAddrTable(t) {
	return t.tracer === 'pktjourney' && /addr/.test(t.name);
}

// Address keys are hex ("0xffff8880...") or decimal; a float is precise enough to place a cell.
function addrOf(key) {
	try {
		return Number(BigInt(key));
	} catch (e) {
		return NaN;
	}
}

function renderAddr(snaps) {
	let step = Infinity, lo = Infinity, hi = -Infinity;
	const cells = s => {
		const out = [];
		s.tables.filter(isAddrTable).forEach(t => {
			const col = Object.keys(t.units)[0];
			t.rows.forEach(r => {
				const a = addrOf(r[t.key]);
				if (!isNaN(a))
					out.push([a, a, r[col]]);
			});
		});
		return out;
	};
	snaps.forEach(s => {
		const a = cells(s).map(c => c[0]).sort((x, y) => x - y);
		for (let i = 1; i < a.length; i++)
			if (a[i] > a[i - 1])
				step = Math.min(step, a[i] - a[i - 1]);
		a.forEach(v => { lo = Math.min(lo, v); hi = Math.max(hi, v); });
	});
	if (!isFinite(step))
		step = 2 ** 26;	// pktjourney's regions are 64 MiB
	const withStep = s => cells(s).map(c => [c[0], c[0] + step, c[2]]);
	const hex = v => '0x' + Math.round(v).toString(16);
	heatmap('chart-addr', 'Packet data addresses (64 MiB regions)', snaps, withStep,
		[lo, hi + step], hex, zoomPan('chart-addr'), 'packets');
}

// Drag: zoom x and y; shift-drag: pan; wheel: zoom around the pointer; double-click: reset.
function zoomPan(id) {
	const zoomed = () => { st.heat[id].zoomed = true; };
	return {
		cursor: { drag: { x: true, y: true, uni: 20 } },
		hooks: {
			draw: [u => drawCells(u, st.heat[id])],
			setSelect: [u => { if (u.select.width > 0 || u.select.height > 0) zoomed(); }],
			ready: [u => {
				const over = u.over;
				let pan = null;
				over.addEventListener('wheel', e => {
					e.preventDefault();
					zoomed();
					const f = e.deltaY > 0 ? 1.25 : 0.8;
					['x', 'y'].forEach(k => {
						const v = u.posToVal(k === 'x' ? e.offsetX : e.offsetY, k), sc = u.scales[k];
						u.setScale(k, { min: v - (v - sc.min) * f, max: v + (sc.max - v) * f });
					});
				});
				over.addEventListener('mousedown', e => {
					if (!e.shiftKey)
						return;
					e.stopPropagation();
					zoomed();
					pan = { x: e.clientX, y: e.clientY, sx: { ...u.scales.x }, sy: { ...u.scales.y } };
				}, true);
				window.addEventListener('mousemove', e => {
					if (!pan)
						return;
					const dx = (e.clientX - pan.x) / (u.bbox.width / devicePixelRatio);
					const dy = (e.clientY - pan.y) / (u.bbox.height / devicePixelRatio);
					const wx = pan.sx.max - pan.sx.min, wy = pan.sy.max - pan.sy.min;
					u.setScale('x', { min: pan.sx.min - dx * wx, max: pan.sx.max - dx * wx });
					u.setScale('y', { min: pan.sy.min + dy * wy, max: pan.sy.max + dy * wy });
				});
				window.addEventListener('mouseup', () => { pan = null; });
				over.addEventListener('dblclick', () => {
					const h = st.heat[id];
					h.zoomed = false;
					u.setScale('y', { min: h.full[0], max: h.full[1] });
				});
			}],
		},
	};
}

function renderCost(snaps, last) {
	const names = last.health.map(h => h.tracer).slice(0, MAX_SERIES);
	fillTable(document.getElementById('tracers'),
		[{ label: 'TRACER', text: true }, { label: 'RUNG', text: true }, { label: 'PROGS' },
			{ label: 'EVENTS/s' }, { label: 'DROPPED/s' }, { label: 'NS/RUN' }],
		last.health.map(h => [h.tracer, h.rung, String(h.programs),
			si(h.events / last.dt, 1000, ['', 'K', 'M', 'G']),
			si(h.drops / last.dt, 1000, ['', 'K', 'M', 'G']),
			h.ns_per_run == null ? 'stats off' : fmtNs(h.ns_per_run)]));
	lineChart('chart-cost', 'BPF time per program run', names, names, snaps, (s, n) => {
		const h = s.health.find(x => x.tracer === n);
		return h && h.ns_per_run != null ? h.ns_per_run : null;
	}, fmtNs);
}

// A table cell of a column with unit: durations in ns shown as times, the rest per second.
function tableValue(unit, v, dt) {
	if (unit in NS_PER)
		return fmtNs(v * NS_PER[unit]);
	return fmtUnit(v / dt, unit) + '/s';
}

function renderTables(last) {
	const box = document.getElementById('tables');
	const shown = last.tables.filter(t => !/drop/.test(t.name) && !isAddrTable(t));
	box.replaceChildren(...shown.map(t => {
		const cols = Object.keys(t.units);
		const div = el('div');
		div.appendChild(el('h3', `${t.name} (${t.tracer} tracer${st.host ? ', every host' : ''})`));
		const table = el('table');
		table.append(el('thead'), el('tbody'));
		const rows = t.rows.slice().sort((a, b) => b[cols[0]] - a[cols[0]]).slice(0, 20);
		fillTable(table, [{ label: t.key, text: true }].concat(cols.map(c =>
			({ label: t.headers[c] }))), rows.map(r =>
			[String(r[t.key])].concat(cols.map(c => tableValue(t.units[c], r[c], last.dt)))));
		div.appendChild(table);
		return div;
	}));
}

function renderEvents(snaps) {
	const evs = [];
	for (let i = snaps.length - 1; i >= 0 && evs.length < 50; i--)
		evs.push(...snaps[i].events.slice().reverse());
	const fleet = st.hosts.length > 0;
	fillTable(document.getElementById('events'),
		[{ label: 'TIME', text: true }].concat(fleet ? [{ label: 'HOST', text: true }] : [],
			[{ label: 'TRACER', text: true }, { label: 'PID' }, { label: 'COMM', text: true },
				{ label: 'DETAILS', text: true }]),
		evs.slice(0, 50).map(e => [isoTime(e.ts_ns / 1e9, true)].concat(fleet ? [e.host] : [],
			[e.tracer, String(e.pid), e.comm, Object.keys(e).filter(k => !EVENT_BASE.has(k))
				.map(k => `${k}=${fieldText(k, e[k])}`).join(' ')])));
}

// What a user would see cut: y-axis labels wider than their axis, counted on <body>, and
// heatmaps without a colour scale.
function checkLayout() {
	let clipped = 0, axes = 0;
	Object.values(st.charts).forEach(({ plot: u }) => {
		u.axes.forEach((a, i) => {
			if (i === 0 || !a._values || !a._size)
				return;
			axes++;
			// drawn after the tick and the gap: the rest of the axis must hold the label
			const room = a._size - ((a.ticks && a.ticks.size) || 10) - (a.gap || 5);
			if (Math.max(0, ...a._values.map(textWidth)) > room)
				clipped++;
		});
	});
	const heat = document.querySelectorAll('.heatmap, #chart-addr');
	const scales = [...heat].filter(h => (h.id === 'chart-addr' ? h.parentElement : h)
		.querySelector('.scale canvas')).length;
	Object.assign(document.body.dataset, { axes: String(axes), axisClipped: String(clipped),
		heatmaps: String(heat.length - (document.getElementById('chart-addr').children.length ? 0 : 1)),
		heatScales: String(scales) });
}

function render() {
	st.pending = false;
	if (st.paused || !st.snaps.length || !st.metrics.length)
		return;
	const snaps = inRange().map(view);
	const last = snaps[snaps.length - 1];
	renderMetricCharts(snaps);
	renderProcs(last);
	renderDetail(snaps);
	renderHeatmaps(snaps);
	renderJourney(snaps);
	renderCost(snaps, last);
	renderTables(last);
	renderEvents(snaps);
	setTimeout(checkLayout, 0);	// after uPlot drew (a microtask): its axes are laid out
	Object.assign(document.body.dataset, { hosts: String(st.hosts.length), host: st.host });
	const who = !st.hosts.length ? '' : st.host ? `host ${st.host} (histograms, tables: every ` +
		`host) · ` : `fleet of ${st.hosts.length} hosts · `;
	setStatus(`${who}live · ${st.snaps.length} intervals kept · last ${isoTime(last.t, true)}`,
		'live');
}

function schedule() {
	if (!st.pending) {
		st.pending = true;
		requestAnimationFrame(render);
	}
}

// #SECTION[/host=HOST][/detail=PID[@HOST]]: one section at a time (uPlot sizes need it
// visible), a fleet's host shown, a process' detail.
function route() {
	const [sec, ...args] = location.hash.slice(1).split('/');
	const name = SECTIONS.includes(sec) ? sec : 'overview';
	let detail = null, host = '';
	args.forEach(a => {
		const d = /^detail=(\d+)(?:@(.*))?$/.exec(a), h = /^host=(.*)$/.exec(a);
		if (d)
			detail = { pid: Number(d[1]), host: decodeURIComponent(d[2] || '') };
		if (h)
			host = decodeURIComponent(h[1]);
	});
	st.detail = name === 'processes' ? detail : null;
	st.host = host;
	document.getElementById('host').value = host;
	document.querySelectorAll('section[data-nav]').forEach(s => { s.hidden = s.dataset.nav !== name; });
	document.querySelectorAll('#nav a').forEach(a => {
		a.dataset.sec = a.dataset.sec || a.getAttribute('href').slice(1);
		a.setAttribute('href', '#' + hashOf(a.dataset.sec));	// the host stays shown
		a.classList.toggle('active', a.dataset.sec === name);
	});
	// charts made while hidden have no width: make them again
	Object.values(st.charts).forEach(c => c.plot.destroy());
	st.charts = {};
	schedule();
}

function init() {
	const m = /token=([^&]+)/.exec(location.hash);
	if (m) {
		sessionStorage.setItem('tracerhub-token', decodeURIComponent(m[1]));
		history.replaceState(null, '', location.pathname);
	}
	st.token = sessionStorage.getItem('tracerhub-token');
	document.getElementById('pause').onclick = e => {
		st.paused = !st.paused;
		e.target.textContent = st.paused ? 'Resume' : 'Pause';
		setStatus(st.paused ? 'paused (data still arrives)' : 'live', st.paused ? '' : 'live');
		schedule();
	};
	document.getElementById('host').onchange = e => {
		st.host = e.target.value;
		const sec = location.hash.slice(1).split('/')[0] || 'overview';
		location.hash = hashOf(sec);
	};
	document.getElementById('range').onchange = e => {
		st.range = Number(e.target.value);
		schedule();
	};
	window.addEventListener('hashchange', route);
	route();
	backfill().catch(e => setStatus(String(e.message || e), 'error')).finally(follow);
}

init();
