import { describe, expect, it } from 'vitest';
import { parseAgentList, parseSimulateArgs, USAGE, type ParsedArgs, type SimulateOptions } from '../../../src/server/cli/simulate-args.js';

const NOW = new Date('2026-01-05T09:30:00.123Z');
const BASE = ['--topic', 'A storm', '--agents', 'Mira,Tobin', '--password', 'pw'];

function parse(argv: string[], env: Record<string, string | undefined> = {}): ParsedArgs {
  return parseSimulateArgs(argv, { env, cwd: '/work/repo', now: () => NOW });
}

function options(argv: string[], env: Record<string, string | undefined> = {}): SimulateOptions {
  const parsed = parse(argv, env);
  if (parsed.kind !== 'run') throw new Error(`expected options, got ${JSON.stringify(parsed)}`);
  return parsed.options;
}

function usageError(argv: string[], env: Record<string, string | undefined> = {}): string {
  const parsed = parse(argv, env);
  if (parsed.kind !== 'usage_error') throw new Error(`expected a usage error, got ${JSON.stringify(parsed)}`);
  return parsed.message;
}

describe('parseSimulateArgs', () => {
  it('applies the defaults of behavior.md §10.1', () => {
    expect(options(BASE)).toEqual({
      topic: 'A storm',
      agents: ['Mira', 'Tobin'],
      rounds: 3,
      maxInteractions: 6,
      url: 'http://localhost:8000',
      token: null,
      password: 'pw',
      roomName: 'Simulation 2026-01-05T09:30:00.123Z',
      provider: null,
      out: null,
      baseDir: '/work/repo',
      idleTimeoutMs: 120_000,
      timeoutMs: 1_200_000,
      showThinking: true,
      hideSkips: false,
      quiet: false,
    });
  });

  it('derives max interactions from rounds times agents unless given', () => {
    expect(options([...BASE, '--rounds', '2']).maxInteractions).toBe(4);
    expect(options([...BASE, '--agents', 'A,B,C', '--rounds', '5']).maxInteractions).toBe(15);
    expect(options([...BASE, '--rounds', '2', '--max-interactions', '9']).maxInteractions).toBe(9);
  });

  it('reads every option, in either --name value or --name=value form', () => {
    const parsed = options([
      '--topic=Harbour night',
      '--agents',
      'Mira',
      '--out',
      'runs/t.md',
      '--url',
      'https://chat.example.com/',
      '--token',
      'jwt',
      '--room-name',
      '  Night shift  ',
      '--provider',
      'OpenAI',
      '--idle-timeout',
      '2.5',
      '--timeout',
      '60',
      '--no-thinking',
      '--hide-skips',
      '--quiet',
    ]);
    expect(parsed).toMatchObject({
      topic: 'Harbour night',
      agents: ['Mira'],
      out: 'runs/t.md',
      url: 'https://chat.example.com',
      token: 'jwt',
      password: null,
      roomName: 'Night shift',
      provider: 'openai',
      idleTimeoutMs: 2500,
      timeoutMs: 60_000,
      showThinking: false,
      hideSkips: true,
      quiet: true,
    });
  });

  it('takes the URL and credentials from the environment when no flag names them', () => {
    const env = { CHITCHATS_URL: 'http://10.0.0.2:9000', CHITCHATS_PASSWORD: 'from-env', CHITCHATS_TOKEN: 'tok' };
    const parsed = options(['--topic', 'T', '--agents', 'A'], env);
    expect(parsed).toMatchObject({ url: 'http://10.0.0.2:9000', password: 'from-env', token: 'tok' });
    expect(options(['--topic', 'T', '--agents', 'A', '--password', 'flag'], env).password).toBe('flag');
  });

  it('resolves relative paths against INIT_CWD, where npm was started', () => {
    expect(options(BASE, { INIT_CWD: '/home/me' }).baseDir).toBe('/home/me');
  });

  it('normalises agent names to NFC, trims them and drops empties and repeats', () => {
    const decomposed = '한서윤'.normalize('NFD');
    expect(parseAgentList(` Mira ,, ${decomposed},Mira, `)).toEqual(['Mira', '한서윤'.normalize('NFC')]);
  });

  it('returns help for --help and -h', () => {
    expect(parse(['--help'])).toEqual({ kind: 'help' });
    expect(parse(['-h', '--topic', 'x'])).toEqual({ kind: 'help' });
    expect(USAGE).toContain('--max-interactions');
  });

  it('refuses a missing topic or agent list', () => {
    expect(usageError(['--agents', 'A', '--password', 'p'])).toBe('--topic is required');
    expect(usageError(['--topic', '   ', '--agents', 'A', '--password', 'p'])).toBe('--topic is required');
    expect(usageError(['--topic', 'T', '--password', 'p'])).toMatch(/^--agents is required/);
    expect(usageError(['--topic', 'T', '--agents', ' , ', '--password', 'p'])).toMatch(/^--agents is required/);
  });

  it('refuses to run without any credential', () => {
    expect(usageError(['--topic', 'T', '--agents', 'A'])).toMatch(/--password or --token/);
  });

  it('refuses unknown options, positionals and options without their value', () => {
    expect(usageError([...BASE, '--rounds-per-agent', '2'])).toMatch(/rounds-per-agent/);
    expect(usageError([...BASE, 'extra'])).toMatch(/extra/);
    expect(usageError([...BASE, '--rounds'])).toMatch(/rounds/);
  });

  it('refuses numbers out of range or not whole', () => {
    expect(usageError([...BASE, '--rounds', '0'])).toMatch(/--rounds must be a whole number/);
    expect(usageError([...BASE, '--rounds', '1.5'])).toMatch(/--rounds must be a whole number/);
    expect(usageError([...BASE, '--max-interactions', '10001'])).toMatch(/--max-interactions/);
    expect(usageError([...BASE, '--rounds', '6000'])).toMatch(/limit of 10000/);
    expect(usageError([...BASE, '--idle-timeout', '0'])).toMatch(/--idle-timeout must be a positive number/);
    expect(usageError([...BASE, '--timeout', 'soon'])).toMatch(/--timeout must be a positive number/);
  });

  it('refuses an unknown provider, a bad URL and an invalid room name', () => {
    expect(usageError([...BASE, '--provider', 'gemini'])).toBe('--provider must be one of claude, codex, openai, not "gemini"');
    expect(usageError([...BASE, '--url', 'ftp://host'])).toMatch(/--url must be an http\(s\) URL/);
    expect(usageError([...BASE, '--url', 'not a url'])).toMatch(/--url must be an http\(s\) URL/);
    expect(usageError([...BASE, '--room-name', 'x'.repeat(101)])).toMatch(/^--room-name: String should have at most 100/);
    expect(usageError([...BASE, '--room-name', 'tab\there'])).toMatch(/control characters/);
  });
});
