// Orchestrator dashboard. Plain JavaScript, no build step. Every value from the server is put in the
// page as text (textContent or attribute values), never as HTML: task output is untrusted.
'use strict';

const POLL_MS = 2000;
const TASK_PAGE = 50;
const RUN_PAGE = 50;
let session = { csrfToken: null, readOnly: true };
let current = null;       // { refresh: async fn } of the view shown
let generation = 0;       // bumped on each navigation, so late answers of an old view are dropped

// ---------------------------------------------------------------- helpers

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

function svg(tag, attrs, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  append(el, children);
  return el;
}

function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

async function api(path, options) {
  const res = await fetch(path, Object.assign({ headers: { 'Accept': 'application/json' }, credentials: 'same-origin' }, options || {}));
  let body = null;
  try { body = await res.json(); } catch (e) { /* not JSON */ }
  if (!res.ok) {
    const msg = body && body.error ? body.error.message : res.statusText;
    const err = new Error(res.status + ': ' + msg);
    err.status = res.status;
    throw err;
  }
  return body;
}

function post(path, body) {
  return api(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken, 'Accept': 'application/json' },
    body: JSON.stringify(body || {})
  });
}

function showError(message) {
  const el = document.getElementById('error');
  if (message) { el.textContent = message; el.hidden = false; } else { el.hidden = true; el.textContent = ''; }
}

function status(s) { return h('span', { class: 'status ' + s, 'data-status': s }, s); }

function fmtTime(iso) { return iso ? new Date(iso).toLocaleString() : '–'; }

function fmtDuration(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  seconds = Math.round(seconds);
  const h_ = Math.floor(seconds / 3600), m = Math.floor(seconds % 3600 / 60), s = seconds % 60;
  return (h_ ? h_ + 'h ' : '') + (h_ || m ? m + 'm ' : '') + s + 's';
}

function since(a, b) {
  if (!a) return '–';
  const end = b ? new Date(b) : new Date();
  return fmtDuration((end - new Date(a)) / 1000);
}

function bar(total, ok, fail, run, skip) {
  // widths through the CSSOM: the Content-Security-Policy forbids inline style attributes
  const part = (cls, n) => { const el = h('span', { class: cls }); el.style.width = total ? (100 * n / total) + '%' : '0%'; return el; };
  return h('div', { class: 'bar', title: `${ok} succeeded, ${fail} failed, ${run} running, ${skip} skipped, ${Math.max(0, total - ok - fail - run - skip)} pending of ${total}` },
    part('ok', ok), part('fail', fail), part('skip', skip), part('run', run));
}

function qs(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') p.set(k, v);
  const s = p.toString();
  return s ? '?' + s : '';
}

function actionButton(label, confirmText, path, opts) {
  opts = opts || {};
  return h('button', {
    class: opts.danger ? 'danger' : null, 'data-action': opts.name || label.toLowerCase(),
    disabled: session.readOnly, title: session.readOnly ? 'read-only dashboard' : null,
    onclick: async (e) => {
      if (!window.confirm(confirmText)) return;
      e.target.disabled = true;
      try {
        await post(path, opts.body);
        showError(null);
        if (current) await current.refresh();
      } catch (err) {
        showError(label + ' failed: ' + err.message);
      } finally {
        e.target.disabled = session.readOnly;
      }
    }
  }, label);
}

// ---------------------------------------------------------------- views

