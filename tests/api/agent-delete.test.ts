import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMessageQueries } from '../../src/server/db/messages.js';
import type { Agent } from '../../src/shared/models.js';
import { ADMIN_DETAIL, agentByName, createAgent, listAgents, listDir, readText } from '../helpers/agent-api.js';
import { databaseAvailable } from '../helpers/test-database.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait-for.js';

// A fixed clock makes the trash folder's UTC stamp exact (README binding resolution 9).
const NOW = new Date('2026-01-05T09:30:07.123Z');
const STAMP = '20260105T093007';

describe.runIf(await databaseAvailable())('DELETE /agents/{agent_id}', () => {
  let t: TestServer;
  let admin: string;
  let guest: string;
  let deletedId = 0;

  beforeAll(async () => {
    t = await startTestServer({ agents: 'sample', now: () => NOW });
    admin = await t.login('admin');
    guest = await t.login('guest');
  });
  afterAll(async () => t?.close());

  const remove = (id: number, query = '') => t.request({ method: 'DELETE', url: `/agents/${id}${query}`, token: admin });

  async function sampleAgent(name: string): Promise<Agent> {
    const agent = await agentByName(t, admin, name);
    if (!agent) throw new Error(`${name} missing`);
    return agent;
  }

  it('deletes the row, keeps its messages without an author, and drops its memberships', async () => {
    const mira = await sampleAgent('Mira');
    deletedId = mira.id;
    const room = (await t.request({ method: 'POST', url: '/rooms', token: admin, payload: { name: 'Quay' } })).json();
    const added = await t.request({ method: 'POST', url: `/rooms/${room.id}/agents/${mira.id}`, token: admin });
    expect(added.statusCode).toBe(200);
    const stored = await createMessageQueries(t.server.database.db).insertMessage({
      roomId: room.id,
      agentId: mira.id,
      content: 'The Admiral is haunted, I tell you.',
      role: 'assistant',
      participantType: 'character',
      participantName: 'Mira',
      provider: 'claude',
      model: 'test-model',
      timestamp: NOW,
    });

    const response = await remove(mira.id);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ message: 'Agent deleted successfully' });

    expect((await t.request({ method: 'GET', url: `/agents/${mira.id}`, token: admin })).statusCode).toBe(404);
    const messages = (await t.request({ method: 'GET', url: `/rooms/${room.id}/messages`, token: admin })).json();
    const kept = messages.find((message: { id: number }) => message.id === stored.id);
    expect(kept).toMatchObject({
      agent_id: null,
      agent_name: null,
      participant_name: 'Mira',
      content: 'The Admiral is haunted, I tell you.',
    });
    const members = (await t.request({ method: 'GET', url: `/rooms/${room.id}/agents`, token: admin })).json();
    expect(members).toEqual([]);
  });

  it('moves the folder to .trash/<name>-<UTC yyyyMMddTHHmmss>/', async () => {
    expect(await listDir(join(t.dirs.agents, 'group_Harbour'))).not.toContain('Mira');
    const trashed = join(t.dirs.agents, '.trash', `Mira-${STAMP}`);
    expect(await listDir(trashed)).toEqual(
      expect.arrayContaining(['in_a_nutshell.md', 'characteristics.md', 'recent_events.md', 'profile.svg']),
    );
    expect(await readText(join(trashed, 'in_a_nutshell.md'))).toContain('Mira Calloway');
  });

  it('does not bring a deleted agent back at the next discovery', async () => {
    await mkdir(join(t.dirs.agents, 'Latecomer'));
    await writeFile(join(t.dirs.agents, 'Latecomer', 'in_a_nutshell.md'), 'Latecomer arrives after a delete.\n');
    await waitFor(async () => (await agentByName(t, admin, 'Latecomer')) !== undefined, {
      timeoutMs: 5000,
      what: 'a rescan discovering Latecomer',
    });
    const names = (await listAgents(t, admin)).map((agent) => agent.name);
    expect(names).not.toContain('Mira');
    const configs = (await t.request({ method: 'GET', url: '/agents/configs', token: admin })).json().configs;
    expect(Object.keys(configs)).toContain('Latecomer');
    expect(Object.keys(configs)).not.toContain('Mira');
  });

  it('moves the folder whatever delete_folder says, with a suffix when the stamp is taken', async () => {
    const first = await createAgent(t, admin, { name: 'Echo', in_a_nutshell: 'First Echo.' });
    expect((await remove(first.id, '?delete_folder=true')).json()).toEqual({ message: 'Agent deleted successfully' });
    const second = await createAgent(t, admin, { name: 'Echo', in_a_nutshell: 'Second Echo.' });
    expect((await remove(second.id, '?delete_folder=false')).statusCode).toBe(200);
    expect(await listDir(t.dirs.agents)).not.toContain('Echo');
    const trash = join(t.dirs.agents, '.trash');
    expect(await readText(join(trash, `Echo-${STAMP}`, 'in_a_nutshell.md'))).toBe('First Echo.\n');
    expect(await readText(join(trash, `Echo-${STAMP}-2`, 'in_a_nutshell.md'))).toBe('Second Echo.\n');
  });

  it('deletes an agent whose folder is already gone', async () => {
    const agent = await createAgent(t, admin, { name: 'Fading' });
    await rm(join(t.dirs.agents, 'Fading'), { recursive: true });
    expect((await remove(agent.id)).statusCode).toBe(200);
    expect((await t.request({ method: 'GET', url: `/agents/${agent.id}`, token: admin })).statusCode).toBe(404);
  });

  it('answers 404 for an unknown or already deleted agent', async () => {
    for (const id of [999_999, deletedId]) {
      const response = await remove(id);
      expect(response.statusCode, String(id)).toBe(404);
      expect(response.json()).toEqual({ detail: 'Agent not found' });
    }
  });

  it('answers 403 to a guest and keeps the agent and its folder', async () => {
    const tobin = await sampleAgent('Tobin');
    const response = await t.request({ method: 'DELETE', url: `/agents/${tobin.id}`, token: guest });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual(ADMIN_DETAIL);
    expect(await listDir(join(t.dirs.agents, 'group_Harbour'))).toContain('Tobin');
    expect((await sampleAgent('Tobin')).id).toBe(tobin.id);
  });
});
