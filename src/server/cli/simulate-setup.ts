import type { SimulateOptions } from './simulate-args.js';
import { SimulateError, type ApiClient, type SimAgent, type SimRoom } from './simulate-api.js';

/** The steps before a simulation runs (behavior.md §10.1 rules 1–2): log in, check the agents, create the room. */

const MAX_LISTED_AGENTS = 20;

export async function authenticate(api: ApiClient, options: SimulateOptions, note: (text: string) => void): Promise<void> {
  if (options.token !== null) {
    api.useToken(options.token);
    try {
      await api.verify();
      return;
    } catch (err) {
      if (!(err instanceof SimulateError && err.exitCode === 2) || options.password === null) throw err;
      note('The token was refused; logging in with the password instead.');
    }
  }
  if (options.password !== null) await api.login(options.password);
}

/** behavior.md §10.1 rule 1: every requested name must exist exactly (NFC); all missing names are listed. */
export function findAgents(known: readonly SimAgent[], wanted: readonly string[]): { found: SimAgent[]; missing: string[] } {
  const byName = new Map(known.map((agent) => [agent.name.normalize('NFC'), agent]));
  const found: SimAgent[] = [];
  const missing: string[] = [];
  for (const name of wanted) {
    const agent = byName.get(name.normalize('NFC'));
    if (agent) found.push(agent);
    else missing.push(name);
  }
  return { found, missing };
}

export async function resolveAgents(api: ApiClient, wanted: readonly string[]): Promise<SimAgent[]> {
  const known = await api.listAgents();
  const { found, missing } = findAgents(known, wanted);
  if (missing.length === 0) return found;
  const names = known.map((agent) => agent.name).sort((a, b) => a.localeCompare(b));
  const listed = names.length > MAX_LISTED_AGENTS ? `${names.slice(0, MAX_LISTED_AGENTS).join(', ')}, …` : names.join(', ');
  throw new SimulateError(`Unknown agent${missing.length === 1 ? '' : 's'}: ${missing.join(', ')} (known: ${listed || 'none'})`, 1);
}

export async function createRoom(api: ApiClient, options: SimulateOptions): Promise<SimRoom> {
  try {
    return await api.createRoom({
      name: options.roomName,
      max_interactions: options.maxInteractions,
      ...(options.provider ? { provider: options.provider } : {}),
    });
  } catch (err) {
    if (err instanceof SimulateError && err.status === 409) {
      throw new SimulateError(`A room named "${options.roomName}" already exists; choose another --room-name`, 1, { cause: err });
    }
    // Options are checked locally, so a refusal names something the server does not accept (e.g. its providers).
    if (err instanceof SimulateError && err.status === 422) throw new SimulateError(`The server refused the room: ${err.message}`, 1, { cause: err });
    throw err;
  }
}
