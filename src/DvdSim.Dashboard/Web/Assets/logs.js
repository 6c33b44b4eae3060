'use strict';
(() => {
  const { el, getJson, poll, debounce, setStatus, query, setQuery, fillSelect, formatTime, serviceChip, attributeList } = Dashboard;
  const service = document.getElementById('filter-service');
  const level = document.getElementById('filter-level');
  const text = document.getElementById('filter-text');
  const body = document.querySelector('#logs-table tbody');
  const empty = document.getElementById('logs-empty');
  let shown = '';

  service.dataset.wanted = query('service');
  level.value = query('level');
  text.value = query('text');

  function row(entry) {
    const message = el('td', { class: 'message' }, el('div', { text: entry.message || entry.eventName || '' }));
    if (entry.attributes.length) {
      message.append(el('details', {}, el('summary', { text: `${entry.attributes.length} attributes · ${entry.scope}` }), attributeList(entry.attributes)));
    }
    return el('tr', { class: 'log-row', 'data-service': entry.service, 'data-level': entry.level, 'data-sequence': entry.sequence },
      el('td', { class: 'mono', title: entry.time, text: formatTime(entry.time) }),
      el('td', {}, serviceChip(entry.service)),
      el('td', {}, el('span', { class: `badge level-${entry.level}`, text: entry.level })),
      message,
      el('td', {}, entry.traceId ? el('a', { href: `/traces/${entry.traceId}`, class: 'mono', text: entry.traceId.slice(0, 8) }) : ''));
  }

  async function refresh() {
    fillSelect(service, await getJson('/api/services'), 'All');
    const filters = { service: service.value, minLevel: level.value, text: text.value.trim() };
    const params = new URLSearchParams({ limit: '500' });
    for (const [name, value] of Object.entries(filters)) if (value) params.set(name, value);
    const entries = await getJson('/api/logs?' + params);
    // Re-render only when something changed, so open attribute lists stay open.
    const key = params + '|' + entries.map(e => e.sequence).join(',');
    if (key !== shown) {
      shown = key;
      body.replaceChildren(...entries.map(row));
    }
    empty.hidden = entries.length > 0;
    setStatus(`${entries.length} record${entries.length === 1 ? '' : 's'}${entries.length === 500 ? ' (newest 500)' : ''}`);
  }

  const refreshNow = poll(refresh, 3000);
  function onFilter() {
    setQuery({ service: service.value, level: level.value, text: text.value.trim() });
    refreshNow();
  }
  service.addEventListener('change', onFilter);
  level.addEventListener('change', onFilter);
  text.addEventListener('input', debounce(onFilter, 300));
  document.getElementById('logs-filters').addEventListener('submit', event => { event.preventDefault(); onFilter(); });
})();
