import { appendFile, mkdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../src/shared/models.js';
import { agentByName, createAgent, getAgent, listAgents, PNG } from '../helpers/agent-api.js';
import { databaseAvailable } from '../helpers/test-database.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/wait-for.js';

/**
 * Issue acceptance 6 and README binding resolution 16 ask for "within a second"; that latency is measured by
 * bench/hot-reload.ts, not asserted here (quality.md: no timed assertions in tests). The bound below stays well
 * under the 30 s safety-net rescan, so these tests still fail when the watcher does not deliver the change.
 */
const WITHOUT_RESTART = { timeoutMs: 10_000 };

describe.runIf(await databaseAvailable())('agent hot reload', () => {
  let t: TestServer;
  let admin: string;

  beforeAll(async () => {
    t = await startTestServer({ agents: 'sample' });
    admin = await t.login('admin');
  });
  afterAll(async () => t?.close());

  async function sampleAgent(name: string): Promise<Agent> {
    const agent = await agentByName(t, admin, name);
    if (!agent) throw new Error(`${name} missing`);
    return agent;
  }

  /** Lamplight agents by name, as the API shows them now. */
  async function lamplight(): Promise<Map<string, Agent>> {
    const agents = (await listAgents(t, admin)).filter((agent) => agent.group === 'Lamplight');
    return new Map(agents.map((agent) => [agent.name, agent]));
  }

  it("shows an edited in_a_nutshell.md in the agent and its system prompt without a restart", async () => {
    const mira = await sampleAgent('Mira');
    const since = performance.now();
    await writeFile(join(t.dirs.agents, 'group_Harbour', 'Mira', 'in_a_nutshell.md'), 'Mira now runs the lighthouse.\n');
    const { value } = await waitFor(
      async () => {
        const agent = await getAgent(t, admin, mira.id);
        return agent.in_a_nutshell === 'Mira now runs the lighthouse.' && agent;
      },
      { ...WITHOUT_RESTART, since, what: "Mira's edited nutshell" },
    );
    expect(value.system_prompt).toContain('Mira now runs the lighthouse.');
    expect(value.system_prompt).not.toContain(mira.in_a_nutshell);
  });

  it('shows an edit to a Korean-named agent’s file without a restart', async () => {
    const seoyun = await sampleAgent('한서윤');
    const since = performance.now();
    await appendFile(join(t.dirs.agents, 'group_Harbour', '한서윤', 'recent_events.md'), '\n- 등대에 불이 켜졌다.\n');
    await waitFor(async () => (await getAgent(t, admin, seoyun.id)).recent_events?.endsWith('- 등대에 불이 켜졌다.'), {
      ...WITHOUT_RESTART,
      since,
      what: "한서윤's appended recent event",
    });
  });

  it('applies a changed agent.yaml flag without a restart', async () => {
    const bea = await sampleAgent('Bea');
    expect(bea.interrupt_every_turn).toBe(false);
    const since = performance.now();
    await writeFile(join(t.dirs.agents, 'group_Lamplight', 'Bea', 'agent.yaml'), 'interrupt_every_turn: true\n');
    await waitFor(async () => (await getAgent(t, admin, bea.id)).interrupt_every_turn, {
      ...WITHOUT_RESTART,
      since,
      what: "Bea's interrupt_every_turn",
    });
  });

  it('applies a changed group_config.yaml flag to every group member without its own override without a restart', async () => {
    // An agent whose agent.yaml sets transparent itself keeps its value (README binding resolution 8).
    const anchor = join(t.dirs.agents, 'group_Lamplight', 'Anchor');
    await mkdir(anchor);
    await writeFile(join(anchor, 'agent.yaml'), 'transparent: false\n');
    await writeFile(join(anchor, 'in_a_nutshell.md'), 'Anchor keeps the minutes.\n');
    await waitFor(async () => (await lamplight()).has('Anchor'), { ...WITHOUT_RESTART, what: 'Anchor discovered' });

    const configPath = join(t.dirs.agents, 'group_Lamplight', 'group_config.yaml');
    const original = await readFile(configPath, 'utf8');
    const since = performance.now();
    await writeFile(configPath, original.replace(/^transparent: false$/m, 'transparent: true').replace(/^priority: 0$/m, 'priority: 4'));
    const { value } = await waitFor(
      async () => {
        const agents = await lamplight();
        // Anchor's priority shows its row was refreshed too, so its kept transparent flag means something.
        const flipped = ['Bea', 'Dario', 'Priya', 'Wren'].every((name) => agents.get(name)?.transparent === true);
        return flipped && agents.get('Anchor')?.priority === 4 && agents;
      },
      { ...WITHOUT_RESTART, since, what: 'Lamplight agents turning transparent' },
    );
    expect(value.get('Bea')).toMatchObject({ transparent: true, priority: 4 });
    expect(value.get('Priya')).toMatchObject({ transparent: true, priority: 4 });
    expect(value.get('Wren')).toMatchObject({ transparent: true, priority: 5 });
    expect(value.get('Dario')).toMatchObject({ transparent: true, priority: -1 });
    expect(value.get('Anchor')).toMatchObject({ transparent: false, priority: 4 });
    const harbour = (await listAgents(t, admin)).filter((agent) => agent.group === 'Harbour' && agent.name !== 'Tidewatch');
    for (const agent of harbour) expect(agent.transparent, agent.name).toBe(false);
  });

  it('adds a new agent folder to GET /agents without a restart', async () => {
    const since = performance.now();
    await mkdir(join(t.dirs.agents, 'Newcomer'));
    await writeFile(join(t.dirs.agents, 'Newcomer', 'in_a_nutshell.md'), 'Newcomer just moved to Skerrow.\n');
    const { value } = await waitFor(() => agentByName(t, admin, 'Newcomer'), {
      ...WITHOUT_RESTART,
      since,
      what: 'Newcomer discovered',
    });
    expect(value).toMatchObject({
      group: null,
      config_file: 'agents/Newcomer',
      in_a_nutshell: 'Newcomer just moved to Skerrow.',
      characteristics: '',
      profile_pic: null,
    });
    expect(value.system_prompt).toContain('Newcomer just moved to Skerrow.');
  });

  it('adds an agent in a new group folder without a restart', async () => {
    const since = performance.now();
    await mkdir(join(t.dirs.agents, 'group_Ferry', 'Skipper'), { recursive: true });
    await writeFile(join(t.dirs.agents, 'group_Ferry', 'Skipper', 'characteristics.md'), 'Weathered.\n');
    const { value } = await waitFor(() => agentByName(t, admin, 'Skipper'), {
      ...WITHOUT_RESTART,
      since,
      what: 'Skipper discovered',
    });
    expect(value).toMatchObject({ group: 'Ferry', config_file: 'agents/group_Ferry/Skipper', characteristics: 'Weathered.' });
  });

  it('shows a new profile picture file, and its removal, without a restart', async () => {
    const agent = await createAgent(t, admin, { name: 'Canvas', in_a_nutshell: 'Canvas paints.' });
    expect(agent.profile_pic).toBeNull();
    let since = performance.now();
    await writeFile(join(t.dirs.agents, 'Canvas', 'avatar.png'), PNG);
    await waitFor(async () => (await getAgent(t, admin, agent.id)).profile_pic === 'avatar.png', {
      ...WITHOUT_RESTART,
      since,
      what: 'the new picture',
    });
    since = performance.now();
    await unlink(join(t.dirs.agents, 'Canvas', 'avatar.png'));
    await waitFor(async () => (await getAgent(t, admin, agent.id)).profile_pic === null, {
      ...WITHOUT_RESTART,
      since,
      what: 'the removed picture',
    });
  });

  it('treats a renamed folder as a new agent and keeps the old row', async () => {
    const juniper = await sampleAgent('Juniper');
    const since = performance.now();
    await rename(join(t.dirs.agents, 'Juniper'), join(t.dirs.agents, 'Juniper Lee'));
    const { value } = await waitFor(() => agentByName(t, admin, 'Juniper Lee'), {
      ...WITHOUT_RESTART,
      since,
      what: 'the renamed folder discovered',
    });
    expect(value).toMatchObject({ config_file: 'agents/Juniper Lee', in_a_nutshell: juniper.in_a_nutshell });
    expect(value.id).not.toBe(juniper.id);
    expect(await getAgent(t, admin, juniper.id)).toEqual(juniper);
  });

  it('lets the first folder in path order win a duplicate name, and the next one take over when it goes', async () => {
    const priya = await sampleAgent('Priya');
    const earlier = join(t.dirs.agents, 'group_Aaa', 'Priya');
    let since = performance.now();
    await mkdir(earlier, { recursive: true });
    await writeFile(join(earlier, 'in_a_nutshell.md'), 'The other Priya.\n');
    await waitFor(async () => (await getAgent(t, admin, priya.id)).config_file === 'agents/group_Aaa/Priya', {
      ...WITHOUT_RESTART,
      since,
      what: 'the earlier Priya folder winning',
    });
    expect(await getAgent(t, admin, priya.id)).toMatchObject({ group: 'Aaa', in_a_nutshell: 'The other Priya.' });
    const configs = (await t.request({ method: 'GET', url: '/agents/configs', token: admin })).json().configs;
    expect(configs.Priya).toEqual({ path: 'agents/group_Aaa/Priya', group: 'Aaa' });

    since = performance.now();
    await rm(join(t.dirs.agents, 'group_Aaa'), { recursive: true });
    const { value } = await waitFor(
      async () => {
        const agent = await getAgent(t, admin, priya.id);
        return agent.config_file === 'agents/group_Lamplight/Priya' && agent;
      },
      { ...WITHOUT_RESTART, since, what: 'the Lamplight Priya taking over again' },
    );
    expect(value).toMatchObject({ group: 'Lamplight', in_a_nutshell: priya.in_a_nutshell });
  });

  it('keeps the row of an agent whose folder disappears', async () => {
    const odile = await sampleAgent('Odile');
    await rm(join(t.dirs.agents, 'group_Harbour', 'Odile'), { recursive: true });
    // A later discovery (triggered by an unrelated new folder) has certainly seen the removal.
    await mkdir(join(t.dirs.agents, 'Witness'));
    await writeFile(join(t.dirs.agents, 'Witness', 'in_a_nutshell.md'), 'Witness saw it all.\n');
    await waitFor(() => agentByName(t, admin, 'Witness'), { ...WITHOUT_RESTART, what: 'Witness discovered' });
    expect(await getAgent(t, admin, odile.id)).toEqual(odile);
    const configs = (await t.request({ method: 'GET', url: '/agents/configs', token: admin })).json().configs;
    expect(Object.keys(configs)).not.toContain('Odile');
  });
});
