import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPriorityAgents, buildTape, seededRandom, type TapeAgent, type TapeSlot } from '../../../src/server/engine/tape.js';

/** Tape generation (behavior.md §5.5), scenarios 24–26 and the PRIORITY_AGENTS rule of §3.9. */

let nextId = 1;
function agent(name: string, fields: Partial<Omit<TapeAgent, 'id' | 'name'>> = {}): TapeAgent {
  return { id: nextId++, name, priority: 0, interruptEveryTurn: false, transparent: false, ...fields };
}

const names = (tape: readonly TapeSlot[]): string[] => tape.map((slot) => slot.agent.name);

/** Every tape of `build` for seeds 1..n, as name lists. */
function tapesOverSeeds(n: number, build: (random: () => number) => TapeSlot[]): string[][] {
  return Array.from({ length: n }, (_, index) => names(build(seededRandom(index + 1))));
}

describe('buildTape', () => {
  it('scenario 24: a transparent interrupt agent opens the initial tape and follows each other agent, triggering nothing itself', () => {
    const a = agent('A');
    const b = agent('B');
    const n = agent('N', { interruptEveryTurn: true, transparent: true, priority: 5 });
    const orders = new Set<string>();
    for (const tape of tapesOverSeeds(20, (random) => buildTape({ participants: [a, b, n], kind: 'initial', random }))) {
      expect(tape).toHaveLength(5);
      expect([tape[0], tape[2], tape[4]]).toEqual(['N', 'N', 'N']);
      expect(new Set([tape[1], tape[3]])).toEqual(new Set(['A', 'B']));
      orders.add(tape.join(','));
    }
    // "the shuffled others": both orders of A and B occur.
    expect(orders.size).toBe(2);
    const tape = buildTape({ participants: [a, b, n], kind: 'initial', random: seededRandom(3) });
    expect(tape.map((slot) => slot.interrupt)).toEqual([true, false, true, false, true]);
  });

  it('scenario 25: every tape orders priority agents by priority, then the shuffled regulars, then late agents', () => {
    const participants = [agent('L', { priority: -1 }), agent('R2'), agent('P1', { priority: 1 }), agent('R1'), agent('P3', { priority: 3 })];
    const seen = new Set<string>();
    for (const kind of ['initial', 'follow_up'] as const) {
      for (const tape of tapesOverSeeds(30, (random) => buildTape({ participants, kind, random }))) {
        expect(tape.slice(0, 2)).toEqual(['P3', 'P1']);
        expect(new Set(tape.slice(2, 4))).toEqual(new Set(['R1', 'R2']));
        expect(tape[4]).toBe('L');
        seen.add(tape.join(','));
      }
    }
    expect(seen.size).toBe(2);
  });

  it('late agents speak last, in descending priority', () => {
    const participants = [agent('Z', { priority: -3 }), agent('Y', { priority: -1 }), agent('R'), agent('X', { priority: -2 })];
    expect(names(buildTape({ participants, kind: 'initial', random: seededRandom(1) }))).toEqual(['R', 'Y', 'X', 'Z']);
  });

  it('scenario 26: a non-transparent interrupt agent follows each other agent, and its own turns trigger nothing', () => {
    const a = agent('A');
    const b = agent('B');
    const n = agent('N', { interruptEveryTurn: true });
    const initial = names(buildTape({ participants: [a, b, n], kind: 'initial', random: seededRandom(5) }));
    expect(initial).toHaveLength(5);
    expect([initial[0], initial[2], initial[4]]).toEqual(['N', 'N', 'N']);
    const followUp = names(buildTape({ participants: [a, b, n], kind: 'follow_up', random: seededRandom(5) }));
    expect(followUp).toHaveLength(4);
    expect([followUp[1], followUp[3]]).toEqual(['N', 'N']);
    expect(new Set([followUp[0], followUp[2]])).toEqual(new Set(['A', 'B']));
  });

  it('a transparent regular agent triggers no interrupt cell', () => {
    const t = agent('T', { priority: 2, transparent: true });
    const n = agent('N', { interruptEveryTurn: true });
    expect(names(buildTape({ participants: [t, n], kind: 'follow_up', random: seededRandom(1) }))).toEqual(['T']);
    expect(names(buildTape({ participants: [t, n], kind: 'initial', random: seededRandom(1) }))).toEqual(['N', 'T']);
  });

  it('several interrupt agents form one cell in priority order, then name', () => {
    const a = agent('A');
    const n1 = agent('Nb', { interruptEveryTurn: true, priority: 1 });
    const n2 = agent('Na', { interruptEveryTurn: true, priority: 1 });
    const n3 = agent('Nz', { interruptEveryTurn: true, priority: 4 });
    expect(names(buildTape({ participants: [a, n1, n2, n3], kind: 'initial', random: seededRandom(1) }))).toEqual([
      'Nz', 'Na', 'Nb', 'A', 'Nz', 'Na', 'Nb',
    ]);
  });

  it('mentioned agents speak first in request order, after the leading interrupt cell, in the initial tape only', () => {
    const a = agent('A');
    const b = agent('B');
    const c = agent('C', { priority: 9 });
    const d = agent('D');
    const n = agent('N', { interruptEveryTurn: true, transparent: true });
    const participants = [a, b, c, d, n];
    for (let seed = 1; seed <= 10; seed += 1) {
      const initial = names(buildTape({ participants, mentioned: [d.id, b.id], kind: 'initial', random: seededRandom(seed) }));
      expect(initial.slice(0, 5)).toEqual(['N', 'D', 'N', 'B', 'N']);
      expect(initial.slice(5, 7)).toEqual(['C', 'N']);
      const followUp = names(buildTape({ participants, mentioned: [d.id, b.id], kind: 'follow_up', random: seededRandom(seed) }));
      expect(followUp[0]).toBe('C');
    }
  });

  it('mentions of non-participants or interrupt agents are ignored and duplicates speak once', () => {
    const a = agent('A');
    const b = agent('B');
    const n = agent('N', { interruptEveryTurn: true });
    const tape = names(buildTape({ participants: [a, b, n], mentioned: [9999, n.id, b.id, b.id], kind: 'initial', random: seededRandom(2) }));
    expect(tape).toEqual(['N', 'B', 'N', 'A', 'N']);
  });

  it('the same seed gives the same shuffles; different seeds give different ones', () => {
    const participants = ['A', 'B', 'C', 'D', 'E', 'F'].map((name) => agent(name));
    const run = (seed: number) => {
      const random = seededRandom(seed);
      return [1, 2, 3].map(() => names(buildTape({ participants, kind: 'follow_up', random })).join(''));
    };
    expect(run(42)).toEqual(run(42));
    // Each tape is shuffled freshly: consecutive tapes from one source differ.
    expect(new Set(run(42)).size).toBeGreaterThan(1);
    expect(new Set([1, 2, 3, 4, 5].map((seed) => run(seed).join('|'))).size).toBe(5);
  });

  it('a follow-up tape never opens with the last speaker when another regular agent can open it', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 6 }), fc.nat(), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (count, pick, seed) => {
        const participants = Array.from({ length: count }, (_, index) => agent(`R${index}`));
        const last = participants[pick % count]!;
        const tape = buildTape({ participants, kind: 'follow_up', random: seededRandom(seed), lastSpeaker: last.id });
        expect(tape[0]?.agent.id).not.toBe(last.id);
        expect(new Set(tape.map((slot) => slot.agent.id)).size).toBe(count);
      }),
    );
  });
});

