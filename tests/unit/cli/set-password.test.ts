import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../../src/server/auth/passwords.js';

const REPO = resolve(import.meta.dirname, '../../..');
const CLI = join(REPO, 'src/server/cli/set-password.ts');
const TSX = join(REPO, 'node_modules/.bin/tsx');

function run(args: string[], input: string, env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolveRun) => {
    const child = spawn(TSX, [CLI, ...args], { env: { ...process.env, ...env }, cwd: env.DATA_DIR });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolveRun({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('npm run set-password', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chitchats-cli-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('stores an argon2id admin hash in auth.json that verifies the new password', async () => {
    const result = await run([], 'a-new-password\na-new-password\n', { DATA_DIR: dir });
    expect(result.code).toBe(0);
    const file = JSON.parse(await readFile(join(dir, 'auth.json'), 'utf8'));
    expect(file.admin_password_hash).toMatch(/^\$argon2id\$/);
    expect(file.password_generated).toBe(false);
    expect(await verifyPassword('a-new-password', file.admin_password_hash)).toBe(true);
    expect((await stat(join(dir, 'auth.json'))).mode & 0o777).toBe(0o600);
  });

  it('writes the guest hash with --guest and leaves the admin hash alone', async () => {
    const result = await run(['--guest'], 'guest-password\nguest-password\n', { DATA_DIR: dir });
    expect(result.code).toBe(0);
    const file = JSON.parse(await readFile(join(dir, 'auth.json'), 'utf8'));
    expect(await verifyPassword('guest-password', file.guest_password_hash)).toBe(true);
    expect(file.admin_password_hash).toBeUndefined();
  });

  it('prints API_KEY_HASH=<hash> with --print and writes nothing', async () => {
    const result = await run(['--print'], 'printed-password\nprinted-password\n', { DATA_DIR: dir });
    expect(result.code).toBe(0);
    const line = result.stdout.trim().split('\n').at(-1) ?? '';
    expect(line).toMatch(/^API_KEY_HASH=\$argon2id\$/);
    expect(await verifyPassword('printed-password', line.slice('API_KEY_HASH='.length))).toBe(true);
    await expect(stat(join(dir, 'auth.json'))).rejects.toThrow();
  });

  it('refuses passwords shorter than 8 characters or that differ', async () => {
    expect((await run([], 'short\nshort\n', { DATA_DIR: dir })).code).toBe(1);
    expect((await run([], 'long-enough-1\nlong-enough-2\n', { DATA_DIR: dir })).code).toBe(1);
    await expect(stat(join(dir, 'auth.json'))).rejects.toThrow();
  });

  it('replaces the JWT secret with --rotate-secret', async () => {
    await run([], 'a-new-password\na-new-password\n', { DATA_DIR: dir });
    const before = JSON.parse(await readFile(join(dir, 'auth.json'), 'utf8'));
    const result = await run(['--rotate-secret'], '', { DATA_DIR: dir });
    expect(result.code).toBe(0);
    const after = JSON.parse(await readFile(join(dir, 'auth.json'), 'utf8'));
    expect(after.jwt_secret).toMatch(/^[0-9a-f]{64}$/);
    expect(after.jwt_secret).not.toBe(before.jwt_secret);
    expect(after.admin_password_hash).toBe(before.admin_password_hash);
  });
});
