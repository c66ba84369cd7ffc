import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomEvent } from '../../../src/shared/events.js';
import type { Agent, Room } from '../../../src/shared/models.js';
import { alwaysReply } from '../../fakes/instant-provider.js';
import { makeAgent, messages, replies, roomWith, send, startEngineHarness, type EngineHarness } from '../../helpers/engine-room.js';
import { databaseAvailable } from '../../helpers/test-database.js';
import { waitFor } from '../../helpers/wait-for.js';

/** Scheduler runs seen on the bus, per room, from `run_started`/`run_ended` events whose room says `scheduler`. */
function schedulerLog(h: EngineHarness) {
  const started = new Map<number, number>();
  let active = 0;
  let maxActive = 0;
  const open = new Set<number>();
  const stop = h.t.server.bus.subscribeAll((roomId: number, event: RoomEvent) => {
    if (event.type !== 'room') return;
    if (event.data.reason === 'run_started' && event.data.room.running === 'scheduler') {
      started.set(roomId, (started.get(roomId) ?? 0) + 1);
      open.add(roomId);
      active += 1;
      maxActive = Math.max(maxActive, active);
    }
    if (event.data.reason === 'run_ended' && open.delete(roomId)) active -= 1;
  });
  return { runs: (roomId: number) => started.get(roomId) ?? 0, maxActive: () => maxActive, stop };
}

describe.runIf(await databaseAvailable())('background scheduler (behavior.md §6, scenarios 47–50)', () => {
  let h: EngineHarness;
  let agents: Agent[];
  beforeAll(async () => {
    h = await startEngineHarness({
      env: { SCHEDULER_ENABLED: 'true', SCHEDULER_INTERVAL_MS: '40', MAX_FOLLOW_UP_ROUNDS: '0', MAX_CONCURRENT_ROOMS: '2' },
    });
    agents = [];
    for (const name of ['Kite', 'Lark', 'Moss']) agents.push(await makeAgent(h, name));
  });
  afterAll(async () => h?.close());

  it('keeps an active two-agent room talking, and leaves paused, one-agent and capped rooms alone', async () => {
    h.provider.setScript(alwaysReply);
    const log = schedulerLog(h);
    const [kite, lark, moss] = agents as [Agent, Agent, Agent];
    const lively = await roomWith(h, [kite, lark]);
    const solo = await roomWith(h, [moss]);
    const capped = await roomWith(h, [kite, lark], { max_interactions: 2 });
    // Paused from the start: its message is stored and nothing runs (§5.3 rule 4), and the scheduler skips it.
    const paused = await roomWith(h, [lark, moss], { is_paused: true });
    for (const room of [lively, solo, capped, paused]) await send(h, room.id, 'Start us off');

    await waitFor(() => log.runs(lively.id) >= 3, { timeoutMs: 15_000, what: 'three scheduler rounds in the lively room' });
    expect(replies(await messages(h, lively.id)).length).toBeGreaterThanOrEqual(2 + 3);
    expect(log.runs(solo.id)).toBe(0);
    expect(log.runs(paused.id)).toBe(0);
    // The user run's initial round reached the cap of 2 real replies, so no scheduler round may start (scenario 50).
    expect(replies(await messages(h, capped.id))).toHaveLength(2);
    expect(log.runs(capped.id)).toBe(0);
    for (const room of [lively, solo, capped]) await h.t.request({ method: 'POST', url: `/rooms/${room.id}/pause`, token: h.admin });
    log.stop();
  });

  it('runs at most MAX_CONCURRENT_ROOMS scheduler rounds at once and reaches every eligible room (scenario 48)', async () => {
    // Slow turns make rounds overlap in time, so the limit is what keeps them apart.
    h.provider.setScript((request, call) => [{ delayMs: 30 }, { text: `${request.agentName} slow ${call}` }]);
    const log = schedulerLog(h);
    const rooms: Room[] = [];
    for (let index = 0; index < 4; index += 1) rooms.push(await roomWith(h, [agents[0]!, agents[1]!]));
    for (const room of rooms) await send(h, room.id, 'Go');
    await waitFor(() => rooms.every((room) => log.runs(room.id) >= 1), { timeoutMs: 20_000, what: 'a round in every room' });
    expect(log.maxActive()).toBeLessThanOrEqual(2);
    expect(log.maxActive()).toBe(2);
    for (const room of rooms) await h.t.request({ method: 'POST', url: `/rooms/${room.id}/pause`, token: h.admin });
    log.stop();
  });

  it('cools a room down after a round with errors only, while other rooms keep going (scenario 49)', async () => {
    const [kite, lark, moss] = agents as [Agent, Agent, Agent];
    const failing = await roomWith(h, [kite, lark]);
    const healthy = await roomWith(h, [lark, moss]);
    // Every turn in the failing room fails for good; its user run's only round therefore has errors only.
    h.provider.setScript((request, call) =>
      request.roomId === failing.id ? [{ error: 'invalid_request', message: 'bad request' }] : alwaysReply(request, call),
    );
    const log = schedulerLog(h);
    await send(h, failing.id, 'Hello');
    await send(h, healthy.id, 'Hello');
    await waitFor(() => log.runs(healthy.id) >= 4, { timeoutMs: 20_000, what: 'several healthy scheduler rounds' });
    expect(log.runs(failing.id)).toBe(0);
    const notices = (await messages(h, failing.id)).filter((message) => message.participant_type === 'system');
    expect(notices).toHaveLength(2);
    for (const room of [failing, healthy]) await h.t.request({ method: 'POST', url: `/rooms/${room.id}/pause`, token: h.admin });
    log.stop();
  });
});
