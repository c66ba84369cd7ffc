import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createAgentQueries } from '../../src/server/db/agents.js';
import {
  ADMIN_DETAIL,
  agentByName,
  createAgent,
  dataUrl,
  folderOf,
  getAgent,
  listDir,
  PNG,
  readText,
  SVG,
} from '../helpers/agent-api.js';
import { databaseAvailable } from '../helpers/test-database.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const exists = async (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

describe.runIf(await databaseAvailable())('agent writes', () => {
  let t: TestServer;
  let admin: string;
  let guest: string;

  beforeAll(async () => {
    t = await startTestServer({ agents: 'sample' });
    admin = await t.login('admin');
    guest = await t.login('guest');
  });
  afterAll(async () => t?.close());

  /** A row as imported from an old database: no folder on disk. */
  async function insertFolderlessAgent(name: string, group: string | null) {
    const row = await createAgentQueries(t.server.database.db).insertAgent({
      name,
      group,
      configFile: null,
      profilePic: null,
      inANutshell: 'From the database.',
      characteristics: 'Kept from the database.',
      recentEvents: null,
      createdAt: new Date(),
    });
    if (row === 'duplicate') throw new Error(`${name} already exists`);
    return row;
  }

  describe('POST /agents', () => {
    it('writes an ungrouped folder with the three trimmed texts and returns the agent', async () => {
      const agent = await createAgent(t, admin, {
        name: 'Nell',
        in_a_nutshell: '  Nell keeps bees.  ',
        characteristics: 'Patient.\r\nQuiet.\n\n',
      });
      const dir = join(t.dirs.agents, 'Nell');
      expect(await readText(join(dir, 'in_a_nutshell.md'))).toBe('Nell keeps bees.\n');
      expect(await readText(join(dir, 'characteristics.md'))).toBe('Patient.\nQuiet.\n');
      expect(await readText(join(dir, 'recent_events.md'))).toBe('');
      expect(agent).toMatchObject({
        name: 'Nell',
        group: null,
        config_file: 'agents/Nell',
        profile_pic: null,
        in_a_nutshell: 'Nell keeps bees.',
        characteristics: 'Patient.\nQuiet.',
        is_critic: false,
        interrupt_every_turn: false,
        priority: 0,
        transparent: false,
        session_id: null,
      });
      expect(agent.system_prompt).toContain('Nell keeps bees.');
      expect(await getAgent(t, guest, agent.id)).toEqual(agent);
    });

    it('writes a grouped agent into group_<group>/<name>/', async () => {
      const agent = await createAgent(t, admin, { name: 'Ola', group: 'Orchard', in_a_nutshell: 'Ola prunes trees.' });
      expect(agent).toMatchObject({ group: 'Orchard', config_file: 'agents/group_Orchard/Ola' });
      expect(await readText(join(t.dirs.agents, 'group_Orchard', 'Ola', 'in_a_nutshell.md'))).toBe('Ola prunes trees.\n');
      expect(await listDir(join(t.dirs.agents, 'group_Orchard', 'Ola'))).toEqual([
        'characteristics.md',
        'in_a_nutshell.md',
        'recent_events.md',
      ]);
    });

    it("writes the request's flags to agent.yaml, where they beat the group's config", async () => {
      const agent = await createAgent(t, admin, {
        name: 'Herald',
        group: 'Lamplight',
        interrupt_every_turn: 'yes',
        priority: '3',
        transparent: true,
      });
      expect(agent).toMatchObject({ interrupt_every_turn: true, priority: 3, transparent: true, is_critic: false });
      const yaml: unknown = parse(await readText(join(t.dirs.agents, 'group_Lamplight', 'Herald', 'agent.yaml')));
      expect(yaml).toEqual({ interrupt_every_turn: true, priority: 3, transparent: true });
      const reloaded = await t.request({ method: 'POST', url: `/agents/${agent.id}/reload`, token: admin });
      expect(reloaded.json()).toMatchObject({ interrupt_every_turn: true, priority: 3, transparent: true });
    });

    it('makes an agent named critic a critic', async () => {
      const agent = await createAgent(t, admin, { name: 'critic', group: 'Panel' });
      expect(agent.is_critic).toBe(true);
    });

    it('saves a data-URL picture as profile.<ext>', async () => {
      const agent = await createAgent(t, admin, { name: 'Pip', profile_pic: dataUrl('png', PNG) });
      expect(agent.profile_pic).toBe('profile.png');
      expect(await readFile(join(t.dirs.agents, 'Pip', 'profile.png'))).toEqual(PNG);
    });

    it('ignores a profile_pic that is not a data URL', async () => {
      const agent = await createAgent(t, admin, { name: 'Quill', profile_pic: 'profile.png' });
      expect(agent.profile_pic).toBeNull();
      expect(await listDir(join(t.dirs.agents, 'Quill'))).toEqual(['characteristics.md', 'in_a_nutshell.md', 'recent_events.md']);
    });

    it('answers 409 for a name that already exists, NFC-normalized', async () => {
      for (const name of ['Mira', '  Mira ', '한서윤'.normalize('NFD')]) {
        const response = await t.request({ method: 'POST', url: '/agents', token: admin, payload: { name } });
        expect(response.statusCode, name).toBe(409);
        expect(response.json()).toEqual({ detail: `Agent with name '${name.normalize('NFC').trim()}' already exists` });
      }
      expect(await exists(join(t.dirs.agents, 'Mira'))).toBe(false);
    });

    it('answers 409 for a folder that exists without an agent row', async () => {
      await mkdir(join(t.dirs.agents, 'group_Harbour', 'Ghost'));
      await writeFile(join(t.dirs.agents, 'group_Harbour', 'Ghost', 'notes.txt'), 'not an agent yet\n');
      const response = await t.request({ method: 'POST', url: '/agents', token: admin, payload: { name: 'Ghost', group: 'Harbour' } });
      expect(response.statusCode).toBe(409);
      expect(response.json()).toEqual({ detail: "Agent folder 'agents/group_Harbour/Ghost' already exists" });
      expect(await listDir(join(t.dirs.agents, 'group_Harbour', 'Ghost'))).toEqual(['notes.txt']);
    });

    it('answers 403 to a guest, even for an invalid body, and writes nothing', async () => {
      for (const name of ['Intruder', '../x']) {
        const response = await t.request({ method: 'POST', url: '/agents', token: guest, payload: { name } });
        expect(response.statusCode, name).toBe(403);
        expect(response.json()).toEqual(ADMIN_DETAIL);
      }
      expect(await exists(join(t.dirs.agents, 'Intruder'))).toBe(false);
    });
  });

  describe('PATCH /agents/{agent_id}', () => {
    it('writes in_a_nutshell to its file and returns it with a refreshed system prompt', async () => {
      const mira = await agentByName(t, admin, 'Mira');
      if (!mira) throw new Error('Mira missing');
      const response = await t.request({ method: 'PATCH', url: `/agents/${mira.id}`, token: admin, payload: { in_a_nutshell: 'X' } });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ id: mira.id, in_a_nutshell: 'X', characteristics: mira.characteristics });
      expect(response.json().system_prompt).not.toContain(mira.in_a_nutshell);
      expect(response.json().system_prompt).toContain('\n\nX\n');
      expect(await readText(join(folderOf(t, mira), 'in_a_nutshell.md'))).toBe('X\n');
      expect((await getAgent(t, guest, mira.id)).in_a_nutshell).toBe('X');
    });

    it('empties a file for an empty string and leaves it for null', async () => {
      const agent = await createAgent(t, admin, { name: 'Rook', in_a_nutshell: 'Rook plays chess.', characteristics: 'Sharp.' });
      const response = await t.request({
        method: 'PATCH',
        url: `/agents/${agent.id}`,
        token: admin,
        payload: { in_a_nutshell: null, characteristics: '' },
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ in_a_nutshell: 'Rook plays chess.', characteristics: '' });
      expect(await readText(join(t.dirs.agents, 'Rook', 'in_a_nutshell.md'))).toBe('Rook plays chess.\n');
      expect(await readText(join(t.dirs.agents, 'Rook', 'characteristics.md'))).toBe('');
    });

    it('saves a PNG into a grouped agent folder and removes its other profile pictures', async () => {
      const tobin = await agentByName(t, admin, 'Tobin');
      if (!tobin) throw new Error('Tobin missing');
      const dir = join(t.dirs.agents, 'group_Harbour', 'Tobin');
      await writeFile(join(dir, 'avatar.gif'), 'GIF89a\x01\x00\x01\x00');
      const response = await t.request({
        method: 'PATCH',
        url: `/agents/${tobin.id}`,
        token: admin,
        payload: { profile_pic: dataUrl('png', PNG) },
      });
      expect(response.statusCode).toBe(200);
      expect(response.json().profile_pic).toBe('profile.png');
      expect(await readFile(join(dir, 'profile.png'))).toEqual(PNG);
      const files = await listDir(dir);
      expect(files).not.toContain('profile.svg');
      expect(files).toContain('avatar.gif');
      expect(await exists(join(t.dirs.agents, 'Tobin'))).toBe(false);
      const picture = await t.request({ method: 'GET', url: '/agents/Tobin/profile-pic' });
      expect(picture.headers['content-type']).toBe('image/png');
      expect(picture.rawPayload).toEqual(PNG);
    });

    it('leaves the picture unchanged for null and for a value that is not a data URL', async () => {
      const odile = await agentByName(t, admin, 'Odile');
      if (!odile) throw new Error('Odile missing');
      for (const profile_pic of [null, 'profile.png']) {
        const response = await t.request({ method: 'PATCH', url: `/agents/${odile.id}`, token: admin, payload: { profile_pic } });
        expect(response.statusCode).toBe(200);
        expect(response.json().profile_pic).toBe('profile.svg');
      }
      expect(await listDir(join(t.dirs.agents, 'group_Harbour', 'Odile'))).toContain('profile.svg');
    });

    it('answers 422 for an in_a_nutshell over 10,000 characters and leaves the file', async () => {
      const agent = await createAgent(t, admin, { name: 'Sable', in_a_nutshell: 'Sable is brief.' });
      const response = await t.request({
        method: 'PATCH',
        url: `/agents/${agent.id}`,
        token: admin,
        payload: { in_a_nutshell: 'y'.repeat(10_001) },
      });
      expect(response.statusCode).toBe(422);
      expect(response.json().detail[0]).toMatchObject({ type: 'string_too_long', loc: ['body', 'in_a_nutshell'] });
      expect(await readText(join(t.dirs.agents, 'Sable', 'in_a_nutshell.md'))).toBe('Sable is brief.\n');
    });

    it('answers 422 for a malformed picture and writes nothing', async () => {
      const agent = await createAgent(t, admin, { name: 'Tess' });
      const response = await t.request({
        method: 'PATCH',
        url: `/agents/${agent.id}`,
        token: admin,
        payload: { profile_pic: dataUrl('png', SVG) },
      });
      expect(response.statusCode).toBe(422);
      expect(response.json().detail[0].loc).toEqual(['body', 'profile_pic']);
      expect(await listDir(join(t.dirs.agents, 'Tess'))).not.toContain('profile.png');
    });

    it('gives an agent without a folder one at the default location and sets its config_file', async () => {
      const row = await insertFolderlessAgent('Imported', 'Harbour');
      const response = await t.request({ method: 'PATCH', url: `/agents/${row.id}`, token: admin, payload: { in_a_nutshell: 'Y' } });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        config_file: 'agents/group_Harbour/Imported',
        group: 'Harbour',
        in_a_nutshell: 'Y',
        characteristics: 'Kept from the database.',
      });
      const dir = join(t.dirs.agents, 'group_Harbour', 'Imported');
      expect(await readText(join(dir, 'in_a_nutshell.md'))).toBe('Y\n');
      expect(await readText(join(dir, 'characteristics.md'))).toBe('Kept from the database.\n');
    });

    it('writes a folderless agent into a folder already waiting at its default location', async () => {
      await mkdir(join(t.dirs.agents, 'Dormant'));
      await writeFile(join(t.dirs.agents, 'Dormant', 'notes.txt'), 'no marker files yet\n');
      const row = await insertFolderlessAgent('Dormant', null);
      const response = await t.request({ method: 'PATCH', url: `/agents/${row.id}`, token: admin, payload: { in_a_nutshell: 'Awake.' } });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ config_file: 'agents/Dormant', in_a_nutshell: 'Awake.' });
      expect(await readText(join(t.dirs.agents, 'Dormant', 'in_a_nutshell.md'))).toBe('Awake.\n');
      expect(await listDir(join(t.dirs.agents, 'Dormant'))).toContain('notes.txt');
    });

    it('answers 404 for an unknown agent and 403 to a guest', async () => {
      const missing = await t.request({ method: 'PATCH', url: '/agents/999999', token: admin, payload: { in_a_nutshell: 'x' } });
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual({ detail: 'Agent not found' });
      const juniper = await agentByName(t, admin, 'Juniper');
      if (!juniper) throw new Error('Juniper missing');
      const forbidden = await t.request({ method: 'PATCH', url: `/agents/${juniper.id}`, token: guest, payload: { in_a_nutshell: 'x' } });
      expect(forbidden.statusCode).toBe(403);
      expect(forbidden.json()).toEqual(ADMIN_DETAIL);
      expect((await getAgent(t, admin, juniper.id)).in_a_nutshell).toBe(juniper.in_a_nutshell);
    });
  });

  describe('concurrent writes', () => {
    it('keeps both of two concurrent PATCHes of different fields', async () => {
      const agent = await createAgent(t, admin, { name: 'Ursa', in_a_nutshell: 'Old nutshell.', characteristics: 'Old traits.' });
      const [first, second] = await Promise.all([
        t.request({ method: 'PATCH', url: `/agents/${agent.id}`, token: admin, payload: { in_a_nutshell: 'New nutshell.' } }),
        t.request({ method: 'PATCH', url: `/agents/${agent.id}`, token: admin, payload: { characteristics: 'New traits.' } }),
      ]);
      expect([first.statusCode, second.statusCode]).toEqual([200, 200]);
      expect(await readText(join(t.dirs.agents, 'Ursa', 'in_a_nutshell.md'))).toBe('New nutshell.\n');
      expect(await readText(join(t.dirs.agents, 'Ursa', 'characteristics.md'))).toBe('New traits.\n');
      expect(await getAgent(t, admin, agent.id)).toMatchObject({ in_a_nutshell: 'New nutshell.', characteristics: 'New traits.' });
    });

    it('gives exactly one 200 and one 409 to two concurrent creates of one name', async () => {
      const payload = { name: 'Twin', in_a_nutshell: 'Only one of us.' };
      const responses = await Promise.all([
        t.request({ method: 'POST', url: '/agents', token: admin, payload }),
        t.request({ method: 'POST', url: '/agents', token: admin, payload }),
      ]);
      expect(responses.map((response) => response.statusCode).sort()).toEqual([200, 409]);
      const conflict = responses.find((response) => response.statusCode === 409);
      expect(conflict?.json()).toEqual({ detail: "Agent with name 'Twin' already exists" });
      const twins = (await t.request({ method: 'GET', url: '/agents', token: admin })).json() as { name: string }[];
      expect(twins.filter((agent) => agent.name === 'Twin')).toHaveLength(1);
    });
  });
});
