import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, dataUrl, listAgents, listDir, PNG } from '../helpers/agent-api.js';
import { databaseAvailable } from '../helpers/test-database.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

describe.runIf(await databaseAvailable())('POST /agents input rules', () => {
  let t: TestServer;
  let admin: string;

  beforeAll(async () => {
    t = await startTestServer({ agents: 'sample' });
    admin = await t.login('admin');
  });
  afterAll(async () => t?.close());

  const post = (payload: unknown) => t.request({ method: 'POST', url: '/agents', token: admin, payload: payload as object });

  /** Everything on disk outside AGENTS_DIR's own tree that a traversal could reach. */
  const snapshot = async () => ({
    root: (await readdir(t.dirs.root)).sort(),
    agents: await listDir(t.dirs.agents),
    agentCount: (await listAgents(t, admin)).length,
  });

  describe('names', () => {
    it('answers 422 for names that are empty, too long, hidden, or would leave the folder, and writes nothing', async () => {
      const before = await snapshot();
      for (const name of ['../x', '..', '.hidden', 'a/b', 'a\\b', 'x'.repeat(65), '', '   ', 'a..b', 'nul\u0000byte', 'tab\tname']) {
        const response = await post({ name, in_a_nutshell: 'Should never be written.' });
        expect(response.statusCode, JSON.stringify(name)).toBe(422);
        expect(response.json().detail[0].loc).toEqual(['body', 'name']);
      }
      expect(await snapshot()).toEqual(before);
    });

    it('answers 422 for an ungrouped name that discovery would read as a group folder', async () => {
      const response = await post({ name: 'group_Sneaky', in_a_nutshell: 'Not a group.' });
      expect(response.statusCode).toBe(422);
      expect(response.json().detail[0].loc).toEqual(['body', 'name']);
      expect(await listDir(t.dirs.agents)).not.toContain('group_Sneaky');
      expect((await createAgent(t, admin, { name: 'group_Member', group: 'Sneaky' })).config_file).toBe(
        'agents/group_Sneaky/group_Member',
      );
    });

    it('answers 422 for a group name that would leave the folder', async () => {
      const before = await snapshot();
      for (const group of ['../evil', '..', 'a/b', '.hidden', 'x'.repeat(65), '']) {
        const response = await post({ name: 'Wanderer', group });
        expect(response.statusCode, JSON.stringify(group)).toBe(422);
        expect(response.json().detail[0].loc).toEqual(['body', 'group']);
      }
      expect(await snapshot()).toEqual(before);
    });

    it('accepts a 64-character name and letters of any script, trimmed and NFC-normalized', async () => {
      const long = 'L'.repeat(64);
      expect((await createAgent(t, admin, { name: long })).name).toBe(long);
      const korean = await createAgent(t, admin, { name: `  ${'김하늘'.normalize('NFD')} `, group: 'Harbour' });
      expect(korean.name).toBe('김하늘');
      expect(korean.config_file).toBe('agents/group_Harbour/김하늘');
      expect(await listDir(join(t.dirs.agents, 'group_Harbour'))).toContain('김하늘');
    });

    it('answers 422 for texts over their limits and an out-of-range priority', async () => {
      const cases: [Record<string, unknown>, string][] = [
        [{ in_a_nutshell: 'x'.repeat(10_001) }, 'in_a_nutshell'],
        [{ characteristics: 'x'.repeat(100_001) }, 'characteristics'],
        [{ recent_events: 'x'.repeat(200_001) }, 'recent_events'],
        [{ priority: 1001 }, 'priority'],
        [{ priority: 'high' }, 'priority'],
        [{ transparent: 'maybe' }, 'transparent'],
      ];
      for (const [fields, field] of cases) {
        const response = await post({ name: 'Overflow', ...fields });
        expect(response.statusCode, field).toBe(422);
        expect(response.json().detail[0].loc).toEqual(['body', field]);
      }
      expect(await listDir(join(t.dirs.agents, 'Overflow'))).toEqual([]);
    });

    it('answers 422 for a group folder that is a symlink leading outside, and writes nothing there', async () => {
      const outside = join(t.dirs.root, 'elsewhere');
      await mkdir(outside);
      await symlink(outside, join(t.dirs.agents, 'group_Escape'));
      const response = await post({ name: 'Runner', group: 'Escape', in_a_nutshell: 'Gone.' });
      expect(response.statusCode).toBe(422);
      expect(response.json().detail[0].loc).toEqual(['body', 'group']);
      expect(await listDir(outside)).toEqual([]);
    });

    it('answers 422 for a picture over 10 MiB decoded', async () => {
      const big = Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024 + 1 - PNG.length)]);
      const response = await post({ name: 'Heavy', profile_pic: dataUrl('png', big) });
      expect(response.statusCode).toBe(422);
      expect(response.json().detail[0].loc).toEqual(['body', 'profile_pic']);
      expect(await listDir(t.dirs.agents)).not.toContain('Heavy');
    });

    it('answers 422 for a picture whose bytes do not match its type, and leaves no folder', async () => {
      const response = await post({ name: 'Mismatch', profile_pic: dataUrl('jpeg', PNG) });
      expect(response.statusCode).toBe(422);
      expect(response.json().detail[0].loc).toEqual(['body', 'profile_pic']);
      expect(await listDir(t.dirs.agents)).not.toContain('Mismatch');
    });
  });

  describe('config_file', () => {
    it('adopts an existing folder, taking the group from its location and ignoring the request texts', async () => {
      const dir = join(t.dirs.agents, 'group_Harbour', 'Adoptee');
      await mkdir(dir);
      await writeFile(join(dir, 'notes.txt'), 'a folder without marker files is not discovered on its own\n');
      await writeFile(join(dir, 'avatar.png'), PNG);
      const response = await post({
        name: 'Adoptee',
        group: 'Elsewhere',
        config_file: 'agents/group_Harbour/Adoptee',
        in_a_nutshell: 'Ignored text.',
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        name: 'Adoptee',
        group: 'Harbour',
        config_file: 'agents/group_Harbour/Adoptee',
        in_a_nutshell: '',
        profile_pic: 'avatar.png',
      });
      expect(await listDir(dir)).toEqual(['avatar.png', 'notes.txt']);
      expect(await listDir(join(t.dirs.agents, 'group_Elsewhere'))).toEqual([]);
    });

    it('accepts config_file without the agents/ prefix', async () => {
      await mkdir(join(t.dirs.agents, 'Bare'));
      const response = await post({ name: 'Bare', config_file: 'Bare' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ group: null, config_file: 'agents/Bare' });
    });

    it('answers 422 for a config_file outside the agents folder, missing, misnamed or not an agent folder', async () => {
      await mkdir(join(t.dirs.root, 'Outsider'));
      await mkdir(join(t.dirs.root, 'outside', 'Linked'), { recursive: true });
      await symlink(join(t.dirs.root, 'outside', 'Linked'), join(t.dirs.agents, 'Linked'));
      await mkdir(join(t.dirs.agents, 'Deep', 'Deeper'), { recursive: true });
      const cases: [string, string][] = [
        ['Outsider', 'agents/../Outsider'],
        ['Outsider', '../Outsider'],
        ['Outsider', join(t.dirs.root, 'Outsider')],
        ['Linked', 'agents/Linked'],
        ['Nowhere', 'agents/Nowhere'],
        ['Someone', 'agents/group_Harbour/Mira'],
        ['group_Harbour', 'agents/group_Harbour'],
        ['Deeper', 'agents/Deep/Deeper'],
        ['Trashed', 'agents/.trash/Trashed'],
      ];
      await mkdir(join(t.dirs.agents, '.trash', 'Trashed'), { recursive: true });
      for (const [name, config_file] of cases) {
        const response = await post({ name, config_file });
        expect(response.statusCode, config_file).toBe(422);
        expect(response.json().detail[0].loc).toEqual(['body', 'config_file']);
      }
      const names = (await listAgents(t, admin)).map((agent) => agent.name);
      for (const [name] of cases) expect(names).not.toContain(name);
    });

    it('answers 409 rather than adopting a folder for a name that already has an agent', async () => {
      const response = await post({ name: 'Mira', config_file: 'agents/group_Harbour/Mira' });
      expect(response.statusCode).toBe(409);
      expect(response.json()).toEqual({ detail: "Agent with name 'Mira' already exists" });
    });
  });
});
