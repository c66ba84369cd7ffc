/**
 * localStorage access for the UI (ui.md §2.3): every key starts with `chitchats.`, values are versioned JSON, and
 * a missing, corrupt or older value reads as absent. Never throws (private mode, quota, disabled storage).
 */

export const STORAGE_PREFIX = 'chitchats.';

export function readStored<T extends object>(key: string, version: number): Partial<T> | undefined {
  try {
    const raw = globalThis.localStorage?.getItem(STORAGE_PREFIX + key);
    if (!raw) return undefined;
    const parsed: unknown = JSON.parse(raw);
    if (parsed === null || typeof parsed !== 'object' || (parsed as { v?: unknown }).v !== version) return undefined;
    return parsed as Partial<T>;
  } catch {
    return undefined;
  }
}

export function writeStored(key: string, version: number, value: object): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_PREFIX + key, JSON.stringify({ ...value, v: version }));
  } catch {
    // Storage full or disabled: the value lives for this page only.
  }
}

export function readString(key: string): string | undefined {
  try {
    return globalThis.localStorage?.getItem(STORAGE_PREFIX + key) ?? undefined;
  } catch {
    return undefined;
  }
}

export function writeString(key: string, value: string): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_PREFIX + key, value);
  } catch {
    // ignored, as in writeStored
  }
}
