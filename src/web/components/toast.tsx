import { X } from 'lucide-react';
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Toasts (ui.md §6): short notices in one polite live region, mounted once in the shell. `toast()` works from
 * anywhere (a tiny external store). A toast may carry one action (Undo, Retry); its timer pauses while the pointer
 * is over it or focus is inside it, and each has a dismiss button.
 */

export type ToastTone = 'info' | 'error' | 'success';

export interface ToastOptions {
  tone?: ToastTone;
  action?: { label: string; onClick: () => void };
  /** Default 5 s, 8 s with an action or for errors. */
  durationMs?: number;
}

export interface ToastItem {
  id: number;
  message: string;
  tone: ToastTone;
  action?: { label: string; onClick: () => void };
  durationMs: number;
}

/** At most this many toasts at once; the oldest leaves first. */
const MAX_VISIBLE = 3;

let items: readonly ToastItem[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function emit(): void {
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function snapshot(): readonly ToastItem[] {
  return items;
}

/** Shows a toast; returns its id (for `dismissToast`). */
export function toast(message: string, options: ToastOptions = {}): number {
  const tone = options.tone ?? 'info';
  const durationMs = options.durationMs ?? (options.action || tone === 'error' ? 8000 : 5000);
  const item: ToastItem = { id: nextId++, message, tone, durationMs, ...(options.action ? { action: options.action } : {}) };
  items = [...items, item].slice(-MAX_VISIBLE);
  emit();
  return item.id;
}

export function dismissToast(id: number): void {
  if (!items.some((item) => item.id === id)) return;
  items = items.filter((item) => item.id !== id);
  emit();
}

/** Test helper: forget every toast. */
export function clearToasts(): void {
  items = [];
  emit();
}

const TONE_CLASS: Record<ToastTone, string> = {
  info: 'border-border',
  success: 'border-success',
  error: 'border-danger',
};

function ToastView({ item }: { item: ToastItem }) {
  const { t } = useTranslation('messages');
  const remaining = useRef(item.durationMs);
  const startedAt = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const hovered = useRef(false);
  const focused = useRef(false);

  const start = () => {
    if (timer.current !== undefined || remaining.current <= 0) return;
    startedAt.current = Date.now();
    timer.current = setTimeout(() => dismissToast(item.id), remaining.current);
  };
  const pause = () => {
    if (timer.current === undefined) return;
    clearTimeout(timer.current);
    timer.current = undefined;
    remaining.current = Math.max(0, remaining.current - (Date.now() - startedAt.current));
  };
  const update = () => (hovered.current || focused.current ? pause() : start());

  useEffect(() => {
    start();
    return () => clearTimeout(timer.current);
    // The timer belongs to this toast alone; it starts once.
  }, []);

  return (
    <div
      role={item.tone === 'error' ? 'alert' : 'status'}
      onPointerEnter={() => {
        hovered.current = true;
        update();
      }}
      onPointerLeave={() => {
        hovered.current = false;
        update();
      }}
      onFocus={() => {
        focused.current = true;
        update();
      }}
      onBlur={(event) => {
        if (event.currentTarget.contains(event.relatedTarget as Node | null)) return;
        focused.current = false;
        update();
      }}
      className={`pointer-events-auto flex w-full items-center gap-3 rounded-card border-l-4 border bg-surface px-4 py-2.5 text-sm shadow-lg ${TONE_CLASS[item.tone]}`}
    >
      <span className="min-w-0 flex-1 break-words">{item.message}</span>
      {item.action && (
        <button
          type="button"
          onClick={() => {
            item.action?.onClick();
            dismissToast(item.id);
          }}
          className="shrink-0 rounded-control px-2 py-1 font-semibold text-accent hover:bg-surface-2 coarse:min-h-11"
        >
          {item.action.label}
        </button>
      )}
      <button
        type="button"
        onClick={() => dismissToast(item.id)}
        aria-label={t('toast.dismiss')}
        title={t('toast.dismiss')}
        className="-mr-1 shrink-0 rounded-control p-1 text-text-muted hover:bg-surface-2 hover:text-text coarse:min-h-11 coarse:min-w-11"
      >
        <X aria-hidden="true" className="mx-auto size-4" strokeWidth={1.75} />
      </button>
    </div>
  );
}

/** The toast stack; mount once (the app shell does). Polite: announcements never interrupt, errors excepted. */
export function ToastRegion() {
  const { t } = useTranslation('messages');
  const list = useSyncExternalStore(subscribe, snapshot, snapshot);
  return (
    <section
      aria-label={t('toast.region')}
      aria-live="polite"
      className="pointer-events-none fixed inset-x-0 bottom-0 z-[60] flex flex-col items-center gap-2 p-4 pb-[max(1rem,env(safe-area-inset-bottom))] sm:items-end"
    >
      <div className="flex w-full max-w-sm flex-col gap-2">
        {list.map((item) => (
          <ToastView key={item.id} item={item} />
        ))}
      </div>
    </section>
  );
}
