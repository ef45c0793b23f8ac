// The soak: CONNECTIONS virtual people use a running hocso for SECONDS with mixed traffic
// (learners reading, taking quizzes and practising, staff on the dashboards, health checks,
// server functions) while the server's resident memory is sampled. Prints the status counts,
// latency percentiles, every 5xx, and RSS over time. A benchmark, not a test: `.ci/soak`.
//
//   HOCSO_SOAK_URL=http://127.0.0.1:3108 HOCSO_SOAK_PID=1234 node soak.mjs
import { readFileSync } from 'node:fs';

const BASE = process.env.HOCSO_SOAK_URL ?? 'http://127.0.0.1:3108';
const PID = process.env.HOCSO_SOAK_PID;
const SECONDS = Number(process.env.HOCSO_SOAK_SECONDS ?? 600);
const CONNECTIONS = Number(process.env.HOCSO_SOAK_CONNECTIONS ?? 200);
const SAMPLE_EVERY = Number(process.env.HOCSO_SOAK_SAMPLE_SECONDS ?? 30);

const people = {
  resident: ['0912345678', 'nguoi-dan-demo-2025'],
  volunteer: ['tinhnguyen@hocso.test', 'tinh-nguyen-demo-2025'],
  official: ['canbo@hocso.test', 'can-bo-demo-2025'],
  official2: ['tuphap@hocso.test', 'tu-phap-demo-2025'],
  manager: ['quanly@hocso.test', 'quan-ly-demo-2025'],
  organizer: ['tochuc@hocso.test', 'to-chuc-demo-2025'],
};

const stats = { requests: 0, byClass: {}, byKind: {}, refused: {}, errors5xx: [], failures: [], latencies: [] };

