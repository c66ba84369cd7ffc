/**
 * What must be forgotten when the session ends. Lazily loaded parts of the app (the live room core) register here
 * when they load, so logging out clears them without the entry bundle importing them.
 */

const forgetters = new Set<() => void>();

export function onSessionEnd(forget: () => void): void {
  forgetters.add(forget);
}

export function endSession(): void {
  for (const forget of forgetters) forget();
}