describe('applyPriorityAgents', () => {
  it('gives listed agents priority at least 1, keeps higher ones, and breaks ties by list order', () => {
    const participants = [agent('Ash'), agent('Yan'), agent('Zed'), agent('Big', { priority: 2 }), agent('Top', { priority: 3 })];
    const ranked = applyPriorityAgents(participants, ['Zed', 'Top', 'Yan']);
    expect(ranked.map((entry) => [entry.name, entry.priority])).toEqual([
      ['Ash', 0],
      ['Yan', 1],
      ['Zed', 1],
      ['Big', 2],
      ['Top', 3],
    ]);
    for (let seed = 1; seed <= 5; seed += 1) {
      expect(names(buildTape({ participants: ranked, kind: 'initial', random: seededRandom(seed) }))).toEqual([
        'Top', 'Big', 'Zed', 'Yan', 'Ash',
      ]);
    }
  });

  it('lifts a late agent that is listed to priority 1', () => {
    const ranked = applyPriorityAgents([agent('Late', { priority: -2 }), agent('R')], ['Late']);
    expect(names(buildTape({ participants: ranked, kind: 'follow_up', random: seededRandom(1) }))).toEqual(['Late', 'R']);
  });
});

describe('buildTape properties', () => {
  const agentsArb = fc
    .array(
      fc.record({
        priority: fc.integer({ min: -2, max: 3 }),
        interruptEveryTurn: fc.boolean(),
        transparent: fc.boolean(),
      }),
      { minLength: 1, maxLength: 8 },
    )
    .map((flags) => flags.map((fields, index) => ({ id: index + 1, name: `Agent${index}`, ...fields })));

  const tapeArb = agentsArb.chain((participants) =>
    fc.record({
      participants: fc.constant(participants),
      mentioned: fc.array(fc.integer({ min: 0, max: participants.length + 2 }), { maxLength: 5 }),
      kind: fc.constantFrom('initial' as const, 'follow_up' as const),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      lastSpeaker: fc.option(fc.integer({ min: 1, max: participants.length }), { nil: null }),
    }),
  );

  it('an interrupt agent never speaks twice in a row, within a tape or from one tape into the next', () => {
    fc.assert(
      fc.property(tapeArb, ({ participants, mentioned, kind, seed, lastSpeaker }) => {
        const random = seededRandom(seed);
        const tape = buildTape({ participants, mentioned, kind, random, lastSpeaker });
        const followUp = buildTape({ participants, kind: 'follow_up', random, lastSpeaker });
        const joined = [...tape, ...followUp];
        for (let index = 1; index < joined.length; index += 1) {
          const previous = joined[index - 1]!;
          const current = joined[index]!;
          // Within a tape nobody speaks twice in a row; across tapes the claim is about interrupt agents.
          if (index < tape.length || current.agent.interruptEveryTurn) expect(current.agent.id).not.toBe(previous.agent.id);
        }
        // No two interrupt cells are adjacent: every run of consecutive interrupt slots names each agent once.
        let cell: number[] = [];
        for (const slot of joined) {
          if (!slot.interrupt) {
            cell = [];
            continue;
          }
          expect(cell).not.toContain(slot.agent.id);
          cell.push(slot.agent.id);
        }
        // A follow-up tape opens with a regular cell, never an interrupt cell.
        if (followUp.length > 0) expect(followUp[0]!.interrupt).toBe(false);
      }),
    );
  });

  it('every non-interrupt participant speaks exactly once per tape, followed by the whole interrupt cell unless transparent', () => {
    fc.assert(
      fc.property(tapeArb, ({ participants, mentioned, kind, seed, lastSpeaker }) => {
        const tape = buildTape({ participants, mentioned, kind, random: seededRandom(seed), lastSpeaker });
        const interrupts = participants.filter((entry) => entry.interruptEveryTurn);
        const regular = participants.filter((entry) => !entry.interruptEveryTurn);
        const regularSlots = tape.filter((slot) => !slot.interrupt).map((slot) => slot.agent.id);
        expect([...regularSlots].sort((x, y) => x - y)).toEqual(regular.map((entry) => entry.id));
        const expectedLength =
          (kind === 'initial' ? interrupts.length : 0) +
          regular.reduce((sum, entry) => sum + 1 + (entry.transparent ? 0 : interrupts.length), 0);
        expect(tape).toHaveLength(expectedLength);
        tape.forEach((slot, index) => {
          if (slot.interrupt || slot.agent.transparent || interrupts.length === 0) return;
          const cell = tape.slice(index + 1, index + 1 + interrupts.length);
          expect(cell.every((entry) => entry.interrupt)).toBe(true);
          expect(new Set(cell.map((entry) => entry.agent.id))).toEqual(new Set(interrupts.map((entry) => entry.id)));
        });
      }),
    );
  });
});
