'use strict';
(() => {
  const { el, getJson, poll, debounce, setStatus, query, setQuery, fillSelect, formatMs, formatDateTime, serviceChip } = Dashboard;
  const service = document.getElementById('filter-service');
  const name = document.getElementById('filter-name');
  const minDuration = document.getElementById('filter-min-duration');
  const body = document.querySelector('#traces-table tbody');
  const empty = document.getElementById('traces-empty');
  let shown = '';

  service.dataset.wanted = query('service');
  name.value = query('name');
  minDuration.value = query('minDurationMs');

  function row(trace, longest) {
    const bar = el('div', { class: 'duration-bar' });
    bar.style.width = Math.max(1, trace.durationMs / longest * 100) + '%';
    return el('tr', { class: 'trace-row', 'data-trace-id': trace.traceId },
      el('td', { class: 'mono', text: formatDateTime(trace.start) }),
      el('td', {},
        el('a', { class: 'trace-link', href: `/traces/${trace.traceId}`, text: trace.rootName || '(unnamed)' }),
        trace.hasError ? el('span', { class: 'error-mark', title: 'a span failed', text: '!' }) : null),
      el('td', {}, trace.services.map(serviceChip)),
      el('td', { class: 'duration-cell' }, formatMs(trace.durationMs), bar),
      el('td', { class: 'number', text: trace.spanCount }));
  }

  async function refresh() {
    fillSelect(service, await getJson('/api/services'), 'All');
    const params = new URLSearchParams({ limit: '200' });
    if (service.value) params.set('service', service.value);
    if (name.value.trim()) params.set('name', name.value.trim());
    if (minDuration.value) params.set('minDurationMs', minDuration.value);
    const traces = await getJson('/api/traces?' + params);
    const key = params + '|' + JSON.stringify(traces);
    if (key !== shown) {
      shown = key;
      const longest = Math.max(1, ...traces.map(t => t.durationMs));
      body.replaceChildren(...traces.map(t => row(t, longest)));
    }
    empty.hidden = traces.length > 0;
    setStatus(`${traces.length} trace${traces.length === 1 ? '' : 's'}`);
  }

  const refreshNow = poll(refresh, 3000);
  function onFilter() {
    setQuery({ service: service.value, name: name.value.trim(), minDurationMs: minDuration.value });
    refreshNow();
  }
  service.addEventListener('change', onFilter);
  name.addEventListener('input', debounce(onFilter, 300));
  minDuration.addEventListener('input', debounce(onFilter, 300));
  document.getElementById('traces-filters').addEventListener('submit', event => { event.preventDefault(); onFilter(); });
})();