function rss() {
  if (!PID) return null;
  const status = readFileSync(`/proc/${PID}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

async function request(kind, path, { cookie, form, json } = {}) {
  const headers = { accept: json ? 'application/json' : 'text/html' };
  if (cookie) headers.cookie = cookie;
  let body;
  if (form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(form).toString();
  }
  const started = performance.now();
  let response;
  try {
    response = await fetch(`${BASE}${path}`, {
      method: form ? 'POST' : 'GET',
      headers,
      body,
      redirect: 'manual',
    });
  } catch (e) {
    stats.failures.push(`${kind} ${path}: ${e.cause?.code ?? e.message}`);
    return { status: 0, text: '', headers: new Headers() };
  }
  const text = await response.text();
  stats.latencies.push(performance.now() - started);
  stats.requests += 1;
  const cls = `${Math.floor(response.status / 100)}xx`;
  stats.byClass[cls] = (stats.byClass[cls] ?? 0) + 1;
  stats.byKind[kind] = (stats.byKind[kind] ?? 0) + 1;
  if (response.status >= 400 && response.status < 500) {
    const key = `${response.status} ${form ? 'POST' : 'GET'} ${kind}`;
    stats.refused[key] = (stats.refused[key] ?? 0) + 1;
  }
  if (response.status >= 500) stats.errors5xx.push(`${response.status} ${kind} ${path}`);
  return { status: response.status, text, headers: response.headers };
}

async function login([contact, password]) {
  const reply = await request('login', '/login', { form: { contact, password } });
  const cookie = reply.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  if (reply.status !== 303 || !cookie) throw new Error(`login ${contact}: ${reply.status}`);
  return cookie;
}

const links = (html, re) => [...new Set([...html.matchAll(re)].map((m) => m[1]))];

/** What a learner's pages offer: modules, their first lessons, procedures and cases. */
async function discover(cookie) {
  const home = await request('read', '/learn', { cookie });
  const modules = links(home.text, /href="\/learn\/([a-z0-9-]+)"/g);
  const lessons = [];
  for (const m of modules.slice(0, 4)) {
    const page = await request('read', `/learn/${m}`, { cookie });
    for (const l of links(page.text, new RegExp(`href="/learn/${m}/([a-z0-9-]+)"`, 'g')).slice(0, 2)) {
      lessons.push(`/learn/${m}/${l}`);
    }
  }
  const practice = await request('read', '/practice', { cookie });
  const procedures = [];
  for (const p of links(practice.text, /href="\/practice\/([a-z0-9-]+)"/g).slice(0, 3)) {
    const page = await request('read', `/practice/${p}`, { cookie });
    const scenarios = links(page.text, /name="scenario" value="([a-z0-9-]+)"/g);
    if (scenarios.length) procedures.push({ id: p, scenarios });
  }
  return { modules, lessons, procedures };
}

/** A whole quiz form: the first choice of every question. */
function quizAnswers(html) {
  const form = { started_at: '0' };
  for (const m of html.matchAll(/<input[^>]*name="(q-[^"]+)"[^>]*value="([^"]*)"/g)) {
    if (!(m[1] in form)) form[m[1]] = m[2];
  }
  // An ordering question's items must take distinct positions: number them per question.
  for (const question of html.split('<fieldset').slice(1)) {
    let position = 0;
    for (const m of question.matchAll(/<select[^>]*name="(q-[^"]+)"/g)) {
      position += 1;
      form[m[1]] = String(position);
    }
  }
  return form;
}

const pick = (list) => list[Math.floor(Math.random() * list.length)];

async function learner(cookie, offer, until) {
  while (Date.now() < until) {
    const roll = Math.random();
    if (roll < 0.4 && offer.lessons.length) {
      await request('read', pick(offer.lessons), { cookie });
    } else if (roll < 0.55 && offer.modules.length) {
      const m = pick(offer.modules);
      const quiz = await request('quiz', `/quiz/${m}`, { cookie });
      if (quiz.status === 200) await request('quiz', `/quiz/${m}`, { cookie, form: quizAnswers(quiz.text) });
    } else if (roll < 0.75 && offer.procedures.length) {
      const p = pick(offer.procedures);
      const started = await request('practice', `/practice/${p.id}/start`, {
        cookie,
        form: { scenario: pick(p.scenarios), mode: 'guided' },
      });
      const run = started.headers.get('location');
      if (run) {
        await request('practice', run, { cookie });
        await request('practice', run, {
          cookie,
          form: { step: 'dang-nhap', login: '001091004512', action: 'next' },
        });
        if (Math.random() < 0.3) await request('practice', `${run}/reset`, { cookie, form: {} });
      }
    } else if (roll < 0.85) {
      await request('api', '/api/learn/catalog', { cookie, form: {}, json: true });
    } else if (roll < 0.95) {
      await request('read', '/passport', { cookie });
    } else {
      await request('health', '/healthz');
    }
  }
}

async function staff(cookie, home, until) {
  while (Date.now() < until) {
    const roll = Math.random();
    if (roll < 0.6) await request('dashboard', home, { cookie });
    else if (roll < 0.8) await request('dashboard', '/campaign/units/00004', { cookie });
    else await request('health', '/healthz');
  }
}

const cookies = {};
for (const [who, credentials] of Object.entries(people)) cookies[who] = await login(credentials);
const offers = {};
for (const who of ['resident', 'volunteer', 'official', 'official2']) offers[who] = await discover(cookies[who]);

const startedAt = Date.now();
const until = startedAt + SECONDS * 1000;
const memory = [{ second: 0, mb: rss(), requests: stats.requests }];
const sampler = setInterval(() => {
  memory.push({ second: Math.round((Date.now() - startedAt) / 1000), mb: rss(), requests: stats.requests });
}, SAMPLE_EVERY * 1000);

const users = [];
for (let i = 0; i < CONNECTIONS; i += 1) {
  if (i % 10 === 8) users.push(staff(cookies.organizer, '/campaign', until));
  else if (i % 10 === 9) users.push(staff(cookies.manager, '/unit', until));
  else {
    const who = ['resident', 'volunteer', 'official', 'official2'][i % 4];
    users.push(learner(cookies[who], offers[who], until));
  }
}
await Promise.all(users);
clearInterval(sampler);
memory.push({ second: Math.round((Date.now() - startedAt) / 1000), mb: rss(), requests: stats.requests });

const sorted = stats.latencies.sort((a, b) => a - b);
const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]?.toFixed(1);
const elapsed = (Date.now() - startedAt) / 1000;
console.log(JSON.stringify({
  seconds: Math.round(elapsed),
  connections: CONNECTIONS,
  requests: stats.requests,
  per_second: Math.round(stats.requests / elapsed),
  by_class: stats.byClass,
  by_kind: stats.byKind,
  refused_4xx: stats.refused,
  latency_ms: { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1)?.toFixed(1) },
  errors_5xx: stats.errors5xx.length,
  first_5xx: stats.errors5xx.slice(0, 10),
  transport_failures: stats.failures.length,
  first_failures: stats.failures.slice(0, 10),
}, null, 2));
console.log('\n| second | RSS MB | requests so far |\n|---:|---:|---:|');
for (const m of memory) console.log(`| ${m.second} | ${m.mb ?? '?'} | ${m.requests} |`);
process.exit(stats.errors5xx.length === 0 && stats.failures.length === 0 ? 0 : 1);
