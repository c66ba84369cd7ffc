import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Agent } from '../../src/shared/models.js';
import type { TestServer } from './test-server.js';

/** Smallest byte strings that pass each type's magic-number check (the server checks bytes against the type). */
export const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
export const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>');

export function dataUrl(type: string, bytes: Buffer): string {
  return `data:image/${type};base64,${bytes.toString('base64')}`;
}

export const ADMIN_DETAIL = { detail: 'This action requires admin privileges.' };
export const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The sample pack, in path order (= discovery order = id order after seeding). */
export const SAMPLE_AGENTS = [
  { name: 'Critic', group: null, path: 'agents/Critic' },
  { name: 'Juniper', group: null, path: 'agents/Juniper' },
  { name: 'Mira', group: 'Harbour', path: 'agents/group_Harbour/Mira' },
  { name: 'Odile', group: 'Harbour', path: 'agents/group_Harbour/Odile' },
  { name: 'Tidewatch', group: 'Harbour', path: 'agents/group_Harbour/Tidewatch' },
  { name: 'Tobin', group: 'Harbour', path: 'agents/group_Harbour/Tobin' },
  { name: '한서윤', group: 'Harbour', path: 'agents/group_Harbour/한서윤' },
  { name: 'Bea', group: 'Lamplight', path: 'agents/group_Lamplight/Bea' },
  { name: 'Dario', group: 'Lamplight', path: 'agents/group_Lamplight/Dario' },
  { name: 'Priya', group: 'Lamplight', path: 'agents/group_Lamplight/Priya' },
  { name: 'Wren', group: 'Lamplight', path: 'agents/group_Lamplight/Wren' },
] as const;

export async function listAgents(t: TestServer, token: string): Promise<Agent[]> {
  const response = await t.request({ method: 'GET', url: '/agents', token });
  if (response.statusCode !== 200) throw new Error(`GET /agents answered ${response.statusCode}: ${response.body}`);
  return response.json() as Agent[];
}

export async function agentByName(t: TestServer, token: string, name: string): Promise<Agent | undefined> {
  return (await listAgents(t, token)).find((agent) => agent.name === name);
}

export async function getAgent(t: TestServer, token: string, id: number): Promise<Agent> {
  const response = await t.request({ method: 'GET', url: `/agents/${id}`, token });
  if (response.statusCode !== 200) throw new Error(`GET /agents/${id} answered ${response.statusCode}: ${response.body}`);
  return response.json() as Agent;
}

export async function createAgent(t: TestServer, token: string, payload: Record<string, unknown>): Promise<Agent> {
  const response = await t.request({ method: 'POST', url: '/agents', token, payload });
  if (response.statusCode !== 200) throw new Error(`POST /agents answered ${response.statusCode}: ${response.body}`);
  return response.json() as Agent;
}

/** Absolute folder of an agent from its `config_file` (`agents/<rel>`). */
export function folderOf(t: TestServer, agent: Pick<Agent, 'config_file'>): string {
  if (agent.config_file === null) throw new Error('agent has no folder');
  return join(t.dirs.agents, agent.config_file.replace(/^agents\//, ''));
}

export async function readText(path: string): Promise<string> {
  return readFile(path, 'utf8');
}

/** Trimmed like the server reads agent files (behavior.md §2.7 rule 1). */
export async function readAgentText(dir: string, file: string): Promise<string> {
  return (await readFile(join(dir, file), 'utf8')).replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').trim();
}

export async function listDir(path: string): Promise<string[]> {
  try {
    return (await readdir(path)).sort();
  } catch {
    return [];
  }
}
