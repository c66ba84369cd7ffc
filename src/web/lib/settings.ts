import { useSyncExternalStore } from 'react';
import { readStored, STORAGE_PREFIX, writeStored } from './storage';

/**
 * User settings (ui.md §2.3 `settings`), versioned JSON in `chitchats.settings`, synced across tabs through the
 * `storage` event. public/theme-init.js reads `theme` and `language` from the same key before first paint.
 */

export type Theme = 'system' | 'light' | 'dark';
export type Language = 'en' | 'ko';
export type SendKey = 'enter' | 'mod-enter';
export type Density = 'comfortable' | 'compact';

export interface Settings {
  theme: Theme;
  /** Unset: follow the browser (§8). */
  language?: Language;
  /** Unset: `enter` with a fine primary pointer, `mod-enter` with a coarse one (§4.4.5). */
  sendKey?: SendKey;
  /** Unset: comfortable (ui.md §6 Density). */
  density?: Density;
  /** Passed (skipped) turns show in the transcript (§4.8); unset: shown. */
  showPassed?: boolean;
  /** Finished messages are announced to screen readers (§7 live region); unset: announced. */
  announce?: boolean;
  /** Thinking disclosures start open (ui.md §4.4.4); unset: closed. */
  showThinking?: boolean;
}

const KEY = 'settings';
const VERSION = 1;
const DEFAULTS: Settings = { theme: 'system' };

function load(): Settings {
  const stored = readStored<Settings>(KEY, VERSION) ?? {};
  return {
    theme: stored.theme === 'light' || stored.theme === 'dark' ? stored.theme : DEFAULTS.theme,
    language: stored.language === 'en' || stored.language === 'ko' ? stored.language : undefined,
    sendKey: stored.sendKey === 'enter' || stored.sendKey === 'mod-enter' ? stored.sendKey : undefined,
    density: stored.density === 'compact' || stored.density === 'comfortable' ? stored.density : undefined,
    showPassed: typeof stored.showPassed === 'boolean' ? stored.showPassed : undefined,
    announce: typeof stored.announce === 'boolean' ? stored.announce : undefined,
    showThinking: typeof stored.showThinking === 'boolean' ? stored.showThinking : undefined,
  };
}

let current: Settings = load();
const listeners = new Set<() => void>();

function emit(): void {
  for (const listener of listeners) listener();
}

export function getSettings(): Settings {
  return current;
}

export function updateSettings(patch: Partial<Settings>): void {
  current = { ...current, ...patch };
  writeStored(KEY, VERSION, current);
  emit();
}

export function subscribeSettings(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key !== null && event.key !== STORAGE_PREFIX + KEY) return;
    current = load();
    emit();
  });
}

export function useSettings(): Settings {
  return useSyncExternalStore(subscribeSettings, getSettings, getSettings);
}
