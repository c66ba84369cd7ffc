import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoomEvent } from '../../../src/shared/events.js';
import type { Room } from '../../../src/shared/models.js';
import {
  agentDir,
  completionRequests,
  makeAgent,
  messages,
  notices,
  recordEvents,
  replies,
  reply,
  requestsFor,
  roomWith,
  scriptAgents,
  send,
  skipResponse,
  startOpenAiHarness,
  type OpenAiHarness,
} from '../../helpers/openai-room.js';
import { databaseAvailable } from '../../helpers/test-database.js';
import { waitFor } from '../../helpers/wait-for.js';

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const ofType = <T extends RoomEvent['type']>(events: readonly RoomEvent[], type: T) =>
  events.filter((event): event is Extract<RoomEvent, { type: T }> => event.type === type);

/**
 * Provider availability and selection (behavior.md §7.4): a server with no working provider still starts and
 * serves rooms, each user run yields one `provider_unavailable` notice; an agent's provider override fails alone.
 */
describe.runIf(await databaseAvailable())('openai provider availability (behavior.md §7.4)', () => {
  describe('OPENAI_BASE_URL points at a closed port', () => {
    let h: OpenAiHarness;
    let baseUrl: string;
    beforeAll(async () => {
      baseUrl = `http://127.0.0.1:${await closedPort()}/v1`;
      h = await startOpenAiHarness({ env: { OPENAI_BASE_URL: baseUrl } });
    });
    afterAll(async () => h?.close());

    it('starts, creates rooms, and answers each user message with one provider_unavailable notice and one agent_error (scenario 61)', async () => {
      const health = await h.t.request({ method: 'GET', url: '/health' });
      expect(health.statusCode).toBe(200);
      const providers = await h.t.request({ method: 'GET', url: '/providers', token: h.admin });
      const openai = (providers.json() as { providers: { name: string; available: boolean; reason: string | null }[] }).providers.find(
        (provider) => provider.name === 'openai',
      );
      expect(openai).toMatchObject({ available: false });

      const ivy = await makeAgent(h, 'Ivy');
      const jay = await makeAgent(h, 'Jay');
      const room = await roomWith(h, [ivy, jay]);
      expect(room.default_provider).toBe('openai');
      const recorder = recordEvents(h, room.id);
      await send(h, room.id, 'Is anybody there?');
      await recorder.runEnded(1);

      let stored = await messages(h, room.id);
      expect(replies(stored)).toHaveLength(0);
      expect(notices(stored).map((message) => message.content)).toEqual([
        `No AI provider is available for this room (Cannot reach ${baseUrl}).`,
      ]);
      expect(ofType(recorder.events, 'agent_error')).toHaveLength(1);
      expect(ofType(recorder.events, 'agent_start')).toHaveLength(0);
      expect(ofType(recorder.events, 'agent_end')).toHaveLength(0);

      // One notice per run, not per agent or per message ever sent.
      await send(h, room.id, 'Still nobody?');
      await recorder.runEnded(2);
      stored = await messages(h, room.id);
      expect(notices(stored)).toHaveLength(2);
      expect(ofType(recorder.events, 'agent_error')).toHaveLength(2);
      const after = await h.t.request({ method: 'GET', url: `/rooms/${room.id}`, token: h.admin });
      expect(after.json()).toMatchObject({ is_finished: false, is_paused: false, running: null });
      recorder.stop();
    });
  });

  describe('no provider configured at all', () => {
    let h: OpenAiHarness;
    beforeAll(async () => {
      h = await startOpenAiHarness({ env: { OPENAI_BASE_URL: undefined, OPENAI_MODEL: undefined, DEFAULT_PROVIDER: undefined } });
    });
    afterAll(async () => h?.close());

    it('gives rooms the fallback provider and one notice per run (scenario 61, README resolution 1)', async () => {
      const kim = await makeAgent(h, 'Kim');
      const room = await roomWith(h, [kim]);
      expect(room.default_provider).toBe('claude');
      const recorder = recordEvents(h, room.id);
      await send(h, room.id, 'Hello?');
      await recorder.runEnded(1);
      const stored = await messages(h, room.id);
      expect(notices(stored)).toHaveLength(1);
      expect(notices(stored)[0]!.content).toMatch(/^No AI provider is available for this room \(.+\)\.$/);
      expect(ofType(recorder.events, 'agent_error')).toHaveLength(1);
      expect(completionRequests(h)).toHaveLength(0);
      recorder.stop();
    });
  });

  describe('the scheduler and a room whose provider is unavailable', () => {
    let h: OpenAiHarness;
    beforeAll(async () => {
      h = await startOpenAiHarness({
        env: { SCHEDULER_ENABLED: 'true', SCHEDULER_INTERVAL_MS: '50', MAX_FOLLOW_UP_ROUNDS: '0' },
      });
    });
    afterAll(async () => h?.close());

    it('never retries the unavailable room while it keeps running rounds elsewhere (scenario 61)', async () => {
      const pia = await makeAgent(h, 'Pia');
      const quin = await makeAgent(h, 'Quin');
      scriptAgents(h, { Pia: (call) => reply(`Pia line ${call}`), Quin: (call) => reply(`Quin line ${call}`) });
      // A codex room: codex has no adapter in this build, so this room's provider is unavailable.
      const stuck = await roomWith(h, [pia, quin], { provider: 'codex' });
      expect(stuck.default_provider).toBe('codex');
      const stuckEvents = recordEvents(h, stuck.id);
      await send(h, stuck.id, 'Anyone?');
      await stuckEvents.runEnded(1);
      expect(notices(await messages(h, stuck.id))).toHaveLength(1);

      // The control: an openai room the scheduler keeps talking in.
      const lively = await roomWith(h, [pia, quin]);
      const livelyEvents = recordEvents(h, lively.id);
      await send(h, lively.id, 'Talk among yourselves');
      const schedulerRuns = () =>
        livelyEvents.events.filter(
          (event) => event.type === 'room' && event.data.reason === 'run_started' && event.data.room.running === 'scheduler',
        ).length >= 3;
      await waitFor(schedulerRuns, { timeoutMs: 15_000, what: 'three scheduler rounds in the openai room' });

      // Meanwhile the codex room, eligible in every other respect, got no run and no further notice.
      const stuckRuns = stuckEvents.events.filter((event) => event.type === 'room' && event.data.reason === 'run_started');
      expect(stuckRuns).toHaveLength(1);
      expect(notices(await messages(h, stuck.id))).toHaveLength(1);
      const room = (await h.t.request({ method: 'GET', url: `/rooms/${stuck.id}`, token: h.admin })).json() as Room;
      expect(room).toMatchObject({ is_paused: false, is_finished: false });
      stuckEvents.stop();
      livelyEvents.stop();
    });
  });

  describe("an agent.yaml provider override", () => {
    let h: OpenAiHarness;
    beforeAll(async () => {
      h = await startOpenAiHarness({ env: { MAX_FOLLOW_UP_ROUNDS: '1' } });
    });
    afterAll(async () => h?.close());

    it('fails only that agent, once per run, while the others store provider=openai (scenario 62)', async () => {
      const mira = await makeAgent(h, 'Mira');
      const ana = await makeAgent(h, 'Ana');
      const ben = await makeAgent(h, 'Ben');
      await writeFile(join(agentDir(h, mira), 'agent.yaml'), 'provider: codex\n');
      const once = (text: string) => (call: number, request: Parameters<typeof skipResponse>[0]) =>
        call === 1 ? reply(text) : skipResponse(request);
      scriptAgents(h, { Mira: reply('Mira must never be asked.'), Ana: once('Ana answers.'), Ben: once('Ben answers.') });
      const room = await roomWith(h, [mira, ana, ben]);
      const recorder = recordEvents(h, room.id);
      await send(h, room.id, 'Morning, everyone');
      await recorder.runEnded(1);

      expect(requestsFor(h, 'Mira')).toHaveLength(0);
      const stored = await messages(h, room.id);
      expect(
        replies(stored)
          .map((message) => [message.agent_name, message.provider, message.model])
          .sort(),
      ).toEqual([
        ['Ana', 'openai', 'fake-model'],
        ['Ben', 'openai', 'fake-model'],
      ]);
      // A single notice for the run, however many of Mira's cells the run reached.
      expect(notices(stored).map((message) => message.content)).toEqual([
        'No AI provider is available for this room (Not supported by this build yet).',
      ]);
      const errors = ofType(recorder.events, 'agent_error');
      expect(errors.map((event) => event.data.agent_id)).toEqual([mira.id]);
      expect(ofType(recorder.events, 'agent_start').some((event) => event.data.agent_id === mira.id)).toBe(false);

      // The next run notices again, once.
      await send(h, room.id, 'Mira?');
      await recorder.runEnded(2);
      expect(notices(await messages(h, room.id))).toHaveLength(2);
      expect(requestsFor(h, 'Mira')).toHaveLength(0);
      recorder.stop();
    });
  });
});