function workflowsView() {
  const body = h('div');
  const node = h('section', {}, h('h1', {}, 'Workflows'), body);
  const open = new Set();
  async function refresh() {
    const data = await api('/api/workflows');
    const rows = data.workflows.map(w => {
      const form = triggerForm(w.name);
      form.hidden = !open.has(w.name);
      return [
        h('tr', { 'data-workflow': w.name },
          h('td', {}, h('a', { href: '#/runs' + qs({ workflow: w.name }) }, w.name), h('div', { class: 'muted' }, 'v' + w.version)),
          h('td', {}, w.steps.map(s => h('div', {}, s.name + ' × ' + s.tasks + ' (' + s.executor + ')',
            s.dependsOn.length ? h('span', { class: 'muted' }, ' after ' + s.dependsOn.join(', ')) : null))),
          h('td', {}, w.lastRuns.length ? w.lastRuns.map(r => h('a', { href: '#/runs/' + r.id, title: fmtTime(r.createdAt) }, status(r.status), ' ')) : h('span', { class: 'muted' }, 'no runs')),
          h('td', {}, h('button', { 'data-action': 'show-trigger', disabled: session.readOnly,
            onclick: () => { if (open.has(w.name)) open.delete(w.name); else open.add(w.name); form.hidden = !open.has(w.name); } }, 'Trigger…'))),
        h('tr', { class: 'trigger-row' }, h('td', { colspan: 4 }, form))
      ];
    });
    replace(body, data.workflows.length ? h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, 'Workflow'), h('th', {}, 'Steps'), h('th', {}, 'Last runs'), h('th', {}, ''))),
      h('tbody', {}, rows)) : h('p', { class: 'muted' }, 'No workflow is registered.'));
  }
  return { node, refresh };
}

function triggerForm(name) {
  const params = h('textarea', { name: 'parameters', placeholder: 'one key=value per line' });
  const key = h('input', { name: 'idempotencyKey', placeholder: 'optional idempotency key' });
  return h('form', { class: 'trigger', onsubmit: async (e) => {
    e.preventDefault();
    const parameters = {};
    for (const line of params.value.split('\n')) {
      if (!line.trim()) continue;
      const eq = line.indexOf('=');
      if (eq < 1) { showError('Each parameter line must be key=value, got: ' + line); return; }
      parameters[line.slice(0, eq).trim()] = line.slice(eq + 1);
    }
    if (!window.confirm('Trigger a run of ' + name + '?')) return;
    try {
      const r = await post('/api/workflows/' + encodeURIComponent(name) + '/trigger', { parameters, idempotencyKey: key.value });
      showError(null);
      location.hash = '#/runs/' + r.runId;
    } catch (err) { showError('Trigger failed: ' + err.message); }
  } }, h('label', {}, 'Parameters', params), ' ', key, ' ', h('button', { type: 'submit' }, 'Trigger run'));
}

