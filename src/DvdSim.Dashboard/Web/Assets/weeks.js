'use strict';
(() => {
  const { el, svg, getJson, poll, debounce, setStatus, query, setQuery, formatMs, formatNumber } = Dashboard;
  const picker = document.getElementById('run-picker');
  const container = document.getElementById('weeks-chart-container');
  const tableBody = document.querySelector('#weeks-table tbody');
  const trend = document.getElementById('weeks-trend');
  const STAGES = [['inventory', 'inventoryMs', 'Inventory'], ['transactions', 'transactionsMs', 'Transactions'],
    ['payments', 'paymentsMs', 'Payments'], ['wait', 'waitMs', 'Wait']];
  let shownKey = '';
  let running = false;

  picker.dataset.wanted = query('run');

  // Rounds up to 1, 2, 2.5 or 5 times a power of ten, so axis ticks are readable.
  function niceMax(value) {
    const power = Math.pow(10, Math.floor(Math.log10(value)));
    for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
    return 10 * power;
  }

  function chooseRun(runs) {
    const current = picker.value || picker.dataset.wanted;
    if (runs.some(r => r.database === current)) return current;
    const live = runs.find(r => r.state === 'running');
    if (live) return live.database;
    const newest = [...runs].sort((a, b) => new Date(b.startedAt || 0) - new Date(a.startedAt || 0))[0];
    return newest ? newest.database : '';
  }

  function fillPicker(runs, chosen) {
    const labels = runs.map(r => `${r.database}${r.scenario ? ' · ' + r.scenario : ''} · ${r.state || 'unknown'}`);
    const existing = [...picker.options].map(o => o.value + '\n' + o.textContent).join('\n');
    if (existing !== runs.map((r, i) => r.database + '\n' + labels[i]).join('\n')) {
      picker.replaceChildren(...runs.map((r, i) => el('option', { value: r.database, text: labels[i] })));
    }
    picker.value = chosen;
  }

  function renderProgress(run, weeks) {
    document.getElementById('run-progress').hidden = false;
    const target = Math.max(run.weeksTarget || 0, 1);
    document.getElementById('run-progress-fill').style.width = Math.min(100, run.weeksDone / target * 100) + '%';
    document.getElementById('run-weeks').textContent = `${run.weeksDone} / ${run.weeksTarget} weeks`;
    const state = document.getElementById('run-state');
    state.textContent = run.state || 'unknown';
    state.className = 'badge ' + (run.state || '');
    document.getElementById('run-rentals').textContent = `${formatNumber(run.rentals, 0)} rentals`;
    let eta = run.etaSeconds;
    if ((eta === null || eta === undefined) && run.state === 'running' && weeks.length) {
      const recent = weeks.slice(-10);
      eta = recent.reduce((sum, w) => sum + w.wallMs, 0) / recent.length * Math.max(0, run.weeksTarget - run.weeksDone) / 1000;
    }
    document.getElementById('run-eta').textContent =
      run.state === 'running' ? (eta === null || eta === undefined ? 'ETA unknown' : `ETA ${formatMs(eta * 1000)}`)
        : run.state === 'completed' ? 'finished' : '';
  }

  function renderTrend(weeks) {
    if (weeks.length < 4) { trend.textContent = ''; return; }
    const k = Math.max(2, Math.floor(weeks.length / 10));
    const mean = list => list.reduce((sum, w) => sum + w.wallMs, 0) / list.length;
    const first = mean(weeks.slice(0, k)), last = mean(weeks.slice(-k));
    const slowest = weeks.reduce((a, b) => (b.wallMs > a.wallMs ? b : a));
    trend.textContent = `Per-week time: ${formatMs(first)} over the first ${k} weeks, ${formatMs(last)} over the last ${k}` +
      ` (×${(last / Math.max(first, 1e-9)).toFixed(2)}). Slowest: week ${slowest.week}, ${formatMs(slowest.wallMs)}.`;
  }

  // Beside the Aspire dashboard, a week's trace opens there (where the services send their spans).
  const traceBase = document.getElementById('main').dataset.traceBase;

  async function openWeek(database, week) {
    if (week.traceId) { location.href = traceBase ? traceBase + week.traceId : `/traces/${week.traceId}`; return; }
    if (traceBase) { setStatus(`Week ${week.week} has no trace id recorded.`, true); return; }
    try {
      const found = await getJson(`/api/traces/find?database=${encodeURIComponent(database)}&week=${week.week}`);
      location.href = `/traces/${found.traceId}`;
    } catch (error) {
      setStatus(`No trace of week ${week.week} has arrived.`, true);
    }
  }

  function renderChart(database, weeks) {
    const width = Math.max(640, container.clientWidth);
    const height = 340;
    const m = { top: 18, right: 70, bottom: 44, left: 70 };
    const plotW = width - m.left - m.right, plotH = height - m.top - m.bottom;
    const stack = w => STAGES.reduce((sum, [, key]) => sum + Math.max(0, w[key] || 0), 0);
    const maxMs = niceMax(Math.max(0.001, ...weeks.map(w => Math.max(stack(w), w.wallMs || 0))));
    const maxRentals = niceMax(Math.max(1, ...weeks.map(w => w.rentals || 0)));
    const band = plotW / Math.max(weeks.length, 1);
    const barW = Math.max(1, band * 0.78);
    const yMs = ms => m.top + plotH - ms / maxMs * plotH;
    const yRentals = r => m.top + plotH - r / maxRentals * plotH;

    const chart = svg('svg', { id: 'weeks-chart', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img',
      'aria-label': `Time per simulated week of ${database}, split by stage, with rentals per week` });

    const axes = svg('g', { class: 'axis' });
    for (let i = 0; i <= 5; i++) {
      const y = m.top + plotH - i / 5 * plotH;
      axes.append(svg('line', { class: 'grid-line', x1: m.left, x2: m.left + plotW, y1: y, y2: y }),
        svg('text', { x: m.left - 8, y: y + 4, 'text-anchor': 'end', text: formatMs(maxMs * i / 5) }),
        svg('text', { x: m.left + plotW + 8, y: y + 4, text: formatNumber(maxRentals * i / 5, 0) }));
    }
    const every = [1, 2, 5, 10, 13, 26, 52, 104, 260].find(step => step * band >= 36) || 520;
    weeks.forEach((w, i) => {
      if (w.week % every === 0 || (every === 1) || i === 0) {
        axes.append(svg('text', { x: m.left + (i + 0.5) * band, y: m.top + plotH + 16, 'text-anchor': 'middle', text: w.week }));
      }
    });
    axes.append(
      svg('text', { x: m.left + plotW / 2, y: height - 6, 'text-anchor': 'middle', text: 'simulated week' }),
      svg('text', { x: 14, y: m.top + plotH / 2, transform: `rotate(-90 14 ${m.top + plotH / 2})`, 'text-anchor': 'middle', text: 'time per week' }),
      svg('text', { x: width - 10, y: m.top + plotH / 2, transform: `rotate(90 ${width - 10} ${m.top + plotH / 2})`, 'text-anchor': 'middle', text: 'rentals' }));
    chart.append(axes);

    const bars = svg('g', { class: 'bars' });
    weeks.forEach((w, i) => {
      const x = m.left + i * band + (band - barW) / 2;
      const tooltip = [`Week ${w.week}${w.weekStart ? ' (' + w.weekStart + ')' : ''}`, `wall ${formatMs(w.wallMs)}`,
        ...STAGES.map(([, key, label]) => `${label.toLowerCase()} ${formatMs(w[key])}`),
        `${formatNumber(w.rentals, 0)} rentals, ${formatNumber(w.payments, 0)} payments`].join('\n');
      const bar = svg('g', { class: 'week-bar', 'data-week': w.week, 'data-trace-id': w.traceId || null, tabindex: 0,
        onclick: () => openWeek(database, w), onkeydown: e => { if (e.key === 'Enter') openWeek(database, w); } },
        svg('title', { text: tooltip }),
        svg('rect', { class: 'hit', x: m.left + i * band, y: m.top, width: band, height: plotH }));
      let top = m.top + plotH;
      for (const [stage, key] of STAGES) {
        const h = Math.max(0, w[key] || 0) / maxMs * plotH;
        top -= h;
        bar.append(svg('rect', { class: `stage-${stage}`, 'data-stage': stage, x, y: top, width: barW, height: h }));
      }
      bars.append(bar);
    });
    chart.append(bars);

    if (weeks.length) {
      const points = weeks.map((w, i) => [m.left + (i + 0.5) * band, yRentals(w.rentals || 0)]);
      chart.append(svg('path', { id: 'rentals-line', d: 'M' + points.map(p => p.map(v => v.toFixed(1)).join(',')).join('L') }));
      if (band >= 6) {
        weeks.forEach((w, i) => chart.append(svg('circle', { class: 'rentals-point', 'data-rentals-week': w.week, cx: points[i][0], cy: points[i][1], r: 2.5 })));
      }
    }
    container.replaceChildren(chart);
  }

  function renderTable(database, weeks) {
    tableBody.replaceChildren(...weeks.map(w => el('tr', { 'data-week-row': w.week },
      el('td', { text: w.week }), el('td', { text: w.weekStart || '' }),
      el('td', { text: formatNumber(w.rentals, 0) }), el('td', { text: formatNumber(w.payments, 0) }),
      el('td', { text: formatMs(w.wallMs) }), ...STAGES.map(([, key]) => el('td', { text: formatMs(w[key]) })),
      el('td', {}, el('a', { href: '#', text: 'trace', onclick: e => { e.preventDefault(); openWeek(database, w); } })))));
  }

  function clear(message) {
    document.getElementById('run-progress').hidden = true;
    container.replaceChildren();
    tableBody.replaceChildren();
    trend.textContent = '';
    shownKey = '';
    setStatus(message);
  }

  async function refresh() {
    let runs;
    try {
      runs = await getJson('/api/runs');
    } catch (error) {
      if (error.status === 503) { running = false; clear('Waiting for the coordinator to start…'); return; }
      throw error;
    }
    const chosen = chooseRun(runs);
    fillPicker(runs, chosen);
    const run = runs.find(r => r.database === chosen);
    if (!run) { running = false; clear('No runs yet.'); return; }
    running = run.state === 'running';

    const weeks = (await getJson(`/api/runs/${encodeURIComponent(run.database)}/weeks`)).sort((a, b) => a.week - b.week);
    renderProgress(run, weeks);
    const key = `${run.database}|${container.clientWidth}|${JSON.stringify(weeks)}`;
    if (key !== shownKey) {
      shownKey = key;
      renderChart(run.database, weeks);
      renderTable(run.database, weeks);
      renderTrend(weeks);
    }
    setStatus(weeks.length ? '' : 'No week has finished yet.');
  }

  // Live while a run is in progress; a finished run changes only when it is extended.
  const refreshNow = poll(refresh, () => (running ? 2000 : 10000));
  picker.addEventListener('change', () => { setQuery({ run: picker.value }); picker.dataset.wanted = picker.value; shownKey = ''; refreshNow(); });
  window.addEventListener('resize', debounce(() => { shownKey = ''; refreshNow(); }, 200));
})();
