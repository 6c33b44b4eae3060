'use strict';
(() => {
  const { el, getJson, setStatus, query, setQuery, fillSelect, formatTime } = Dashboard;
  const picker = document.getElementById('resource-picker');
  const output = document.getElementById('console-output');
  const follow = document.getElementById('console-follow');
  const MAX_LINES = 5000;
  let source = null;

  function append(line) {
    const atBottom = output.scrollHeight - output.scrollTop - output.clientHeight < 40;
    output.append(el('div', { class: 'console-line' + (line.isError ? ' stderr' : ''), 'data-resource': line.resource },
      el('time', { datetime: line.at, text: formatTime(line.at) }), line.text));
    while (output.childElementCount > MAX_LINES) output.firstElementChild.remove();
    if (follow.checked && atBottom) output.scrollTop = output.scrollHeight;
  }

  function open(name) {
    if (source) source.close();
    output.replaceChildren();
    if (!name) return;
    setQuery({ resource: name });
    setStatus('connecting…');
    source = new EventSource(`/api/resources/${encodeURIComponent(name)}/console/stream`);
    source.onopen = () => setStatus('live');
    source.onmessage = event => append(JSON.parse(event.data));
    // EventSource reconnects by itself; the backlog is sent again, so start from an empty view.
    source.onerror = () => { setStatus('disconnected, reconnecting…', true); output.replaceChildren(); };
  }

  async function loadResources() {
    const resources = await getJson('/api/resources');
    picker.dataset.wanted = query('resource') || (resources.find(r => r.kind === 'project') || resources[0] || {}).name || '';
    fillSelect(picker, resources.map(r => r.name));
    if (picker.value !== picker.dataset.wanted && resources.some(r => r.name === picker.dataset.wanted)) picker.value = picker.dataset.wanted;
  }

  picker.addEventListener('change', () => open(picker.value));
  follow.addEventListener('change', () => { if (follow.checked) output.scrollTop = output.scrollHeight; });

  loadResources().then(() => open(picker.value)).catch(error => setStatus(error.message, true));
  // New resources appear in the picker without touching the open stream.
  setInterval(() => loadResources().catch(() => {}), 5000);
})();