function runsView(params) {
  const filters = { workflow: params.workflow || '', status: params.status || '', triggeredBy: params.triggeredBy || '',
    createdAfter: params.createdAfter || '', createdBefore: params.createdBefore || '' };
  const cursors = params.cursor ? params.cursor.split(',') : [];
  const wf = h('select', { name: 'workflow' }, h('option', { value: '' }, 'any workflow'));
  const st = h('select', { name: 'status' }, ['', 'PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'].map(s => h('option', { value: s }, s || 'any status')));
  const tb = h('input', { name: 'triggeredBy', placeholder: 'manual, api:…' });
  const after = h('input', { name: 'createdAfter', type: 'datetime-local' });
  const before = h('input', { name: 'createdBefore', type: 'datetime-local' });
  st.value = filters.status; tb.value = filters.triggeredBy;
  if (filters.createdAfter) after.value = toLocalInput(filters.createdAfter);
  if (filters.createdBefore) before.value = toLocalInput(filters.createdBefore);
  api('/api/workflows').then(d => {
    for (const w of d.workflows) wf.appendChild(h('option', { value: w.name }, w.name));
    wf.value = filters.workflow;
  }).catch(() => {});
  const form = h('form', { class: 'filters', onsubmit: (e) => {
    e.preventDefault();
    location.hash = '#/runs' + qs({ workflow: wf.value, status: st.value, triggeredBy: tb.value.trim(),
      createdAfter: after.value ? new Date(after.value).toISOString() : '', createdBefore: before.value ? new Date(before.value).toISOString() : '' });
  } }, h('label', {}, 'Workflow', wf), h('label', {}, 'Status', st), h('label', {}, 'Triggered by', tb),
    h('label', {}, 'Created after', after), h('label', {}, 'Created before', before), h('button', { type: 'submit' }, 'Filter'));
  const body = h('div');
  const node = h('section', {}, h('h1', {}, 'Runs'), form, body);
  async function refresh() {
    const data = await api('/api/runs' + qs(Object.assign({}, filters, { limit: RUN_PAGE, cursor: cursors[cursors.length - 1] })));
    const rows = data.runs.map(r => h('tr', { 'data-run-id': r.id },
      h('td', {}, h('a', { href: '#/runs/' + r.id }, '#' + r.id)),
      h('td', {}, r.workflow, h('span', { class: 'muted' }, ' v' + r.workflowVersion)),
      h('td', {}, status(r.status)),
      h('td', {}, bar(r.taskCount, r.succeeded, r.failed, 0, r.finished - r.succeeded - r.failed)),
      h('td', {}, r.finished + ' / ' + r.taskCount, r.failed ? h('span', { class: 'muted' }, ' (' + r.failed + ' failed)') : null),
      h('td', {}, r.triggeredBy),
      h('td', {}, fmtTime(r.createdAt)),
      h('td', {}, since(r.startedAt, r.finishedAt))));
    const base = Object.assign({}, filters);
    replace(body,
      data.runs.length ? h('table', { id: 'runs' },
        h('thead', {}, h('tr', {}, ['Run', 'Workflow', 'Status', 'Progress', 'Tasks', 'Triggered by', 'Created', 'Duration'].map(t => h('th', {}, t)))),
        h('tbody', {}, rows)) : h('p', { class: 'muted' }, 'No run matches.'),
      h('div', { class: 'pager' },
        cursors.length ? h('a', { href: '#/runs' + qs(Object.assign({}, base, { cursor: cursors.slice(0, -1).join(',') })) }, '← Newer') : null,
        data.nextCursor ? h('a', { href: '#/runs' + qs(Object.assign({}, base, { cursor: cursors.concat([data.nextCursor]).join(',') })) }, 'Older →') : null));
  }
  return { node, refresh };
}

function toLocalInput(iso) {
  const d = new Date(iso);
  const pad = n => String(n).padStart(2, '0');
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + 'T' + pad(d.getHours()) + ':' + pad(d.getMinutes());
}

function dag(steps) {
  const depth = [];
  const depthOf = (i, seen) => {
    if (depth[i] !== undefined) return depth[i];
    if (seen.has(i)) return 0;
    seen.add(i);
    const d = steps[i].dependsOn.length ? 1 + Math.max(...steps[i].dependsOn.map(j => depthOf(j, seen))) : 0;
    depth[i] = d;
    return d;
  };
  steps.forEach((s, i) => depthOf(i, new Set()));
  const rowsAt = {};
  const pos = steps.map((s, i) => { const d = depth[i]; rowsAt[d] = (rowsAt[d] || 0) + 1; return { x: 20 + d * 210, y: 15 + (rowsAt[d] - 1) * 70 }; });
  const width = 20 + (Math.max(0, ...depth) + 1) * 210, height = 15 + Math.max(1, ...Object.values(rowsAt)) * 70;
  const el = svg('svg', { class: 'dag', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'steps of the run' });
  el.appendChild(svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 6, markerHeight: 6, orient: 'auto' }, svg('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#90a4ae' }))));
  steps.forEach((s, i) => s.dependsOn.forEach(j => {
    const a = pos[j], b = pos[i];
    el.appendChild(svg('path', { d: `M${a.x + 170},${a.y + 24} C${a.x + 190},${a.y + 24} ${b.x - 20},${b.y + 24} ${b.x},${b.y + 24}`, fill: 'none', stroke: '#90a4ae', 'marker-end': 'url(#arrow)' }));
  }));
  const color = { SUCCEEDED: '#2e7d32', FAILED: '#c62828', SKIPPED: '#8d6e63', READY: '#1565c0', WAITING: '#90a4ae' };
  steps.forEach((s, i) => {
    const p = pos[i], w = 150, frac = n => s.taskCount ? w * n / s.taskCount : 0;
    const g = svg('g', { 'data-step': s.name });
    g.appendChild(svg('rect', { x: p.x, y: p.y, width: 170, height: 48, rx: 5, fill: '#fff', stroke: color[s.status] || '#90a4ae', 'stroke-width': 2 }));
    g.appendChild(svg('text', { x: p.x + 10, y: p.y + 18 }, s.name.length > 20 ? s.name.slice(0, 19) + '…' : s.name));
    g.appendChild(svg('rect', { x: p.x + 10, y: p.y + 28, width: w, height: 8, fill: '#cfd8dc' }));
    let x = p.x + 10;
    for (const [n, c] of [[s.succeeded, '#2e7d32'], [s.failed, '#c62828'], [s.skipped, '#8d6e63'], [s.running, '#1565c0']]) {
      if (n) g.appendChild(svg('rect', { x, y: p.y + 28, width: frac(n), height: 8, fill: c }));
      x += frac(n);
    }
    g.appendChild(svg('title', {}, `${s.name}: ${s.status}, ${s.finished}/${s.taskCount} done`));
    el.appendChild(g);
  });
  return el;
}

