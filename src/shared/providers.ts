/** The model providers (behavior.md §7), in the order the API lists them. */
export const PROVIDER_IDS = ['claude', 'codex', 'openai'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];
