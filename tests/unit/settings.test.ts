import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings, readEnvironment, SettingsError } from '../../src/server/settings.js';

function loadError(env: Record<string, string>): SettingsError {
  try {
    loadSettings(env, '/srv/chitchats');
  } catch (err) {
    if (err instanceof SettingsError) return err;
    throw err;
  }
  throw new Error(`loadSettings accepted ${JSON.stringify(env)}`);
}

describe('loadSettings', () => {
  it('applies the documented defaults to an empty environment', () => {
    const settings = loadSettings({}, '/srv/chitchats');
    expect(settings).toMatchObject({
      production: false,
      port: 8000,
      host: '0.0.0.0',
      logLevel: 'info',
      dataDir: '/srv/chitchats/data',
      agentsDir: '/srv/chitchats/agents',
      configDir: '/srv/chitchats/config',
      webDir: '/srv/chitchats/web/dist',
      databaseUrl: undefined,
      maxBodyBytes: 14_680_064,
      maxImageBytes: 10_485_760,
      trustProxy: false,
      auth: { enableGuestLogin: true, jwtTtlHours: 168, cookieSecure: 'auto' },
      cors: { allowLan: true },
      rateLimits: { enabled: true, login: 20, send: 60, poll: 360, chattingAgents: 600, events: 60, regenerate: 30, mcp: 60 },
    });
  });

  it('stops on a malformed PORT, naming the variable', () => {
    for (const port of ['abc', '80.5', '70000', '-1']) {
      const error = loadError({ PORT: port });
      expect(error.message, port).toContain('PORT');
    }
  });

  it('stops on RATE_LIMIT_SEND=abc, naming the variable', () => {
    expect(loadError({ RATE_LIMIT_SEND: 'abc' }).message).toMatch(/RATE_LIMIT_SEND: expected an integer, got 'abc'/);
  });

  it('stops on ENABLE_GUEST_LOGIN=maybe, naming the variable', () => {
    expect(loadError({ ENABLE_GUEST_LOGIN: 'maybe' }).message).toContain('ENABLE_GUEST_LOGIN');
  });

  it('parses ENABLE_GUEST_LOGIN words in any case', () => {
    for (const word of ['1', 'true', 'YES', 'On']) expect(loadSettings({ ENABLE_GUEST_LOGIN: word }).auth.enableGuestLogin).toBe(true);
    for (const word of ['0', 'False', 'no', 'OFF']) expect(loadSettings({ ENABLE_GUEST_LOGIN: word }).auth.enableGuestLogin).toBe(false);
  });

  it('refuses a sqlite DATABASE_URL with the documented message', () => {
    const error = loadError({ DATABASE_URL: 'sqlite:///x' });
    expect(error.message).toContain('DATABASE_URL');
    expect(error.message).toContain('SQLite is not supported; unset DATABASE_URL to use the embedded database');
  });

  it('accepts postgres URLs, rewriting the asyncpg spelling of the original API', () => {
    expect(loadSettings({ DATABASE_URL: 'postgresql+asyncpg://u:p@db/chat' }).databaseUrl).toBe('postgresql://u:p@db/chat');
    expect(loadSettings({ DATABASE_URL: 'postgres://db/chat' }).databaseUrl).toBe('postgres://db/chat');
    expect(loadError({ DATABASE_URL: 'mysql://db/chat' }).message).toContain('DATABASE_URL');
  });

  it('reports every malformed variable in one message', () => {
    const message = loadError({ PORT: 'x', JWT_TTL_HOURS: '0', COOKIE_SECURE: 'sometimes', LOG_LEVEL: 'loud' }).message;
    for (const name of ['PORT', 'JWT_TTL_HOURS', 'COOKIE_SECURE', 'LOG_LEVEL']) expect(message).toContain(name);
  });

  it('reads TRUST_PROXY as a boolean, a hop count or a list of addresses', () => {
    expect(loadSettings({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadSettings({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadSettings({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadSettings({ TRUST_PROXY: '10.0.0.1, 192.168.0.0/16' }).trustProxy).toEqual(['10.0.0.1', '192.168.0.0/16']);
    expect(loadSettings({ TRUST_PROXY: 'loopback,fd00::/8,10.0.0.0/255.0.0.0' }).trustProxy).toEqual([
      'loopback',
      'fd00::/8',
      '10.0.0.0/255.0.0.0',
    ]);
  });

  it('stops on a TRUST_PROXY that is neither a switch, a hop count nor addresses, naming the variable', () => {
    for (const value of ['maybe', '10.0.0.1, proxy.internal', '10.0.0.0/33']) {
      expect(loadError({ TRUST_PROXY: value }).message, value).toContain('TRUST_PROXY');
    }
  });

  it('selects production mode only for NODE_ENV=production', () => {
    expect(loadSettings({ NODE_ENV: 'production' }).production).toBe(true);
    expect(loadSettings({ NODE_ENV: 'staging' }).production).toBe(false);
  });
});

describe('readEnvironment', () => {
  it('reads .env from the working directory and lets real variables win', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'chitchats-env-'));
    try {
      await writeFile(join(dir, '.env'), 'PORT=9000\nUSER_NAME=FromFile\n');
      const env = readEnvironment({ PORT: '9100' }, dir);
      expect(loadSettings(env, dir)).toMatchObject({ port: 9100, userName: 'FromFile' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
