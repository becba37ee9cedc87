// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// The tracerhub dashboard: backfills from /api/v1/history, then follows /api/v1/stream
// (server-sent events read with fetch, so that a token can go in the Authorization header).
'use strict';

const MAX_SNAPS = 3600;
const ROWS = 100;
const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04',
	'#db2777', '#4b5563', '#65a30d', '#7c3aed', '#0d9488'];

const st = {
	snaps: [],	// oldest first, each with t (end, s) and dt (length, s)
	paused: false,
	range: 300,	// seconds shown, 0 = all kept
	sort: null,	// process table column
	sortDesc: true,
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
	st.snaps.push(s);
	if (st.snaps.length > MAX_SNAPS)
		st.snaps.splice(0, st.snaps.length - MAX_SNAPS);
	return true;
}

function inRange() {
	if (!st.range || !st.snaps.length)
		return st.snaps;
	const end = st.snaps[st.snaps.length - 1].t;
	return st.snaps.filter(s => s.t > end - st.range);
}

async function backfill() {
	const r = await fetch('api/v1/history?top=' + ROWS, { headers: headers() });
	if (!r.ok)
		throw new Error('history: HTTP ' + r.status);
	const j = await r.json();
	j.snapshots.forEach(add);
	schedule();
}

async function follow() {
	for (;;) {
		try {
			const r = await fetch('api/v1/stream?top=' + ROWS, { headers: headers() });
			if (!r.ok)
				throw new Error('stream: HTTP ' + r.status);
			setStatus('live', 'live');
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
	const el = document.getElementById('status');
	el.textContent = text;
	el.className = 'status ' + (cls || '');
}

/* ---------- units ---------- */

// How a metric of a process row is shown; the unit follows from its name (see metric.c).
function metricKind(name) {
	if (name === 'cpu_ns')
		return 'cpu';
	if (name.endsWith('_ns'))
		return 'time';		// a gauge, e.g. a run-queue percentile
	if (name.endsWith('_bytes'))
		return 'bytes';
	return 'count';
}

function si(v, base, units) {
	let i = 0;
	while (Math.abs(v) >= base && i < units.length - 1) {
		v /= base;
		i++;
	}
	return (v >= 100 || i === 0 ? v.toFixed(0) : v.toFixed(1)) + units[i];
}

function fmtRate(v, kind) {
	if (v == null || isNaN(v))
		return '';
	switch (kind) {
	case 'bytes': return si(v, 1024, [' B/s', ' KiB/s', ' MiB/s', ' GiB/s']);
	case 'cpu': return (v / 1e7).toFixed(1) + ' %';
	case 'time': return fmtNs(v);
	default: return si(v, 1000, ['/s', 'K/s', 'M/s', 'G/s']);
	}
}

function fmtNs(ns) {
	if (ns < 1e3) return ns.toFixed(0) + ' ns';
	if (ns < 1e6) return (ns / 1e3).toFixed(ns < 1e4 ? 1 : 0) + ' µs';
	if (ns < 1e9) return (ns / 1e6).toFixed(ns < 1e7 ? 1 : 0) + ' ms';
	return (ns / 1e9).toFixed(1) + ' s';
}

const NS_PER = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 };

function fmtUnit(v, unit) {
	if (unit in NS_PER)
		return fmtNs(v * NS_PER[unit]);
	if (unit === 'B')
		return si(v, 1024, [' B', ' KiB', ' MiB', ' GiB']);
	return si(v, 1000, ['', 'K', 'M', 'G']) + (unit ? ' ' + unit : '');
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

function fillTable(table, cols, rows, onSort) {
	const thead = table.tHead, tbody = table.tBodies[0];
	const tr = el('tr');
	cols.forEach(c => {
		const th = el('th', c.label, (c.text ? 'text ' : '') + (c.sorted ? 'sorted' : ''));
		if (onSort)
			th.onclick = () => onSort(c.key);
		tr.appendChild(th);
	});
	thead.replaceChildren(tr);
	tbody.replaceChildren(...rows.map(r => {
		const row = el('tr');
		r.forEach((v, i) => row.appendChild(el('td', v, cols[i].text ? 'text' : '')));
		return row;
	}));
}

/* ---------- uPlot charts ---------- */

function chartWidth(id) {
	const w = document.getElementById(id).parentElement.clientWidth;
	return Math.max(320, Math.min(720, w / 2 - 16));
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

function lineChart(id, title, names, snaps, value, fmt) {
	const key = names.join(',');
	const data = [snaps.map(s => s.t)];
	names.forEach(n => data.push(snaps.map(s => value(s, n))));
	plot(id, key, () => ({
		title, width: chartWidth(id), height: 240,
		scales: { x: { time: true } },
		axes: [{}, { size: 70, values: (u, v) => v.map(fmt) }],
		series: [{}].concat(names.map((n, i) => ({
			label: n, stroke: COLORS[i % COLORS.length], width: 1.5,
			value: (u, v) => v == null ? '' : fmt(v),
		}))),
	}), data);
	return snaps.length;
}

/* ---------- sections ---------- */

function renderTotals(snaps) {
	const last = snaps[snaps.length - 1];
	const names = Object.keys(last.totals);
	const counts = names.filter(n => metricKind(n) === 'count');
	const bytes = names.filter(n => metricKind(n) === 'bytes');
	const rate = (s, n) => s.totals[n] == null ? null : s.totals[n] / s.dt;
	const points = lineChart('chart-counts', 'Events per second', counts, snaps, rate,
		v => fmtRate(v, 'count'));
	if (bytes.length)
		lineChart('chart-bytes', 'Bytes per second', bytes, snaps, rate, v => fmtRate(v, 'bytes'));
	if (points >= 2 && counts.length)
		document.body.dataset.chartsReady = points + ' points';
}

function renderProcs(last) {
	const names = Object.keys(last.totals);
	if (!st.sort || (st.sort !== 'pid' && st.sort !== 'comm' && !names.includes(st.sort)))
		st.sort = names[0] || 'pid';
	const rows = last.procs.slice();
	const k = st.sort, dir = st.sortDesc ? -1 : 1;
	rows.sort((a, b) => (a[k] < b[k] ? -1 : a[k] > b[k] ? 1 : a.pid - b.pid) * dir);
	const cols = [{ key: 'pid', label: 'PID' }, { key: 'comm', label: 'COMM', text: true }]
		.concat(names.map(n => ({ key: n, label: n + (metricKind(n) === 'bytes' ? ' (B/s)' : '') })));
	cols.forEach(c => { c.sorted = c.key === st.sort; });
	fillTable(document.getElementById('procs'), cols, rows.slice(0, ROWS).map(r =>
		[String(r.pid), r.comm].concat(names.map(n => {
			const kind = metricKind(n);
			return fmtRate(kind === 'time' ? r[n] : r[n] / last.dt, kind);
		}))), key => {
		st.sortDesc = st.sort === key ? !st.sortDesc : key !== 'comm' && key !== 'pid';
		st.sort = key;
		renderProcs(last);
	});
}

// Slot k of a [low, high, count] log2 bucket: high = 2^k - 1.
function slotOf(b) {
	return b[1] === 0 ? 0 : Math.round(Math.log2(b[1] + 1));
}

function heatColor(f) {
	// pale to dark blue, f in [0, 1]
	return `hsl(${210 + 30 * f}, 85%, ${92 - 62 * f}%)`;
}

// A heatmap over time drawn in uPlot's draw hook: cells(snap) -> [[y0, y1, count], ...].
function heatmap(id, title, snaps, cells, yRange, yFmt, extra) {
	const h = st.heat[id] || (st.heat[id] = { zoomed: false });
	h.rows = snaps.map(s => ({ t: s.t, dt: s.dt, c: cells(s) }));
	h.max = 1;
	h.rows.forEach(r => r.c.forEach(c => { h.max = Math.max(h.max, c[2]); }));
	h.full = yRange;
	// an invisible series at the bottom gives uPlot a normal x range to work with
	const data = [snaps.map(s => s.t), snaps.map(() => yRange[0])];
	const opts = () => Object.assign({
		title, width: chartWidth(id), height: 240,
		scales: {
			x: { time: true },
			// the full range, or the user's zoom (setScale with a min and max)
			y: { range: (u, min, max) => st.heat[id].zoomed && min != null ?
				[min, max] : st.heat[id].full },
		},
		axes: [{}, { size: 80, values: (u, v) => v.map(yFmt) }],
		legend: { show: false },
		series: [{}, { label: 'cells', stroke: 'transparent', points: { show: false } }],
		hooks: { draw: [u => drawCells(u, st.heat[id])] },
	}, extra || {});
	plot(id, title, opts, data, h.zoomed);
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

function renderHeatmaps(snaps) {
	const last = snaps[snaps.length - 1];
	const groups = new Map();
	snaps.forEach(s => s.hists.forEach(h => {
		if (h.unit in NS_PER && h.name !== 'pkt_stage_latency')
			groups.set(h.tracer + '/' + h.name, h);
	}));
	const box = document.getElementById('heatmaps');
	document.getElementById('heat-empty').hidden = groups.size > 0;
	groups.forEach((h, key) => {
		const id = 'heat-' + key.replace(/[^a-z0-9]/gi, '_');
		if (!document.getElementById(id)) {
			const d = el('div', null, 'chart');
			d.id = id;
			box.appendChild(d);
		}
		let lo = 64, hi = 0;
		const cells = s => histCells(s, h.tracer, h.name);
		snaps.forEach(s => cells(s).forEach(c => { lo = Math.min(lo, c[0]); hi = Math.max(hi, c[1]); }));
		if (lo >= hi)
			lo = 0, hi = 1;
		const scale = NS_PER[h.unit];
		heatmap(id, `${h.name} (${h.tracer})`, snaps, cells, [lo, hi],
			v => Number.isInteger(v) ? fmtNs((2 ** v) * scale) : '');
	});
	return last;
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
	document.getElementById('sec-pkt').hidden = !stages.size && !drops.size && !addr;
	if (stages.size)
		drawBoxes([...stages].map(([label, m]) => {
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
	const ctx = cv.getContext('2d');
	const left = 190, right = cv.width - 20, rowH = 26, top = 24;
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
		ctx.fillText(fmtNs(10 ** d), px - 14, top + rows.length * rowH + 16);
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
	heatmap('chart-addr', 'skb data addresses', snaps, withStep, [lo, hi + step], hex,
		Object.assign(zoomPan('chart-addr'), { axes: [{}, { size: 130, values: (u, v) => v.map(hex) }] }));
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
	const names = last.health.map(h => h.tracer);
	fillTable(document.getElementById('tracers'),
		[{ label: 'tracer', text: true }, { label: 'rung', text: true }, { label: 'programs' },
			{ label: 'events/s' }, { label: 'drops/s' }, { label: 'ns/run' }],
		last.health.map(h => [h.tracer, h.rung, String(h.programs),
			fmtRate(h.events / last.dt, 'count'), fmtRate(h.drops / last.dt, 'count'),
			h.ns_per_run == null ? 'n/a' : h.ns_per_run.toFixed(1) + ' ns']));
	lineChart('chart-cost', 'BPF cost per program run', names, snaps, (s, n) => {
		const h = s.health.find(x => x.tracer === n);
		return h && h.ns_per_run != null ? h.ns_per_run : null;
	}, v => v.toFixed(0) + ' ns');
}

function renderTables(last) {
	const box = document.getElementById('tables');
	const shown = last.tables.filter(t => !/drop/.test(t.name) && !isAddrTable(t));
	box.replaceChildren(...shown.map(t => {
		const cols = Object.keys(t.units);
		const div = el('div');
		div.appendChild(el('h3', `${t.name} (${t.tracer})`));
		const table = el('table');
		table.append(el('thead'), el('tbody'));
		const rows = t.rows.slice().sort((a, b) => b[cols[0]] - a[cols[0]]).slice(0, 20);
		fillTable(table, [{ label: t.key, text: true }].concat(cols.map(c =>
			({ label: `${c} (${t.units[c]})` }))), rows.map(r =>
			[String(r[t.key])].concat(cols.map(c => String(r[c])))));
		div.appendChild(table);
		return div;
	}));
}

function renderEvents(snaps) {
	const evs = [];
	for (let i = snaps.length - 1; i >= 0 && evs.length < 50; i--)
		evs.push(...snaps[i].events.slice().reverse());
	const base = new Set(['ts_ns', 'tracer', 'pid', 'comm']);
	fillTable(document.getElementById('events'),
		[{ label: 'time', text: true }, { label: 'tracer', text: true }, { label: 'pid' },
			{ label: 'comm', text: true }, { label: 'fields', text: true }],
		evs.slice(0, 50).map(e => [new Date(e.ts_ns / 1e6).toLocaleTimeString(), e.tracer,
			String(e.pid), e.comm,
			Object.keys(e).filter(k => !base.has(k)).map(k => `${k}=${e[k]}`).join(' ')]));
}

function render() {
	st.pending = false;
	if (st.paused || !st.snaps.length)
		return;
	const snaps = inRange();
	const last = snaps[snaps.length - 1];
	renderTotals(snaps);
	renderProcs(last);
	renderHeatmaps(snaps);
	renderJourney(snaps);
	renderCost(snaps, last);
	renderTables(last);
	renderEvents(snaps);
	const when = new Date(last.ts_ns / 1e6).toLocaleTimeString();
	setStatus(`live · ${st.snaps.length} intervals kept · last ${when}`, 'live');
}

function schedule() {
	if (!st.pending) {
		st.pending = true;
		requestAnimationFrame(render);
	}
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
	document.getElementById('range').onchange = e => {
		st.range = Number(e.target.value);
		schedule();
	};
	backfill().catch(e => setStatus(String(e.message || e), 'error')).finally(follow);
}

init();
