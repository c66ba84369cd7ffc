import type { Logger } from 'pino';
import type { Settings } from '../settings.js';
import { createOpenAiProvider } from './openai/openai-provider.js';
import { createProviderRegistry, unsupportedProvider, type ProviderAvailabilityRegistry } from './registry.js';
import type { Timers } from './deadlines.js';

/**
 * Builds the provider adapters from settings and the registry over them. Claude and Codex have no adapter in
 * this build yet, so they honestly report "Not supported by this build yet" rather than guessing at a CLI.
 */
export function createProviders({
  settings,
  log,
  fetch,
  timers,
}: {
  settings: Pick<Settings, 'openai' | 'turnDeadlines' | 'defaultProvider'>;
  log: Logger;
  fetch?: typeof globalThis.fetch;
  timers?: Timers;
}): ProviderAvailabilityRegistry {
  const openai = createOpenAiProvider({
    baseUrl: settings.openai.baseUrl,
    apiKey: settings.openai.apiKey,
    defaultModel: settings.openai.model,
    organization: settings.openai.organization,
    project: settings.openai.project,
    supportsImages: settings.openai.supportsImages,
    maxToolSteps: settings.openai.maxToolSteps,
    historyLimit: settings.openai.historyLimit,
    deadlines: settings.turnDeadlines,
    log: log.child({ provider: 'openai' }),
    fetch,
    timers,
  });
  return createProviderRegistry({
    sources: { claude: unsupportedProvider(), codex: unsupportedProvider(), openai },
    adapters: { openai },
    configuredDefault: settings.defaultProvider,
    log,
    timers,
  });
}
