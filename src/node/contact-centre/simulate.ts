/**
 * The contact centre as a discrete-event simulation, run in Node before k6 starts: contacts arrive (the run's
 * arrival plan), wait in the connector's queue (first come, first served; they abandon once their patience runs
 * out), are offered to the free agent idle longest, are accepted, rejected (re-offered to another agent) or left
 * unanswered (the offer expires, the instance sets the agent Away, the contact is re-offered), are handled for a
 * drawn talk time and after-call work, and some are transferred on the way. Its output is each contact's
 * timeline of requests (src/shared/contact-plan.ts), which k6 replays against the target.
 *
 * Why a plan made first rather than routing inside k6: k6's VUs share no mutable state, so a pool of agents that
 * many contacts draw from, with no agent booked twice, cannot live there without a coordinator; a plan made from
 * the seed is also reproducible request for request, and keeps the model open (a slow target never changes when a
 * contact arrives or which agent it gets; its failures are counted per contact).
 *
 * Times are ms of run time: the contact centre's durations divided by the speedup. The instance's own timers
 * (the guard below before an agent who just changed presence is offered again) are not compressed.
 */
import type { StepCode } from '../../shared/contact-plan.js';
import { seededRandom } from '../../shared/random.js';
import { pickKind, TRANSFER_KINDS, TRANSFER_SHARES } from '../../shared/scenarios.js';
import { EventQueue } from '../sim/platform/events.js';
import type { CentreModel, CentrePlan, ContactInput, PlannedContact, PlanSecond } from './centre-plan.js';

/**
 * How long after an agent's presence change, or a rejection, before the connector offers that agent work again,
 * and after an offer's expiry before the contact is re-offered, ms: a request k6 sends a little late must still
 * reach the instance first. Not compressed: it covers the instance's and k6's latency, not the agents'.
 */
export const GUARD_MS = 400;

/**
 * An answer later than this before the offer's expiry, ms, never reaches the card: the accept or reject request's
 * own latency (tens of ms) with room to spare.
 */
export const ANSWER_MARGIN_MS = 150;

/** The offer timeout the run sends, whole seconds of run time (the API's timeout is a number of seconds). */
export const sentTimeoutSec = (timeoutSec: number, speedup: number): number =>
  Math.max(1, Math.ceil(timeoutSec / speedup));

/** Sigma of the log-normal accept delay (around its median). */
const ACCEPT_SIGMA = 0.5;

interface Agent {
  readonly index: number;
  /** slots taken: contacts held, cards waiting for an answer, a consult to a queue (what routing counts) */
  load: number;
  /** contacts the agent is handling (what presence follows: busy when they reach the concurrency) */
  held: number;
  away: boolean;
  /** when the after-timeout presence ends (a later expiry extends it) */
  awayUntil: number;
  readyAt: number;
  idleSince: number;
}

interface Live {
  readonly c: PlannedContact;
  readonly input: ContactInput;
  /** agents who rejected or left unanswered this contact's offers (cleared once they are all of them) */
  excluded: Set<number>;
  waiting: boolean;
  patienceOver: boolean;
  /** the talk left after a blind transfer to a queue; undefined before */
  remainingMs: number | undefined;
  transferred: boolean;
}

/**
 * The model's own draws (their sequence from the seed is the plan's: the figures measured from it stand on it).
 * A log-normal with the given mean and coefficient of variation.
 */
function logNormal(random: () => number, mean: number, cv: number): number {
  const sigma2 = Math.log(1 + cv * cv);
  return mean * Math.exp(Math.sqrt(sigma2) * normal(random) - sigma2 / 2);
}

