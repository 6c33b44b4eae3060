'use strict';
// Helpers shared by every page: DOM building (text only, never innerHTML), JSON calls, polling, formatting.
const Dashboard = (() => {
  const SVG_NS = 'http://www.w3.org/2000/svg';

  function build(element, attributes, children) {
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'text') element.textContent = value;
      else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
      else element.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return element;
  }

  const el = (tag, attributes, ...children) => build(document.createElement(tag), attributes, children);
  const svg = (tag, attributes, ...children) => build(document.createElementNS(SVG_NS, tag), attributes, children);

  function setStatus(message, isError) {
    const status = document.getElementById('status');
    if (!status) return;
    status.textContent = message || '';
    status.classList.toggle('error', !!isError);
  }

  async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
    if (response.status === 401) {
      location.reload(); // the gate shows the login page
      throw new Error('not logged in');
    }
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      const error = new Error((body && body.error) || `${url} answered ${response.status}`);
      error.status = response.status;
      throw error;
    }
    return body;
  }

  async function post(url) {
    const response = await fetch(url, { method: 'POST', headers: { 'X-Dashboard-Request': '1', Accept: 'application/json' } });
    const body = await response.json().catch(() => null);
    if (!response.ok) throw new Error((body && body.error) || `${url} answered ${response.status}`);
    return body;
  }

  // Runs refresh() now and every intervalMs after the previous run ends; returns a function that runs it at once.
  function poll(refresh, intervalMs) {
    let timer = null;
    const connection = document.getElementById('connection');
    async function tick() {
      clearTimeout(timer);
      try {
        await refresh();
        if (connection) connection.textContent = 'updated ' + new Date().toLocaleTimeString();
      } catch (error) {
        setStatus(error.message, true);
      } finally {
        timer = setTimeout(tick, typeof intervalMs === 'function' ? intervalMs() : intervalMs);
      }
    }
    tick();
    return tick;
  }

  function debounce(action, ms) {
    let timer = null;
    return (...args) => { clearTimeout(timer); timer = setTimeout(() => action(...args), ms); };
  }

  function query(name) { return new URLSearchParams(location.search).get(name) || ''; }

  function setQuery(values) {
    const params = new URLSearchParams(location.search);
    for (const [name, value] of Object.entries(values)) {
      if (value === '' || value === null || value === undefined) params.delete(name); else params.set(name, value);
    }
    const search = params.toString();
    history.replaceState(null, '', location.pathname + (search ? '?' + search : ''));
  }

  function formatMs(ms) {
    if (ms === null || ms === undefined || Number.isNaN(ms)) return '–';
    if (ms < 1) return ms.toFixed(2) + ' ms';
    if (ms < 100) return ms.toFixed(1) + ' ms';
    if (ms < 1000) return Math.round(ms) + ' ms';
    if (ms < 60000) return (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + ' s';
    const minutes = Math.floor(ms / 60000);
    if (minutes < 60) return `${minutes} min ${Math.round((ms % 60000) / 1000)} s`;
    return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  }

  function formatNumber(value, digits) {
    if (value === null || value === undefined || Number.isNaN(value)) return '–';
    const max = digits === undefined ? (Math.abs(value) < 10 ? 2 : Math.abs(value) < 1000 ? 1 : 0) : digits;
    return value.toLocaleString('en-US', { maximumFractionDigits: max });
  }

  function formatBytes(bytes) {
    if (bytes === null || bytes === undefined) return '–';
    const units = ['B', 'KiB', 'MiB', 'GiB'];
    let value = bytes, unit = 0;
    while (Math.abs(value) >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
    return value.toFixed(unit === 0 ? 0 : 1) + ' ' + units[unit];
  }

  // A value with its OTLP/UCUM unit, e.g. "By" as bytes, "ms" as a duration.
  function formatWithUnit(value, unit) {
    if (value === null || value === undefined) return '–';
    if (unit === 'By') return formatBytes(value);
    if (unit === 'By/s') return formatBytes(value) + '/s';
    if (unit === 'ms') return formatMs(value);
    if (unit === 's') return formatMs(value * 1000);
    const shown = (unit || '').replace(/^\{[^}]*\}/, '');
    return formatNumber(value) + (shown ? ' ' + shown : '');
  }

  function formatTime(iso) {
    const date = new Date(iso);
    return date.toLocaleTimeString('en-GB', { hour12: false }) + '.' + String(date.getMilliseconds()).padStart(3, '0');
  }

  function formatDateTime(iso) {
    if (!iso) return '–';
    const date = new Date(iso);
    return date.toLocaleDateString('en-CA') + ' ' + date.toLocaleTimeString('en-GB', { hour12: false });
  }

  const KNOWN_COLORS = { coordinator: '#6f42c1', inventory: '#4e79a7', transactions: '#f28e2b', payments: '#59a14f', schema: '#76b7b2' };
  function serviceColor(name) {
    if (KNOWN_COLORS[name]) return KNOWN_COLORS[name];
    let hash = 0;
    for (const ch of name || '') hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
    return `hsl(${hash % 360} 55% 45%)`;
  }

  function serviceChip(name) {
    const chip = el('span', { class: 'chip', 'data-service': name, text: name });
    chip.style.background = serviceColor(name);
    return chip;
  }

  function sparkline(points, width = 140, height = 28) {
    const chart = svg('svg', { class: 'sparkline', width, height, viewBox: `0 0 ${width} ${height}` });
    const values = (points || []).map(p => p.value);
    if (values.length < 2) return chart;
    const min = Math.min(...values), max = Math.max(...values);
    // A flat series is drawn through the middle rather than along the bottom edge.
    const y = v => (max === min ? height / 2 : height - 2 - (v - min) / (max - min) * (height - 4)).toFixed(1);
    const coordinates = values.map((v, i) => `${(i / (values.length - 1) * (width - 2) + 1).toFixed(1)},${y(v)}`);
    chart.append(svg('polyline', { points: coordinates.join(' ') }));
    return chart;
  }

  function attributeList(attributes) {
    const list = el('dl', { class: 'attributes' });
    for (const a of attributes || []) list.append(el('dt', { text: a.key }), el('dd', { text: a.value }));
    return list;
  }

  // Fills a <select> with "All" (when allLabel is given) plus the names, keeping the current choice.
  function fillSelect(select, names, allLabel) {
    const current = select.value || select.dataset.wanted || '';
    const wanted = [...(allLabel !== undefined ? [''] : []), ...names];
    if (current && !wanted.includes(current)) wanted.push(current);
    const existing = [...select.options].map(o => o.value);
    if (existing.join('\n') === wanted.join('\n')) return;
    select.replaceChildren(...wanted.map(name => el('option', { value: name, text: name === '' ? allLabel : name })));
    select.value = current;
  }

  return { el, svg, setStatus, getJson, post, poll, debounce, query, setQuery, formatMs, formatNumber, formatBytes, formatWithUnit,
    formatTime, formatDateTime, serviceColor, serviceChip, sparkline, attributeList, fillSelect };
})();
