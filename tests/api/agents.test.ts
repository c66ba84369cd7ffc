import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentQueries } from '../../src/server/db/agents.js';
import type { Agent } from '../../src/shared/models.js';
import {
  ADMIN_DETAIL,
  createAgent,
  getAgent,
  ISO_UTC,
  listAgents,
  readAgentText,
  SAMPLE_AGENTS,
} from '../helpers/agent-api.js';
import { databaseAvailable } from '../helpers/test-database.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const AGENT_FIELDS = [
  'id',
  'name',
  'group',
  'config_file',
  'profile_pic',
  'in_a_nutshell',
  'characteristics',
  'recent_events',
  'is_critic',
  'interrupt_every_turn',
  'priority',
  'transparent',
  'system_prompt',
  'session_id',
  'created_at',
].sort();

describe.runIf(await databaseAvailable())('agent catalog reads', () => {
  let t: TestServer;
  let admin: string;
  let guest: string;
  let seeded: Agent[];

  beforeAll(async () => {
    t = await startTestServer({ agents: 'sample' });
    admin = await t.login('admin');
    guest = await t.login('guest');
    seeded = await listAgents(t, admin);
  });
  afterAll(async () => t?.close());

  const byName = (name: string): Agent => {
    const agent = seeded.find((candidate) => candidate.name === name);
    if (!agent) throw new Error(`${name} was not seeded`);
    return agent;
  };

  describe('GET /agents', () => {
    it('lists every sample agent in ascending id order, seeded in path order', () => {
      expect(seeded.map((agent) => agent.name)).toEqual(SAMPLE_AGENTS.map((agent) => agent.name));
      const ids = seeded.map((agent) => agent.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('returns every Agent field on every agent', () => {
      for (const agent of seeded) expect(Object.keys(agent).sort(), agent.name).toEqual(AGENT_FIELDS);
    });

    it('reports folder, group without prefix, picture, session and creation time in the contract form', () => {
      for (const expected of SAMPLE_AGENTS) {
        const agent = byName(expected.name);
        expect(agent.config_file).toBe(expected.path);
        expect(agent.group).toBe(expected.group);
        expect(agent.profile_pic).toBe('profile.svg');
        expect(agent.session_id).toBeNull();
        expect(agent.created_at).toMatch(ISO_UTC);
      }
    });

    it('copies the trimmed texts of each folder', async () => {
      for (const expected of SAMPLE_AGENTS) {
        const agent = byName(expected.name);
        const dir = join(t.dirs.agents, expected.path.replace(/^agents\//, ''));
        expect(agent.in_a_nutshell).toBe(await readAgentText(dir, 'in_a_nutshell.md'));
        expect(agent.characteristics).toBe(await readAgentText(dir, 'characteristics.md'));
        expect(agent.recent_events).toBe(await readAgentText(dir, 'recent_events.md'));
        expect(agent.in_a_nutshell).not.toBe('');
        expect(agent.in_a_nutshell).toBe(agent.in_a_nutshell?.trim());
      }
    });

    it('takes flags from agent.yaml before group_config.yaml before the defaults', () => {
      expect(byName('Tidewatch')).toMatchObject({ interrupt_every_turn: true, priority: 10, transparent: true, is_critic: false });
      expect(byName('Wren')).toMatchObject({ priority: 5, transparent: false, interrupt_every_turn: false });
      expect(byName('Dario')).toMatchObject({ priority: -1 });
      expect(byName('Mira')).toMatchObject({ interrupt_every_turn: false, priority: 0, transparent: false, is_critic: false });
      expect(byName('Critic').is_critic).toBe(true);
    });

    it("builds a system prompt naming the agent and containing its in_a_nutshell text", () => {
      for (const agent of seeded) {
        expect(agent.system_prompt).not.toBe('');
        expect(agent.system_prompt, agent.name).toContain(agent.name);
        expect(agent.system_prompt, agent.name).toContain(agent.in_a_nutshell ?? '\u0000');
      }
    });

    it('answers guests too, and 401 without a credential', async () => {
      expect((await t.request({ method: 'GET', url: '/agents', token: guest })).statusCode).toBe(200);
      const anonymous = await t.request({ method: 'GET', url: '/agents' });
      expect(anonymous.statusCode).toBe(401);
    });
  });

  describe('GET /agents/{agent_id}', () => {
    it('returns the same agent as the list', async () => {
      const mira = byName('Mira');
      expect(await getAgent(t, guest, mira.id)).toEqual(mira);
    });

    it('answers 404 Agent not found for an unknown id', async () => {
      const response = await t.request({ method: 'GET', url: '/agents/999999', token: admin });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ detail: 'Agent not found' });
    });

    it('answers 422 for an id that is not an integer', async () => {
      const response = await t.request({ method: 'GET', url: '/agents/abc', token: admin });
      expect(response.statusCode).toBe(422);
      expect(response.json().detail[0].loc).toEqual(['path', 'agent_id']);
    });
  });

  describe('GET /agents/configs', () => {
    it('maps each agent name to its folder and group, in path order', async () => {
      const response = await t.request({ method: 'GET', url: '/agents/configs', token: guest });
      expect(response.statusCode).toBe(200);
      const { configs } = response.json() as { configs: Record<string, { path: string; group: string | null }> };
      expect(Object.keys(configs)).toEqual(SAMPLE_AGENTS.map((agent) => agent.name));
      for (const expected of SAMPLE_AGENTS) {
        expect(configs[expected.name]).toEqual({ path: expected.path, group: expected.group });
      }
    });
  });

  describe('POST /agents/{agent_id}/reload', () => {
    it('re-reads the folder without adding rows', async () => {
      const before = await listAgents(t, admin);
      for (const agent of before) {
        const response = await t.request({ method: 'POST', url: `/agents/${agent.id}/reload`, token: admin });
        expect(response.statusCode, agent.name).toBe(200);
        expect(response.json()).toEqual(agent);
      }
      expect(await listAgents(t, admin)).toEqual(before);
    });

    it('returns the texts just written to disk', async () => {
      const agent = await createAgent(t, admin, { name: 'Reloaded', in_a_nutshell: 'Before.' });
      const dir = join(t.dirs.agents, 'Reloaded');
      await writeFile(join(dir, 'in_a_nutshell.md'), '  After the edit.  \n');
      await writeFile(join(dir, 'agent.yaml'), 'priority: 7\n');
      const response = await t.request({ method: 'POST', url: `/agents/${agent.id}/reload`, token: admin });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ in_a_nutshell: 'After the edit.', priority: 7 });
      expect(response.json().system_prompt).toContain('After the edit.');
    });

    it('answers 400 for an agent without a config file', async () => {
      const inserted = await createAgentQueries(t.server.database.db).insertAgent({
        name: 'Imported',
        group: null,
        configFile: null,
        profilePic: null,
        inANutshell: 'From an old database.',
        characteristics: null,
        recentEvents: null,
        createdAt: new Date(),
      });
      if (inserted === 'duplicate') throw new Error('Imported already exists');
      const response = await t.request({ method: 'POST', url: `/agents/${inserted.id}/reload`, token: admin });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ detail: 'Agent Imported does not have a config file to reload from' });
    });

    it('answers 400 Failed to load config when the folder is gone, and keeps the row', async () => {
      const agent = await createAgent(t, admin, { name: 'Vanishing', in_a_nutshell: 'Here for now.' });
      // Moved away in one step: a recursive delete would let a watcher refresh read a half-deleted folder.
      await rename(join(t.dirs.agents, 'Vanishing'), join(t.dirs.agents, '.gone-Vanishing'));
      const response = await t.request({ method: 'POST', url: `/agents/${agent.id}/reload`, token: admin });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ detail: 'Failed to load config from agents/Vanishing' });
      expect((await getAgent(t, admin, agent.id)).in_a_nutshell).toBe('Here for now.');
    });

    it('answers 404 for an unknown agent and 403 to a guest', async () => {
      const missing = await t.request({ method: 'POST', url: '/agents/999999/reload', token: admin });
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual({ detail: 'Agent not found' });
      const forbidden = await t.request({ method: 'POST', url: `/agents/${byName('Mira').id}/reload`, token: guest });
      expect(forbidden.statusCode).toBe(403);
      expect(forbidden.json()).toEqual(ADMIN_DETAIL);
    });
  });
});
