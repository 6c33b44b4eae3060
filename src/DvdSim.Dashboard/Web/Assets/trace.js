'use strict';
(() => {
  const { el, getJson, poll, setStatus, formatMs, formatDateTime, serviceChip, serviceColor, attributeList } = Dashboard;
  const traceId = document.getElementById('main').dataset.traceId;
  const waterfall = document.getElementById('waterfall');
  const detail = document.getElementById('span-detail');
  let shownSpanCount = -1;
  let selectedSpanId = null;
  let spansById = new Map();

  // Depth-first order: each span under its parent, siblings by start time. Orphans (parent not arrived) are roots.
  function ordered(spans) {
    const byId = new Map(spans.map(s => [s.spanId, s]));
    const children = new Map();
    const roots = [];
    for (const span of spans) {
      if (span.parentSpanId && byId.has(span.parentSpanId)) {
        if (!children.has(span.parentSpanId)) children.set(span.parentSpanId, []);
        children.get(span.parentSpanId).push(span);
      } else {
        roots.push(span);
      }
    }
    const byStart = (a, b) => new Date(a.start) - new Date(b.start);
    const result = [];
    const visit = (span, depth) => {
      result.push({ span, depth });
      for (const child of (children.get(span.spanId) || []).sort(byStart)) visit(child, depth + 1);
    };
    roots.sort(byStart).forEach(root => visit(root, 0));
    return result;
  }

  function render(summary, spans) {
    const traceStart = new Date(summary.start).getTime();
    const total = Math.max(summary.durationMs, 0.001);
    document.getElementById('trace-title').textContent = summary.rootName || 'Trace';
    document.title = `${summary.rootName} · Trace · DvdSim dashboard`;

    const facts = document.getElementById('trace-facts');
    facts.replaceChildren(...[
      ['Trace id', traceId], ['Started', formatDateTime(summary.start)], ['Duration', formatMs(summary.durationMs)],
      ['Spans', summary.spanCount], ['Resources', summary.services.length],
    ].map(([term, value]) => el('div', {}, el('dt', { text: term }), el('dd', { class: term === 'Trace id' ? 'mono' : null, text: value }))));

    document.getElementById('trace-legend').replaceChildren(...summary.services.map(serviceChip));

    const ticks = el('div', { class: 'ticks' });
    for (const fraction of [0, 0.25, 0.5, 0.75, 1]) {
      const tick = el('span', { text: formatMs(total * fraction) });
      tick.style.left = (fraction * 100) + '%';
      tick.style.transform = fraction === 0 ? 'none' : fraction === 1 ? 'translateX(-100%)' : 'translateX(-50%)';
      ticks.append(tick);
    }
    const rows = [el('div', { class: 'waterfall-axis' }, el('div', { text: 'Resource · span' }), ticks)];

    for (const { span, depth } of ordered(spans)) {
      const offset = new Date(span.start).getTime() - traceStart;
      const label = el('div', { class: 'span-label', title: `${span.service}: ${span.name}` }, serviceChip(span.service), span.name);
      label.style.paddingLeft = (8 + depth * 16) + 'px';
      const bar = el('div', { class: 'span-bar' + (span.status === 'error' ? ' error' : ''), title: `${span.service}: ${span.name} (${formatMs(span.durationMs)})` });
      const left = Math.min(100, Math.max(0, offset / total * 100));
      const width = Math.max(0.2, Math.min(100 - left, span.durationMs / total * 100));
      bar.style.left = left + '%';
      bar.style.width = width + '%';
      bar.style.background = serviceColor(span.service);
      const duration = el('span', { class: 'span-duration', text: formatMs(span.durationMs) });
      // Right of the bar, or left of it when the bar ends near the right edge.
      if (left + width < 88) duration.style.left = (left + width) + '%';
      else duration.style.right = (100 - left) + '%';
      rows.push(el('div', {
        class: 'span-row' + (span.spanId === selectedSpanId ? ' selected' : ''),
        'data-span-id': span.spanId, 'data-service': span.service, 'data-depth': depth, 'data-name': span.name,
        onclick: () => select(span.spanId),
      }, label, el('div', { class: 'span-track' }, bar, duration)));
    }
    waterfall.replaceChildren(...rows);
  }

  function select(spanId) {
    selectedSpanId = spanId;
    const span = spansById.get(spanId);
    for (const row of waterfall.querySelectorAll('.span-row')) row.classList.toggle('selected', row.dataset.spanId === spanId);
    if (!span) { detail.hidden = true; return; }
    detail.hidden = false;
    detail.replaceChildren(...[
      el('h2', {}, serviceChip(span.service), ' ', span.name),
      attributeList([
        { key: 'span id', value: span.spanId }, { key: 'parent span id', value: span.parentSpanId || '(root)' },
        { key: 'kind', value: span.kind }, { key: 'status', value: span.status + (span.statusMessage ? ': ' + span.statusMessage : '') },
        { key: 'scope', value: span.scope }, { key: 'start', value: span.start }, { key: 'duration', value: formatMs(span.durationMs) },
        ...span.attributes,
      ]),
      span.events.length ? el('h2', { text: 'Events' }) : null,
      ...span.events.map(e => el('div', {}, el('strong', { text: `${e.name} ` }), el('span', { class: 'mono', text: e.time }), attributeList(e.attributes))),
    ].filter(Boolean));
  }

  async function refresh() {
    try {
      const { summary, spans } = await getJson(`/api/traces/${traceId}`);
      spansById = new Map(spans.map(s => [s.spanId, s]));
      if (spans.length !== shownSpanCount) {
        shownSpanCount = spans.length;
        render(summary, spans);
        if (selectedSpanId) select(selectedSpanId);
      }
      setStatus('');
    } catch (error) {
      if (error.status !== 404) throw error;
      setStatus('This trace has not arrived yet (or was evicted). Waiting for it…');
    }
  }

  // Services export in batches, so spans of a fresh trace keep arriving for a few seconds.
  poll(refresh, 2500);
})();