function runView(runId, params) {
  const taskFilter = { step: params.step || '', status: params.status || '' };
  const cursors = params.cursor ? params.cursor.split(',') : [];
  const head = h('div'), stepsEl = h('div'), tasksEl = h('div');
  const node = h('section', {}, head, stepsEl, h('h2', {}, 'Tasks'), tasksEl);
  const stepSel = h('select', { name: 'step' }, h('option', { value: '' }, 'every step'));
  const statusSel = h('select', { name: 'status' }, ['', 'WAITING', 'PENDING', 'DISPATCHED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'SKIPPED'].map(s => h('option', { value: s }, s || 'any status')));
  statusSel.value = taskFilter.status;
  const taskForm = h('form', { class: 'filters', onsubmit: (e) => { e.preventDefault(); location.hash = '#/runs/' + runId + qs({ step: stepSel.value, status: statusSel.value }); } },
    h('label', {}, 'Step', stepSel), h('label', {}, 'Status', statusSel), h('button', { type: 'submit' }, 'Show'));
  const taskTable = h('div');
  append(tasksEl, [taskForm, taskTable]);
  let stepsFilled = false;
  async function refresh() {
    const [r, t] = await Promise.all([
      api('/api/runs/' + runId),
      api('/api/runs/' + runId + '/tasks' + qs(Object.assign({}, taskFilter, { limit: TASK_PAGE, cursor: cursors[cursors.length - 1] })))]);
    if (!stepsFilled) {
      for (const s of r.steps) stepSel.appendChild(h('option', { value: s.index }, s.name));
      stepSel.value = taskFilter.step;
      stepsFilled = true;
    }
    const ended = ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(r.status);
    replace(head,
      h('h1', {}, 'Run #' + r.id + ' · ', h('a', { href: '#/runs' + qs({ workflow: r.workflow }) }, r.workflow), ' v' + r.workflowVersion + ' ', h('span', { id: 'run-status' }, status(r.status))),
      h('div', { class: 'actions' },
        actionButton('Cancel run', 'Cancel run #' + r.id + '? Pending tasks are cancelled and running ones stopped.', '/api/runs/' + r.id + '/cancel', { danger: true, name: 'cancel-run' }),
        actionButton('Retry run', 'Run the failed and cancelled tasks of run #' + r.id + ' again?', '/api/runs/' + r.id + '/retry', { name: 'retry-run' })),
      h('div', { class: 'stats' },
        h('div', {}, h('b', {}, r.finished + ' / ' + r.taskCount), 'tasks done'),
        h('div', {}, h('b', { id: 'succeeded' }, r.succeeded), 'succeeded'),
        h('div', {}, h('b', { id: 'failed' }, r.failed), 'failed'),
        h('div', {}, h('b', {}, r.running), 'running'),
        h('div', {}, h('b', {}, r.tasksPerSecond === null ? '–' : r.tasksPerSecond.toFixed(1) + '/s'), 'rate'),
        h('div', {}, h('b', {}, ended ? 'ended' : fmtDuration(r.etaSeconds)), 'ETA'),
        h('div', {}, h('b', {}, since(r.startedAt, r.finishedAt)), 'elapsed'),
        h('div', {}, h('b', {}, r.triggeredBy), fmtTime(r.createdAt))),
      Object.keys(r.parameters).length ? h('div', { class: 'muted' }, 'Parameters: ', Object.entries(r.parameters).map(([k, v]) => k + '=' + v).join(', ')) : null,
      bar(r.taskCount, r.succeeded, r.failed, r.running, r.finished - r.succeeded - r.failed));
    replace(stepsEl, h('h2', {}, 'Steps'), dag(r.steps),
      h('table', { id: 'steps' }, h('thead', {}, h('tr', {}, ['Step', 'Status', 'Progress', 'Succeeded', 'Failed', 'Running', 'Pending', 'Skipped'].map(x => h('th', {}, x)))),
        h('tbody', {}, r.steps.map(s => h('tr', { 'data-step': s.name },
          h('td', {}, h('a', { href: '#/runs/' + runId + qs({ step: s.index }) }, s.name)), h('td', {}, status(s.status)),
          h('td', {}, bar(s.taskCount, s.succeeded, s.failed, s.running, s.skipped)),
          h('td', {}, s.succeeded), h('td', {}, s.failed ? h('a', { href: '#/runs/' + runId + qs({ step: s.index, status: 'FAILED' }) }, s.failed) : 0),
          h('td', {}, s.running), h('td', {}, s.pending), h('td', {}, s.skipped))))));
    const base = Object.assign({}, taskFilter);
    replace(taskTable,
      t.tasks.length ? h('table', { id: 'tasks' },
        h('thead', {}, h('tr', {}, ['Task', 'Step', 'Status', 'Attempt', 'Exit', 'Node', 'Error'].map(x => h('th', {}, x)))),
        h('tbody', {}, t.tasks.map(x => h('tr', { 'data-task-id': x.id, 'data-task-status': x.status },
          h('td', {}, h('a', { href: '#/runs/' + runId + '/tasks/' + x.id, class: 'task-link' }, x.stepName + '[' + x.index + ']')),
          h('td', {}, x.stepName), h('td', {}, status(x.status)), h('td', {}, x.attempt),
          h('td', {}, x.exitCode === null ? '–' : x.exitCode), h('td', {}, x.owner || '–'),
          h('td', {}, x.error ? (x.error.length > 120 ? x.error.slice(0, 119) + '…' : x.error) : ''))))) : h('p', { class: 'muted' }, 'No task matches.'),
      h('div', { class: 'pager' },
        cursors.length ? h('a', { href: '#/runs/' + runId + qs(Object.assign({}, base, { cursor: cursors.slice(0, -1).join(',') })) }, '← Previous') : null,
        t.nextCursor ? h('a', { href: '#/runs/' + runId + qs(Object.assign({}, base, { cursor: cursors.concat([t.nextCursor]).join(',') })) }, 'Next →') : null));
  }
  return { node, refresh };
}

function taskView(runId, taskId) {
  const body = h('div');
  const node = h('section', {},
    h('h1', {}, 'Task ' + taskId + ' of ', h('a', { href: '#/runs/' + runId }, 'run #' + runId)),
    h('div', { class: 'actions' }, actionButton('Cancel task', 'Cancel task ' + taskId + '?', '/api/tasks/' + taskId + '/cancel', { danger: true, name: 'cancel-task' })),
    body);
  async function refresh() {
    const data = await api('/api/tasks/' + taskId + '/attempts');
    replace(body, data.attempts.slice().reverse().map(a => h('div', { class: 'attempt', 'data-attempt': a.attempt },
      h('h2', {}, 'Attempt ' + a.attempt + ' ', status(a.outcome)),
      h('table', {}, h('tbody', {},
        h('tr', {}, h('th', {}, 'Node'), h('td', {}, a.node || '–'), h('th', {}, 'Execution'), h('td', {}, a.executionName || '–')),
        h('tr', {}, h('th', {}, 'Started'), h('td', {}, fmtTime(a.startedAt)), h('th', {}, 'Ended'), h('td', {}, fmtTime(a.finishedAt) + ' (' + since(a.startedAt, a.finishedAt) + ')')),
        h('tr', {}, h('th', {}, 'Exit code'), h('td', { class: 'exit-code' }, a.exitCode === null ? '–' : a.exitCode), h('th', {}, 'Full log'),
          h('td', {}, a.logUrl ? h('a', { href: a.logUrl, target: '_blank', rel: 'noopener' }, 'open log') : h('span', { class: 'muted' }, 'not local'))))),
      a.error ? [h('h2', {}, 'Error'), h('pre', { class: 'output error-text' }, a.error)] : null,
      h('h2', {}, 'Output tail'),
      a.outputTail ? h('pre', { class: 'output output-tail' }, a.outputTail) : h('p', { class: 'muted' }, 'no output'))));
  }
  return { node, refresh };
}

function nodesView() {
  const body = h('div');
  const node = h('section', {}, h('h1', {}, 'Nodes'), body);
  async function refresh() {
    const data = await api('/api/nodes');
    replace(body, data.nodes.length ? h('table', { id: 'nodes' },
      h('thead', {}, h('tr', {}, ['Node', 'Last heartbeat', 'Started', 'Running tasks'].map(x => h('th', {}, x)))),
      h('tbody', {}, data.nodes.map(n => h('tr', { 'data-node': n.id },
        h('td', {}, n.id), h('td', {}, fmtDuration(n.heartbeatAgeMillis / 1000) + ' ago'),
        h('td', {}, fmtTime(n.startedAt)), h('td', {}, n.runningTasks))))) : h('p', { class: 'muted' }, 'No node is running.'));
  }
  return { node, refresh };
}

// ---------------------------------------------------------------- routing and polling

function route() {
  const hash = location.hash.replace(/^#/, '') || '/runs';
  const [path, query] = hash.split('?');
  const params = Object.fromEntries(new URLSearchParams(query || ''));
  const parts = path.split('/').filter(Boolean);
  document.querySelectorAll('header nav a').forEach(a => a.classList.toggle('active', a.dataset.nav === parts[0]));
  if (parts[0] === 'workflows') return workflowsView();
  if (parts[0] === 'nodes') return nodesView();
  if (parts[0] === 'runs' && parts.length === 4 && parts[2] === 'tasks') return taskView(parts[1], parts[3]);
  if (parts[0] === 'runs' && parts.length === 2) return runView(parts[1], params);
  return runsView(params);
}

async function show() {
  const gen = ++generation;
  showError(null);
  const view = route();
  current = view;
  replace(document.getElementById('view'), view.node);
  await tick(gen);
}

async function tick(gen) {
  if (gen !== generation) return;
  try {
    await current.refresh();
    if (gen !== generation) return;
    showError(null);
    document.getElementById('live').textContent = 'updated ' + new Date().toLocaleTimeString();
    document.body.dataset.loaded = 'true';
  } catch (err) {
    if (gen === generation) showError(err.message);
    document.body.dataset.loaded = 'true';
  }
}

async function poll() {
  if (!document.hidden && current) await tick(generation);
  setTimeout(poll, POLL_MS);
}

async function main() {
  try {
    session = await api('/api/session');
  } catch (err) {
    showError('Cannot reach the dashboard API: ' + err.message);
    return;
  }
  document.getElementById('mode').textContent = session.readOnly ? 'read-only' : '';
  window.addEventListener('hashchange', show);
  await show();
  setTimeout(poll, POLL_MS);
}

main();
