import { useTranslation } from 'react-i18next';

/** Provider badge (ui.md §6): letter plus label, the provider's hue at low alpha behind a readable shade of it. */

const PROVIDERS = {
  claude: { letter: 'C', color: 'var(--color-provider-claude)' },
  codex: { letter: 'X', color: 'var(--color-provider-codex)' },
  openai: { letter: 'O', color: 'var(--color-provider-openai)' },
} as const;

type KnownProvider = keyof typeof PROVIDERS;

function isKnown(provider: string): provider is KnownProvider {
  return provider in PROVIDERS;
}

export function ProviderChip({ provider, model, compact = false }: { provider: string; model?: string | null; compact?: boolean }) {
  const { t } = useTranslation();
  const known = isKnown(provider) ? PROVIDERS[provider] : undefined;
  const label = known ? t(`providers.${provider}`) : provider;
  const title = model ? t('providers.withModel', { provider: label, model }) : label;
  const color = known?.color ?? 'var(--color-text-muted)';
  return (
    <span
      title={title}
      className="inline-flex shrink-0 items-center gap-1 rounded-full px-1.5 text-xs font-semibold leading-5"
      // The label leans toward the text colour so it stays readable on tinted rows (a selected option, a hover).
      style={{ color: `color-mix(in oklab, ${color} 70%, var(--color-text))`, backgroundColor: `color-mix(in oklab, ${color} 14%, transparent)` }}
    >
      <span aria-hidden="true">{known?.letter ?? '?'}</span>
      <span className={compact ? 'sr-only' : ''}>{label}</span>
    </span>
  );
}
