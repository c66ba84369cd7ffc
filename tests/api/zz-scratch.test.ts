import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, it } from 'vitest';
import { agentByName, getAgent } from '../helpers/agent-api.js';
import { startTestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait-for.js';

describe('scratch', () => {
  it('measures', async () => {
    const t = await startTestServer({ agents: 'sample' });
    const admin = await t.login('admin');
    const mira = (await agentByName(t, admin, 'Mira'))!;
    const out: Record<string, number[]> = { edit: [], group: [], folder: [], rename: [] };
    for (let i = 0; i < 5; i += 1) {
      let since = performance.now();
      await writeFile(join(t.dirs.agents, 'group_Harbour', 'Mira', 'in_a_nutshell.md'), `edit ${i}\n`);
      out.edit!.push((await waitFor(async () => (await getAgent(t, admin, mira.id)).in_a_nutshell === `edit ${i}`, { timeoutMs: 5000, since })).elapsedMs);
      since = performance.now();
      await writeFile(join(t.dirs.agents, 'group_Harbour', 'group_config.yaml'), `priority: ${i + 1}\n`);
      out.group!.push((await waitFor(async () => (await getAgent(t, admin, mira.id)).priority === i + 1, { timeoutMs: 5000, since })).elapsedMs);
      since = performance.now();
      await mkdir(join(t.dirs.agents, `New${i}`));
      await writeFile(join(t.dirs.agents, `New${i}`, 'in_a_nutshell.md'), 'x\n');
      out.folder!.push((await waitFor(() => agentByName(t, admin, `New${i}`), { timeoutMs: 5000, since })).elapsedMs);
      since = performance.now();
      await rename(join(t.dirs.agents, `New${i}`), join(t.dirs.agents, `Renamed${i}`));
      out.rename!.push((await waitFor(() => agentByName(t, admin, `Renamed${i}`), { timeoutMs: 5000, since })).elapsedMs);
    }
    for (const [k, v] of Object.entries(out)) console.log(k, v.map((x) => x.toFixed(0)).join(' '));
    await t.close();
  });
});
