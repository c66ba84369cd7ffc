import type { Logger } from 'pino';
import { PROVIDER_IDS, type ProviderId } from '../../shared/providers.js';
import { realTimers, type Timers } from './deadlines.js';
import type { Provider, ProviderAvailability } from './types.js';

/**
 * Provider availability (behavior.md §7.4, api.md §11.1): one cached check per provider id, 30 s cache, 2 s per
 * check, so a hanging probe never holds up a route. Also the source of the default provider of new rooms.
 */

export interface AvailabilitySource {
  checkAvailability(): Promise<ProviderAvailability>;
}

export interface ProviderRegistryOptions {
  /** One availability source per provider id; an adapter is one, `unsupportedProvider()` stands in for a missing one. */
  sources: Record<ProviderId, AvailabilitySource>;
  /** The adapters this build can run turns on. */
  adapters: Partial<Record<ProviderId, Provider>>;
  /** `DEFAULT_PROVIDER`, which wins over availability (README binding resolution 1). */
  configuredDefault?: ProviderId;
  log: Pick<Logger, 'warn' | 'debug'>;
  now?: () => number;
  timers?: Timers;
  cacheMs?: number;
  checkTimeoutMs?: number;
}

export interface ProviderAvailabilityRegistry {
  availability(id: ProviderId): Promise<ProviderAvailability>;
  /** Every provider, in api.md order, checked concurrently. */
  availabilities(): Promise<Record<ProviderId, ProviderAvailability>>;
  /**
   * Synchronous so room creation never waits: `DEFAULT_PROVIDER`, else the first provider last known to be
   * available, else `claude`. A stale answer triggers a background refresh.
   */
  defaultProvider(): ProviderId;
  adapter(id: ProviderId): Provider | null;
  shutdown(): Promise<void>;
}

export const CHECK_TIMED_OUT = 'Availability check timed out';
const CHECK_FAILED = 'Availability check failed';

/** Stand-in for a provider whose adapter this build does not include yet. */
export function unsupportedProvider(): AvailabilitySource {
  return { checkAvailability: async () => ({ available: false, reason: 'Not supported by this build yet' }) };
}

export function createProviderRegistry(options: ProviderRegistryOptions): ProviderAvailabilityRegistry {
  const now = options.now ?? Date.now;
  const timers = options.timers ?? realTimers;
  const cacheMs = options.cacheMs ?? 30_000;
  const checkTimeoutMs = options.checkTimeoutMs ?? 2000;
  const cache = new Map<ProviderId, { result: ProviderAvailability; checkedAt: number }>();
  const inFlight = new Map<ProviderId, Promise<ProviderAvailability>>();

  async function runCheck(id: ProviderId): Promise<ProviderAvailability> {
    let timer: unknown;
    const timeout = new Promise<ProviderAvailability>((resolve) => {
      timer = timers.setTimeout(() => resolve({ available: false, reason: CHECK_TIMED_OUT }), checkTimeoutMs);
    });
    try {
      return await Promise.race([
        options.sources[id].checkAvailability().catch((err: unknown) => {
          // The error text may carry upstream details; the route shows a fixed reason and the log keeps the rest.
          options.log.warn({ err, provider: id }, 'provider availability check failed');
          return { available: false, reason: CHECK_FAILED };
        }),
        timeout,
      ]);
    } finally {
      timers.clearTimeout(timer);
    }
  }

  function availability(id: ProviderId): Promise<ProviderAvailability> {
    const cached = cache.get(id);
    if (cached && now() - cached.checkedAt < cacheMs) return Promise.resolve(cached.result);
    const running = inFlight.get(id);
    if (running) return running;
    const check = runCheck(id).then((result) => {
      cache.set(id, { result, checkedAt: now() });
      inFlight.delete(id);
      return result;
    });
    inFlight.set(id, check);
    return check;
  }

  async function availabilities(): Promise<Record<ProviderId, ProviderAvailability>> {
    const [claude, codex, openai] = await Promise.all([availability('claude'), availability('codex'), availability('openai')]);
    return { claude, codex, openai };
  }

  function defaultProvider(): ProviderId {
    if (options.configuredDefault) return options.configuredDefault;
    const stale = PROVIDER_IDS.some((id) => {
      const cached = cache.get(id);
      return !cached || now() - cached.checkedAt >= cacheMs;
    });
    if (stale) void availabilities();
    return PROVIDER_IDS.find((id) => cache.get(id)?.result.available === true) ?? 'claude';
  }

  return {
    availability,
    availabilities,
    defaultProvider,
    adapter: (id) => options.adapters[id] ?? null,
    async shutdown() {
      await Promise.all(Object.values(options.adapters).map((adapter) => adapter.shutdown()));
    },
  };
}
