import { PROVIDER_IDS } from '../../shared/providers.js';
import type { ProviderInfo } from '../../shared/models.js';
import type { ProviderAvailabilityRegistry } from '../providers/registry.js';
import { defineRoute } from './route.js';

/** api.md §11.1–11.2: provider availability for the UI and for operators. */
export function providerRoutes({ providers }: { providers: ProviderAvailabilityRegistry }) {
  return [
    defineRoute({
      method: 'GET',
      path: '/providers',
      auth: 'token',
      docs: { summary: 'Providers, their availability, default model and models', tag: 'providers' },
      async handler() {
        const all = await providers.availabilities();
        const list: ProviderInfo[] = PROVIDER_IDS.map((name) => {
          const availability = all[name];
          return {
            name,
            available: availability.available,
            default_model: availability.defaultModel ?? null,
            models: availability.models ?? [],
            reason: availability.available ? null : (availability.reason ?? null),
            auth_mode: availability.authMode ?? null,
          };
        });
        // Checked after the await so the default reflects the answers just listed.
        return { default: providers.defaultProvider(), providers: list };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/debug/providers',
      auth: 'admin',
      docs: { summary: 'Supported provider ids', tag: 'debug' },
      handler: async () => ({ providers: [...PROVIDER_IDS] }),
    }),
    defineRoute({
      method: 'GET',
      path: '/debug/providers/health',
      auth: 'admin',
      docs: { summary: 'Availability of every provider', tag: 'debug' },
      async handler() {
        const all = await providers.availabilities();
        return {
          providers: Object.fromEntries(
            PROVIDER_IDS.map((name) => [name, { available: all[name].available, reason: all[name].available ? null : (all[name].reason ?? null) }]),
          ),
        };
      },
    }),
  ];
}
