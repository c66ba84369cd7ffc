import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** What the global setup hands to the tests (the workers read it from this file). */
export interface RunState {
  baseURL: string;
  control: string;
  openai: string;
  root: string;
  agentsDir: string;
  webDir: string;
  storage: { admin: string; guest: string };
  pids: number[];
}

/** The run's state, sessions and results; `E2E_RUN_DIR` gives parallel local runs a folder each. */
export const RUN_DIR = process.env.E2E_RUN_DIR ? resolve(process.env.E2E_RUN_DIR) : resolve(import.meta.dirname, '../.run');
export const STATE_FILE = join(RUN_DIR, 'state.json');
/** The saved sessions (Playwright storage state); the config makes the admin's the default. */
export const STORAGE = { admin: join(RUN_DIR, 'admin.json'), guest: join(RUN_DIR, 'guest.json') };

let cached: RunState | undefined;
export function runState(): RunState {
  cached ??= JSON.parse(readFileSync(STATE_FILE, 'utf8')) as RunState;
  return cached;
}

// Fixed credentials of the harness server. The hashes are the ones of tests/helpers/test-server.ts (argon2id of
// the admin password, bcrypt of the guest password), repeated here so the Playwright process does not load the
// server's modules through that helper.
export const ADMIN_PASSWORD = 'admin-password-for-tests';
export const GUEST_PASSWORD = 'guest-password-for-tests';
export const ADMIN_HASH = '$argon2id$v=19$m=19456,t=2,p=1$/ToHzPlZ8OYy4krfEoKzcg$7mqZOuH4ioS7t9F4qSzcdg5SGEYyJo/zpiMZgELjP9A';
export const GUEST_HASH = '$2b$04$lPnb59OKKe3Kkzr0KixnMOO1CEXNZ.qbhve9Kn8b65T6Nk9mA.yoS';
export const JWT_SECRET = 'a-test-secret-that-is-long-enough-0123456789';
