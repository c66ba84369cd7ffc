import { useSyncExternalStore } from 'react';

/** Avatar versions: a changed picture gets a new `v` so every <img> of that agent reloads it. */

const versions = new Map<string, number>();
const versionListeners = new Set<() => void>();

export function bumpAvatarVersion(name: string): void {
  versions.set(name, (versions.get(name) ?? 0) + 1);
  for (const listener of versionListeners) listener();
}

export function useAvatarVersion(name: string): number {
  return useSyncExternalStore(
    (listener) => {
      versionListeners.add(listener);
      return () => versionListeners.delete(listener);
    },
    () => versions.get(name) ?? 0,
  );
}
