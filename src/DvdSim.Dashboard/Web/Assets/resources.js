'use strict';
(() => {
  const { el, getJson, post, poll, setStatus, formatDateTime } = Dashboard;
  const body = document.querySelector('#resources-table tbody');
  const empty = document.getElementById('resources-empty');
  const rows = new Map();
  const busy = new Set();

  const STOPPED = ['notStarted', 'exited', 'stopped', 'failed'];
  const RUNNING = ['starting', 'running', 'unhealthy', 'restarting'];

  function stateText(state) {
    return state.replace(/[A-Z]/g, c => ' ' + c.toLowerCase());
  }

  function createRow(name) {
    const cells = {};
    for (const field of ['name', 'kind', 'state', 'processId', 'endpoints', 'startedAt', 'restarts', 'exitCode', 'actions']) {
      cells[field] = el('td', { 'data-field': field });
    }
    cells.name.append(el('strong', { text: name }));
    const actions = {};
    for (const action of ['start', 'stop', 'restart']) {
      actions[action] = el('button', { type: 'button', 'data-action': action, 'data-resource': name,
        text: action[0].toUpperCase() + action.slice(1), onclick: () => act(name, action) });
      cells.actions.append(actions[action]);
    }
    const row = el('tr', { 'data-resource': name }, Object.values(cells));
    return { row, cells, actions };
  }

  function update(entry, resource) {
    const { cells, actions, row } = entry;
    row.dataset.state = resource.state;
    cells.kind.textContent = resource.kind;
    cells.state.replaceChildren(el('span', { class: `badge state-${resource.state}`, text: stateText(resource.state) }));
    cells.processId.textContent = resource.processId ?? '–';
    cells.endpoints.replaceChildren(el('div', { class: 'endpoints' }, (resource.endpoints || []).map(endpoint =>
      endpoint.startsWith('http') ? el('a', { href: endpoint, target: '_blank', rel: 'noopener', text: endpoint }) : el('span', { class: 'mono', text: endpoint }))));
    cells.startedAt.textContent = formatDateTime(resource.startedAt);
    cells.restarts.textContent = resource.restarts;
    cells.exitCode.textContent = resource.exitCode ?? '–';
    const isBusy = busy.has(resource.name);
    actions.start.disabled = isBusy || !STOPPED.includes(resource.state);
    actions.stop.disabled = isBusy || !RUNNING.includes(resource.state);
    actions.restart.disabled = isBusy || resource.state === 'stopping';
  }

  async function refresh() {
    const resources = await getJson('/api/resources');
    const seen = new Set();
    for (const resource of resources) {
      seen.add(resource.name);
      let entry = rows.get(resource.name);
      if (!entry) { entry = createRow(resource.name); rows.set(resource.name, entry); }
      body.append(entry.row); // keeps the monitor's order
      update(entry, resource);
    }
    for (const [name, entry] of rows) {
      if (!seen.has(name)) { entry.row.remove(); rows.delete(name); }
    }
    empty.hidden = resources.length > 0;
  }

  async function act(name, action) {
    busy.add(name);
    await refreshNow();
    setStatus(`${action} ${name}…`);
    try {
      await post(`/api/resources/${encodeURIComponent(name)}/${action}`);
      setStatus(`${action} ${name}: done`);
    } catch (error) {
      setStatus(error.message, true);
    } finally {
      busy.delete(name);
      await refreshNow();
    }
  }

  const refreshNow = poll(refresh, 2000);
})();
