/**
 * Artillery peer's functions (bench/peers.ts writes the config): each request gets its own document, agent,
 * queue and offered_on as the hand-written k6 script makes them; `classify` is the per-reason conflict
 * split, which Artillery's own reporting (status codes only) cannot do without a hook like this one.
 */
const fs = require('node:fs');

const data = JSON.parse(fs.readFileSync(process.env.BENCH_ARTILLERY_DATA, 'utf8'));
const seconds = Number(process.env.BENCH_SECONDS || 10);
const pick = (xs) => xs[Math.floor(Math.random() * xs.length)];
let deadline = 0;

const CONFLICTS = [
  ['Agent is not available', 'agent_unavailable'],
  ['is not a valid agent', 'invalid_agent'],
  ['is already assigned', 'already_assigned'],
  ['accepted can not be assigned', 'accepted_work_item'],
  ['Document is not active', 'document_inactive'],
  ['awa_external_user', 'missing_external_user_role'],
];

/** Loops until BENCH_SECONDS after the first VU's first request: a closed model for that long, as k6 --duration. */
function running(context, next) {
  if (deadline === 0) deadline = Date.now() + seconds * 1000;
  return next(Date.now() < deadline);
}

function pickOffer(context, events, done) {
  const doc = pick(data.documents);
  context.vars.table = doc.table;
  context.vars.document = doc.sys_id;
  context.vars.agent = pick(data.agents);
  context.vars.queue = pick(data.queues);
  context.vars.segment = `segment_${Math.floor(Math.random() * 1e9)}`;
  context.vars.offered_on = new Date(Date.now() - 200).toISOString().slice(0, 23);
  return done();
}

function reasonOf(status, text) {
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    return 'unparseable';
  }
  if (status === 200 && body.result && body.result.success === true) return 'success';
  if (status === 409) {
    const message = (body.error && body.error.message) || (body.result && body.result.message) || '';
    for (const [t, reason] of CONFLICTS) if (message.indexOf(t) >= 0) return reason;
    return 'conflict_other';
  }
  return `http_${status}`;
}

function classify(req, res, context, events, done) {
  const reason = reasonOf(res.statusCode, res.body);
  events.emit('counter', `offers.${reason}`, 1);
  const ms = res.timings && res.timings.phases ? res.timings.phases.total : undefined;
  if (ms !== undefined) events.emit('histogram', `offer_ms.${reason}`, ms);
  return done();
}

module.exports = { running, pickOffer, classify };
