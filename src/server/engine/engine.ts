import type { Engine } from './types.js';

/**
 * The engine as it stands before turn-taking exists: no provider is driven, so no room ever runs and there is
 * nothing to interrupt. Every caller already goes through this seam, so the room runner replaces this factory
 * without touching the HTTP layer.
 */
export function createEngine(): Engine {
  return {
    runningKind: () => null,
    generating: () => [],
    interruptRoom: async () => undefined,
    interruptAgent: async () => undefined,
    handleUserMessage: () => undefined,
    shutdown: async () => undefined,
  };
}
