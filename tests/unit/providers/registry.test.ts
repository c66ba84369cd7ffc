import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createProviderRegistry, unsupportedProvider, type AvailabilitySource } from '../../../src/server/providers/registry.js';
import type { ProviderAvailability } from '../../../src/server/providers/types.js';

const log = pino({ level: 'silent' });

/** A scripted availability source that counts its checks. */
function source(answer: () => Promise<ProviderAvailability>): AvailabilitySource & { calls: number } {
  const counted = {
    calls: 0,
    checkAvailability: () => {
      counted.calls++;
      return answer();
    },
  };
  return counted;
}

const available = (model: string) => async (): Promise<ProviderAvailability> => ({ available: true, defaultModel: model, models: [model] });
const unavailable = async (): Promise<ProviderAvailability> => ({ available: false, reason: 'nope' });
const never = () => new Promise<ProviderAvailability>(() => {});

function registry(sources: { claude?: AvailabilitySource; codex?: AvailabilitySource; openai?: AvailabilitySource }, extra: { now?: () => number; configuredDefault?: 'claude' | 'codex' | 'openai'; checkTimeoutMs?: number } = {}) {
  return createProviderRegistry({
    sources: { claude: sources.claude ?? unsupportedProvider(), codex: sources.codex ?? unsupportedProvider(), openai: sources.openai ?? unsupportedProvider() },
    adapters: {},
    log,
    ...extra,
  });
}

describe('the provider registry', () => {
  it('caches a check for 30 s and checks again after that', async () => {
    let clock = 0;
    const openai = source(available('m'));
    const r = registry({ openai }, { now: () => clock });
    await r.availability('openai');
    clock = 29_999;
    await r.availability('openai');
    expect(openai.calls).toBe(1);
    clock = 30_000;
    await r.availability('openai');
    expect(openai.calls).toBe(2);
  });

  it('shares one in-flight check between concurrent callers', async () => {
    const openai = source(available('m'));
    const r = registry({ openai });
    await Promise.all([r.availability('openai'), r.availability('openai'), r.availabilities()]);
    expect(openai.calls).toBe(1);
  });

  it('answers Availability check timed out when a check hangs past its timeout', async () => {
    const r = registry({ openai: source(never) }, { checkTimeoutMs: 50 });
    const started = Date.now();
    const all = await r.availabilities();
    expect(all.openai).toEqual({ available: false, reason: 'Availability check timed out' });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('gives each check a 2 s timeout by default', async () => {
    const scheduled: { ms: number; fire: () => void }[] = [];
    const timers = {
      setTimeout: (fire: () => void, ms: number) => scheduled.push({ ms, fire }),
      clearTimeout: () => {},
    };
    const r = createProviderRegistry({ sources: { claude: source(never), codex: unsupportedProvider(), openai: unsupportedProvider() }, adapters: {}, log, timers });
    const answer = r.availability('claude');
    expect(scheduled.map((timer) => timer.ms)).toEqual([2000]);
    scheduled[0]!.fire();
    expect(await answer).toEqual({ available: false, reason: 'Availability check timed out' });
  });

  it('reports a throwing check as unavailable with a fixed reason that leaks nothing', async () => {
    const r = registry({ openai: source(async () => Promise.reject(new Error('boom sk-secret'))) });
    expect(await r.availability('openai')).toEqual({ available: false, reason: 'Availability check failed' });
  });

  it('reports providers without an adapter as not supported by this build', async () => {
    const all = await registry({}).availabilities();
    expect(all.claude).toEqual({ available: false, reason: 'Not supported by this build yet' });
    expect(all.codex).toEqual({ available: false, reason: 'Not supported by this build yet' });
  });

  it('picks DEFAULT_PROVIDER when set, whatever is available', async () => {
    const r = registry({ openai: source(available('m')) }, { configuredDefault: 'codex' });
    await r.availabilities();
    expect(r.defaultProvider()).toBe('codex');
  });

  it('picks the first available provider in the order claude, codex, openai', async () => {
    const r = registry({ claude: source(unavailable), codex: source(available('c')), openai: source(available('o')) });
    await r.availabilities();
    expect(r.defaultProvider()).toBe('codex');
  });

  it('picks claude when nothing is available or nothing is known yet, and starts a check in the background', async () => {
    const openai = source(available('m'));
    const r = registry({ openai });
    expect(r.defaultProvider()).toBe('claude');
    expect(openai.calls).toBe(1);
    await r.availabilities();
    expect(r.defaultProvider()).toBe('openai');
    expect(registry({ openai: source(unavailable) }).defaultProvider()).toBe('claude');
  });
});