function normal(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

const exponential = (random: () => number, mean: number): number => -Math.log(1 - random()) * mean;

/** Runs the model; deterministic in its seed. */
export function simulateCentre(m: CentreModel): CentrePlan {
  const s = m.settings;
  const random = seededRandom((m.seed ^ 0xcc24) >>> 0);
  const ms = (sec: number): number => (sec * 1000) / m.speedup;
  const timeoutMs = sentTimeoutSec(s.offerTimeoutSec, m.speedup) * 1000;
  const events = new EventQueue();
  const agents: Agent[] = Array.from({ length: m.agents }, (_, index) => ({
    index,
    load: 0,
    held: 0,
    away: false,
    awayUntil: 0,
    readyAt: 0,
    idleSince: 0,
  }));
  const queue: Live[] = [];
  const contacts: PlannedContact[] = [];
  let open = 0;
  let now = 0;

  const step = (l: Live, code: StepCode, agent = -1, arg = 0): void => {
    l.c.steps.push({ atMs: now - l.c.arrivalMs, code, agent, arg });
  };
  // the state once a second, as it stood at the start of that second: taken as time passes, not as events
  const seconds: PlanSecond[] = [];
  const sampleUntil = (t: number): void => {
    while (seconds.length * 1000 < t)
      seconds.push({
        busyAgents: agents.filter((a) => a.held > 0).length,
        slots: agents.reduce((x, a) => x + a.load, 0),
        waiting: queue.length,
        open,
      });
  };
  const at = (t: number, run: () => void): void =>
    events.schedule(t, () => {
      sampleUntil(t);
      now = t;
      run();
    });
  const isFree = (a: Agent): boolean => !a.away && a.load < s.concurrency && a.readyAt <= now;
  const freeAgent = (excluded: ReadonlySet<number>): Agent | undefined => {
    let best: Agent | undefined;
    for (const a of agents)
      if (isFree(a) && !excluded.has(a.index) && (!best || a.idleSince < best.idleSince)) best = a;
    return best;
  };
  const ready = (a: Agent, t: number): void => {
    a.readyAt = t;
    at(t, dispatch);
  };
  /** An agent takes a slot (an offer or a transfer put in front of them). */
  const take = (a: Agent): void => {
    a.load++;
  };
  /** The agent has the contact (accepted, auto-assigned, handed over): set busy once they hold all they can. */
  const busyIfFull = (l: Live, a: Agent): void => {
    a.held++;
    if (a.held === s.concurrency) step(l, 'B', a.index);
  };
  /** The agent is done with a contact now: Available again when they were at capacity, the slot free. */
  const release = (l: Live, a: Agent): void => {
    if (a.held === s.concurrency) step(l, 'V', a.index);
    a.held--;
    a.load--;
    a.idleSince = now;
    ready(a, now + GUARD_MS);
  };
  const close = (l: Live, code: 'K' | 'Q'): void => {
    step(l, code);
    open--;
  };

  function dispatch(): void {
    for (let i = 0; i < queue.length; ) {
      // nobody free at all: no need to look through a long queue
      if (!agents.some(isFree)) return;
      const l = queue[i]!;
      const a = freeAgent(l.excluded);
      if (!a) {
        i++;
        continue;
      }
      queue.splice(i, 1);
      l.waiting = false;
      offer(l, a);
    }
  }

  function requeue(l: Live): void {
    if (l.patienceOver && !l.transferred) {
      l.c.abandoned = true;
      close(l, 'Q');
      return;
    }
    // every agent has refused or missed it: any of them may be offered it again, rather than none ever
    if (l.excluded.size >= agents.length) l.excluded = new Set();
    l.waiting = true;
    queue.unshift(l);
    dispatch();
  }

  function offer(l: Live, a: Agent): void {
    const auto = random() < s.autoAssignShare;
    l.c.offers++;
    l.c.firstOfferMs ??= now - l.c.arrivalMs;
    take(a);
    // requests to one agent stay apart: a chat agent's next offer never races the busy this one may bring
    a.readyAt = now + GUARD_MS;
    at(a.readyAt, dispatch);
    step(l, 'O', a.index, auto ? 1 : 0);
    if (auto) {
      busyIfFull(l, a);
      startHandling(l, a);
      return;
    }
    const draw = random();
    const answerAt = now + ms(s.acceptDelaySec) * Math.exp(ACCEPT_SIGMA * normal(random));
    // an agent who would answer after the offer expired (a guard before it, for the request's own latency) never
    // answers it: the card is gone, as it is for one who does not answer at all
    const tooLate = answerAt >= now + timeoutMs - ANSWER_MARGIN_MS;
    if (draw < s.noAnswerShare || tooLate) {
      // the instance expires the offer at offered_on + timeout and sets the agent Away
      at(now + timeoutMs, () => {
        a.load--;
        a.away = true;
        a.awayUntil = now + ms(s.awayAfterNoAnswerSec);
        l.excluded.add(a.index);
        at(now + GUARD_MS, () => requeue(l));
        at(a.awayUntil, () => {
          // a later expiry keeps them Away longer; one who holds all they can stays busy (their release says Available)
          if (now < a.awayUntil || !a.away) return;
          a.away = false;
          if (a.held < s.concurrency) step(l, 'V', a.index);
          a.idleSince = now;
          ready(a, now + GUARD_MS);
        });
      });
    } else if (draw < s.noAnswerShare + s.rejectShare) {
      at(answerAt, () => {
        step(l, 'R', a.index);
        a.load--;
        l.excluded.add(a.index);
        ready(a, now + GUARD_MS);
        requeue(l);
      });
    } else {
      at(answerAt, () => {
        step(l, 'A', a.index);
        busyIfFull(l, a);
        startHandling(l, a);
      });
    }
  }

  function talkMs(l: Live): number {
    const mean = ms(l.input.ahtSec);
    return s.handleTimes === 'exponential' ? exponential(random, mean) : logNormal(random, mean, s.handleTimeCv);
  }

  /** The agent `a` has the contact (accepted or auto-assigned) now. */
  function startHandling(l: Live, a: Agent): void {
    l.c.answerMs ??= now - l.c.arrivalMs;
    const talk = l.remainingMs ?? talkMs(l);
    if (!l.transferred && random() < s.transferShare) {
      const x = talk * (0.2 + 0.6 * random());
      at(now + x, () => transfer(l, a, talk - x));
      return;
    }
    finish(l, a, talk);
  }

  /** Talk for `talkLeft`, then after-call work; then the interaction is closed and the agent freed. */
  function finish(l: Live, a: Agent, talkLeft: number): void {
    at(now + talkLeft + ms(l.input.acwSec), () => {
      close(l, 'K');
      release(l, a);
    });
  }

  /** The agent's after-call work for a contact they handed on, then their slot frees. */
  const wrapUp = (l: Live, a: Agent): void => at(now + ms(l.input.acwSec), () => release(l, a));

  function transfer(l: Live, a: Agent, left: number): void {
    l.transferred = true;
    const without = new Set([a.index]);
    let kind = pickKind(random(), TRANSFER_SHARES);
    const b = kind.endsWith('_agent') || kind === 'consult_queue' ? freeAgent(without) : undefined;
    if (kind === 'blind_agent' && !b) kind = 'blind_queue';
    // a consult needs someone to consult: without a free agent the call goes on as it was
    if (kind.startsWith('consult') && !b) {
      finish(l, a, left);
      return;
    }
    l.c.transfer = kind;
    const code = TRANSFER_KINDS.indexOf(kind);
    const accepts = (who: Agent, then: () => void): void =>
      at(now + ms(s.acceptDelaySec) * Math.exp(ACCEPT_SIGMA * normal(random)), () => {
        step(l, 'A', who.index);
        busyIfFull(l, who);
        then();
      });
    if (kind === 'blind_queue') {
      step(l, 'T', -1, code);
      wrapUp(l, a);
      l.remainingMs = left;
      // a fresh routing: anyone but the agent who just handed it on (unless they are the only one)
      l.excluded = agents.length > 1 ? new Set([a.index]) : new Set();
      l.waiting = true;
      queue.push(l);
      dispatch();
      return;
    }
    take(b!);
    if (kind === 'blind_agent') {
      step(l, 'T', b!.index, code);
      wrapUp(l, a);
      accepts(b!, () => finish(l, b!, left));
      return;
    }
    const handOver = random() < 0.5;
    const consult = (): void =>
      at(now + ms(s.consultSec), () => {
        step(l, 'E', -1, handOver ? 1 : 0);
        if (handOver) {
          // the consulted agent keeps the call: a consult to a queue is offered to them (auto-assign) first
          if (kind === 'consult_queue') {
            step(l, 'O', b!.index, 1);
            busyIfFull(l, b!);
          }
          wrapUp(l, a);
          finish(l, b!, left);
        } else if (kind === 'consult_queue') {
          // never set busy (the instance put no card in front of them): their slot frees without a presence change
          b!.load--;
          b!.idleSince = now;
          ready(b!, now + GUARD_MS);
          finish(l, a, left);
        } else {
          release(l, b!);
          finish(l, a, left);
        }
      });
    if (kind === 'consult_agent') {
      step(l, 'T', b!.index, code);
      accepts(b!, consult);
    } else {
      // a consult to a queue puts no card in front of anyone: the connector's routing brings the agent in, and
      // keeps them Available on the instance, which is offered the call if the consult hands it over
      step(l, 'T', -1, code);
      consult();
    }
  }

  for (const input of m.contacts) {
    const c: PlannedContact = {
      arrivalMs: input.arrivalMs,
      steps: [],
      firstOfferMs: undefined,
      answerMs: undefined,
      abandoned: false,
      offers: 0,
      transfer: undefined,
    };
    contacts.push(c);
    const l: Live = {
      c,
      input,
      excluded: new Set(),
      waiting: true,
      patienceOver: false,
      remainingMs: undefined,
      transferred: false,
    };
    at(input.arrivalMs, () => {
      step(l, 'C');
      open++;
      if (s.pollQueued) step(l, 'F');
      queue.push(l);
      dispatch();
    });
    if (s.patienceSec > 0)
      at(input.arrivalMs + exponential(random, ms(s.patienceSec)), () => {
        if (l.c.answerMs !== undefined || l.transferred) return;
        l.patienceOver = true;
        const k = queue.indexOf(l);
        if (k < 0) return;
        queue.splice(k, 1);
        l.waiting = false;
        l.c.abandoned = true;
        close(l, 'Q');
      });
  }
  events.runDue(Number.POSITIVE_INFINITY);
  sampleUntil(now + 1);

  let longestMs = 0;
  const edges: [number, number][] = [];
  for (const c of contacts) {
    const life = c.steps.length > 0 ? c.steps[c.steps.length - 1]!.atMs : 0;
    longestMs = Math.max(longestMs, life);
    edges.push([c.arrivalMs, 1], [c.arrivalMs + life + 1, -1]);
  }
  edges.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  let live = 0;
  let peakConcurrent = 0;
  for (const [, d] of edges) peakConcurrent = Math.max(peakConcurrent, (live += d));
  return { contacts, seconds, longestMs, peakConcurrent };
}
