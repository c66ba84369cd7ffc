/**
 * Tape generation (behavior.md §5.5): the order in which agents speak in one round. Pure; the random source is
 * injected so `SHUFFLE_SEED` makes every shuffle repeatable.
 */

export interface TapeAgent {
  id: number;
  name: string;
  priority: number;
  interruptEveryTurn: boolean;
  transparent: boolean;
}

/** One slot of a tape. `interrupt` marks turns of an interrupt cell; `trigger` is the agent whose turn fired it. */
export interface TapeSlot {
  agent: TapeAgent;
  interrupt: boolean;
}

export type Random = () => number;

/** mulberry32: small, fast and good enough to shuffle a handful of agents repeatably. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * `PRIORITY_AGENTS` (behavior.md §3.9): a listed agent's effective priority is at least 1. Returns the agents
 * with that priority applied and a tie-breaker rank (list position; unlisted agents rank after every listed one).
 */
export function applyPriorityAgents<T extends TapeAgent>(agents: readonly T[], listed: readonly string[]): (T & { rank: number })[] {
  return agents.map((agent) => {
    const index = listed.indexOf(agent.name.normalize('NFC'));
    return index === -1
      ? { ...agent, rank: Number.MAX_SAFE_INTEGER }
      : { ...agent, priority: Math.max(agent.priority, 1), rank: index };
  });
}

type Ranked = TapeAgent & { rank?: number };

const byPriorityThenName = (a: Ranked, b: Ranked): number =>
  b.priority - a.priority || (a.rank ?? 0) - (b.rank ?? 0) || compareNames(a.name, b.name);

function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function shuffle<T>(items: readonly T[], random: Random): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

export interface TapeInput {
  /** The round's participants (members minus critics), with effective flags and priorities. */
  participants: readonly Ranked[];
  /** Mentioned participants in request order (mode `first`); empty for follow-ups and scheduler runs. */
  mentioned?: readonly number[];
  kind: 'initial' | 'follow_up';
  random: Random;
  /**
   * The agent who spoke last. A shuffle that would open the tape with it is turned into one that does not: that
   * turn could only pass (nothing new in its window), costing the round a reply for nothing.
   */
  lastSpeaker?: number | null;
}

/**
 * §5.5: I = interrupt agents, P = priority agents, R = regular agents shuffled, Lt = late agents; weave(a) is a's
 * turn followed by the interrupt cell I∖{a} unless a is transparent. The initial tape opens with the whole
 * interrupt cell and puts mentioned agents first.
 */
export function buildTape({ participants, mentioned = [], kind, random, lastSpeaker = null }: TapeInput): TapeSlot[] {
  const interrupts = participants.filter((agent) => agent.interruptEveryTurn).sort(byPriorityThenName);
  const others = participants.filter((agent) => !agent.interruptEveryTurn);
  // §5.4 rule 2: request order, duplicates dropped, non-participants ignored.
  const mentionedIds = kind === 'initial' ? [...new Set(mentioned)].filter((id) => others.some((agent) => agent.id === id)) : [];
  const rest = others.filter((agent) => !mentionedIds.includes(agent.id));
  const priority = rest.filter((agent) => agent.priority > 0).sort(byPriorityThenName);
  const regular = shuffle(
    rest.filter((agent) => agent.priority === 0).sort((a, b) => compareNames(a.name, b.name)),
    random,
  );
  const late = rest.filter((agent) => agent.priority < 0).sort(byPriorityThenName);
  const opensTape = kind === 'follow_up' && mentionedIds.length === 0 && priority.length === 0;
  if (opensTape && regular.length > 1 && regular[0]?.id === lastSpeaker) {
    [regular[0], regular[1]] = [regular[1] as Ranked, regular[0] as Ranked];
  }

  const tape: TapeSlot[] = [];
  const interruptCell = (trigger: TapeAgent | null): void => {
    for (const agent of interrupts) if (agent.id !== trigger?.id) tape.push({ agent, interrupt: true });
  };
  const weave = (agent: TapeAgent): void => {
    tape.push({ agent, interrupt: false });
    if (interrupts.length > 0 && !agent.transparent) interruptCell(agent);
  };

  if (kind === 'initial') interruptCell(null);
  for (const id of mentionedIds) {
    const agent = others.find((candidate) => candidate.id === id);
    if (agent) weave(agent);
  }
  for (const agent of [...priority, ...regular, ...late]) weave(agent);
  return tape;
}
