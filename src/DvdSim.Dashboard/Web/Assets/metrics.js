'use strict';
(() => {
  const { el, getJson, poll, setStatus, formatWithUnit, formatNumber, serviceChip, sparkline } = Dashboard;
  const cards = document.getElementById('key-metrics');
  const memoryBody = document.querySelector('#memory-table tbody');
  const instrumentBody = document.querySelector('#metrics-table tbody');

  const shows = { rate: 'per second', mean: 'mean per interval', value: 'value' };

  function card(highlight) {
    const t = highlight.timeline;
    return el('div', { class: 'metric-card', 'data-metric-key': highlight.key, 'data-service': t.service, 'data-metric': t.name },
      el('div', { class: 'title', text: highlight.title }),
      el('div', { class: 'value', text: formatWithUnit(t.latest, t.displayUnit) }),
      el('div', { class: 'service' }, serviceChip(t.service),
        t.total !== null && t.total !== undefined ? ` ${formatNumber(t.total, 0)} ${t.shows === 'mean' ? 'recorded' : 'so far'}` : ''),
      sparkline(t.points, 200, 36));
  }

  async function refresh() {
    const overview = await getJson('/api/metrics');
    cards.replaceChildren(...(overview.highlights.length
      ? overview.highlights.map(card)
      : [el('p', { class: 'empty', text: 'dvdsim.rentals, dvdsim.payments and dvdsim.week.duration appear here once the services report them.' })]));

    memoryBody.replaceChildren(...overview.memory.map(t => el('tr', { 'data-service': t.service, 'data-metric': t.name },
      el('td', {}, serviceChip(t.service)), el('td', { class: 'mono', text: t.name }),
      el('td', { class: 'number', text: formatWithUnit(t.latest, t.displayUnit) }), el('td', {}, sparkline(t.points)))));
    document.getElementById('memory-empty').hidden = overview.memory.length > 0;

    instrumentBody.replaceChildren(...overview.instruments.map(t => el('tr', { 'data-service': t.service, 'data-metric': t.name },
      el('td', {}, serviceChip(t.service)),
      el('td', { title: t.description || '' }, el('span', { class: 'mono', text: t.name })),
      el('td', { text: shows[t.shows] || t.shows }),
      el('td', { class: 'number', text: formatWithUnit(t.latest, t.displayUnit) }),
      el('td', { class: 'number', text: t.total === null || t.total === undefined ? '' : formatNumber(t.total, 0) }),
      el('td', {}, sparkline(t.points)))));
    document.getElementById('metrics-empty').hidden = overview.instruments.length > 0;
    setStatus(`${overview.instruments.length} instruments`);
  }

  poll(refresh, 3000);
})();
