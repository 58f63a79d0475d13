// The cutover console: reads the operator API, and acts only through POSTs carrying the CSRF token.
'use strict';

const API = '/console/api';
const LABELS = {
  approve: 'Approve',
  refuse: 'Refuse',
  continue: 'Continue',
  'roll-forward': 'Roll forward',
  restore: 'Restore',
};
let session = { principal: '', csrfToken: '' };
let idToken = '';

async function signIn() {
  const config = await (await fetch('/console/config.json')).json();
  if (config.auth === 'cognito') idToken = await cognitoToken(config);
  session = await call('GET', '/session');
  document.getElementById('principal').textContent = `signed in as ${session.principal}`;
}

/** Cognito hosted login, authorization code with PKCE; the id token stays in this tab's memory/session. */
async function cognitoToken(config) {
  const redirect = `${location.origin}/console/`;
  const params = new URLSearchParams(location.search);
  const stored = sessionStorage.getItem('cutover-id-token');
  if (stored) return stored;
  if (params.get('code')) {
    const body = new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.clientId,
      code: params.get('code'),
      redirect_uri: redirect,
      code_verifier: sessionStorage.getItem('cutover-pkce') || '',
    });
    const response = await fetch(`${config.domain}/oauth2/token`, { method: 'POST', body });
    const tokens = await response.json();
    sessionStorage.setItem('cutover-id-token', tokens.id_token);
    const back = sessionStorage.getItem('cutover-return') || redirect;
    history.replaceState(null, '', back);
    if (back !== location.href) location.assign(back);
    return tokens.id_token;
  }
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64url(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))),
  );
  sessionStorage.setItem('cutover-pkce', verifier);
  sessionStorage.setItem('cutover-return', location.href);
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirect,
    scope: 'openid email',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  location.assign(`${config.domain}/oauth2/authorize?${query}`);
  return new Promise(() => undefined);
}

function base64url(bytes) {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

async function call(method, path, body) {
  const headers = { accept: 'application/json' };
  if (idToken) headers.authorization = `Bearer ${idToken}`;
  if (method !== 'GET') {
    headers['content-type'] = 'application/json';
    headers['x-csrf-token'] = session.csrfToken;
  }
  const response = await fetch(`${API}${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(json.message || `HTTP ${response.status}`);
  return json;
}

function showError(error) {
  document.getElementById('error').textContent = error ? String(error.message || error) : '';
}

function cell(row, text) {
  const td = document.createElement('td');
  td.textContent = text;
  row.append(td);
  return td;
}

async function listPage() {
  const { executions } = await call('GET', '/executions');
  const body = document.querySelector('#executions tbody');
  body.replaceChildren();
  for (const e of executions) {
    const row = document.createElement('tr');
    const link = document.createElement('a');
    link.href = `/console/execution?name=${encodeURIComponent(e.execution)}`;
    link.textContent = e.execution;
    cell(row, '').append(link);
    cell(row, e.plan);
    cell(row, e.outcome);
    cell(row, e.startedAt);
    body.append(row);
  }
}

let chart;
async function executionPage(name) {
  const encoded = encodeURIComponent(name);
  const [status, history] = await Promise.all([
    call('GET', `/executions/${encoded}`),
    call('GET', `/executions/${encoded}/history`),
  ]);
  document.getElementById('title').textContent = `${status.execution} (plan ${status.plan})`;
  const step = status.step ? `, step ${status.step.index + 1} of ${status.step.count}` : '';
  document.getElementById('summary').textContent = `${status.outcome}: phase ${status.phase}${step}`;
  document.getElementById('summary').dataset.outcome = status.outcome;
  document.getElementById('weights').textContent =
    `blue ${status.weights.blue} % / green ${status.weights.green} %`;
  const health = status.health;
  document.getElementById('health').textContent =
    health.state === 'baking'
      ? `health: baking, ${health.rounds} round(s), ${health.consecutiveFailures} consecutive failure(s)`
      : health.state === 'failed'
        ? `health: FAILED`
        : 'health: not being judged right now';
  document.getElementById('lag').textContent = `replication lag: ${status.lag ?? 'n/a'}`;

  const failure = document.getElementById('failure');
  failure.hidden = health.state !== 'failed';
  failure.textContent = health.state === 'failed' ? `Health check failed: ${health.message}` : '';

  const question = document.getElementById('question');
  question.hidden = !status.pending;
  if (status.pending) {
    document.getElementById('question-text').textContent =
      `${status.pending.question}${status.pending.reason ? ` (${status.pending.reason})` : ''}`;
    document.getElementById('deadline').textContent = status.pending.deadline ?? 'none';
  }
  renderButtons(status);
  renderPhases(history.phases);
  renderDecisions(history.decisions);
  renderChart(history.weights);
}

function renderButtons(status) {
  const actions = document.getElementById('actions');
  actions.hidden = status.outcome !== 'running';
  const buttons = document.getElementById('buttons');
  const answers = status.pending ? status.pending.answers : [];
  const key = `${status.outcome}|${status.pending ? status.pending.kind : ''}`;
  if (buttons.dataset.key === key) return;
  buttons.dataset.key = key;
  buttons.replaceChildren();
  const rollback = document.createElement('button');
  rollback.textContent = 'Rollback';
  rollback.className = 'danger';
  rollback.addEventListener('click', () => document.getElementById('confirm-rollback').showModal());
  const answerButtons = answers.map((answer) => {
    const button = document.createElement('button');
    button.textContent = LABELS[answer];
    button.addEventListener('click', () =>
      act(`/executions/${encodeURIComponent(status.execution)}/answers`, {
        answer,
        reason: document.getElementById('reason').value,
      }),
    );
    return button;
  });
  // A paused health failure: Rollback comes first.
  if (status.pending && status.pending.kind === 'decision') buttons.append(rollback, ...answerButtons);
  else buttons.append(...answerButtons, rollback);
}

async function act(path, body) {
  try {
    await call('POST', path, body);
    showError();
    await refresh();
  } catch (error) {
    showError(error);
  }
}

function renderPhases(phases) {
  const list = document.getElementById('phases');
  list.replaceChildren(
    ...phases.map((p) => {
      const item = document.createElement('li');
      item.textContent = `${p.name}: ${p.startedAt.slice(11, 19)} – ${p.endedAt.slice(11, 19)}`;
      return item;
    }),
  );
}

function renderDecisions(decisions) {
  const body = document.querySelector('#decisions tbody');
  body.replaceChildren(
    ...decisions.map((d) => {
      const row = document.createElement('tr');
      for (const text of [d.at, d.principal, d.action, d.reason, d.result]) cell(row, text);
      return row;
    }),
  );
}

function renderChart(points) {
  const now = Date.now() / 1000;
  const series = points.map((p) => [Date.parse(p.at) / 1000, p.green]);
  if (series.length) series.push([now, series[series.length - 1][1]]);
  const data = [series.map((p) => p[0]), series.map((p) => p[1]), series.map((p) => 100 - p[1])];
  if (!chart) {
    chart = new uPlot(
      {
        width: 720,
        height: 220,
        scales: { y: { range: [0, 100] } },
        series: [
          {},
          { label: 'green %', stroke: '#1d8102', paths: uPlot.paths.stepped({ align: 1 }) },
          { label: 'blue %', stroke: '#0073bb', paths: uPlot.paths.stepped({ align: 1 }) },
        ],
      },
      data,
      document.getElementById('chart'),
    );
  } else chart.setData(data);
  document.getElementById('chart').dataset.points = String(points.length);
}

let refresh = async () => undefined;

document.addEventListener('DOMContentLoaded', async () => {
  try {
    await signIn();
    const page = document.body.dataset.page;
    const name = new URLSearchParams(location.search).get('name');
    refresh = page === 'execution' ? () => executionPage(name) : listPage;
    document.getElementById('confirm-rollback')?.addEventListener('close', async (event) => {
      const dialog = event.target;
      if (dialog.returnValue !== 'confirm') return;
      await act(`/executions/${encodeURIComponent(name)}/rollback`, {
        reason: document.getElementById('rollback-reason').value,
      });
    });
    for (;;) {
      await refresh().then(() => showError(), showError);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  } catch (error) {
    showError(error);
  }
});
