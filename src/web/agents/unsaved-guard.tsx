import { useCallback, useContext, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { UNSAFE_NavigationContext } from 'react-router';
import { Modal } from '../components/Modal';

type Navigate = (...args: unknown[]) => void;

/**
 * Asks before unsaved edits are thrown away (ui.md P7, §4.7 "Unsaved changes"): in-app navigations (links, the
 * sidebar, switching agents) wait for an in-app confirmation, and closing or reloading the tab gets the browser's
 * own `beforeunload` prompt. The app uses react-router's declarative mode, where `useBlocker` is not available, so
 * the router's navigator is wrapped while there are unsaved edits.
 *
 * `release()` lets the next navigation through without asking (after a delete, say).
 */
export function useUnsavedChangesGuard(dirty: boolean) {
  const { navigator } = useContext(UNSAFE_NavigationContext);
  const [pending, setPending] = useState<(() => void) | null>(null);
  const released = useRef(false);

  useEffect(() => {
    released.current = false;
    if (!dirty) return;
    const target = navigator as unknown as { push: Navigate; replace: Navigate };
    const push = target.push;
    const replace = target.replace;
    const wrap =
      (original: Navigate): Navigate =>
      (...args) => {
        if (released.current) return original.apply(target, args);
        setPending(() => () => original.apply(target, args));
      };
    target.push = wrap(push);
    target.replace = wrap(replace);

    const beforeUnload = (event: BeforeUnloadEvent) => {
      if (released.current) return;
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', beforeUnload);
    return () => {
      target.push = push;
      target.replace = replace;
      window.removeEventListener('beforeunload', beforeUnload);
    };
  }, [dirty, navigator]);

  const release = useCallback(() => {
    released.current = true;
  }, []);

  const leave = () => {
    const go = pending;
    setPending(null);
    released.current = true;
    go?.();
  };

  const prompt = <LeaveDialog open={pending !== null} onStay={() => setPending(null)} onLeave={leave} />;
  return { prompt, release };
}

function LeaveDialog({ open, onStay, onLeave }: { open: boolean; onStay: () => void; onLeave: () => void }) {
  const { t } = useTranslation('manager');
  return (
    <Modal open={open} onOpenChange={(next) => !next && onStay()} title={t('leave.title')} description={t('leave.body')}>
      <div className="flex justify-end gap-2">
        <button type="button" autoFocus onClick={onStay} className="rounded-control border border-border px-3 py-1.5">
          {t('leave.stay')}
        </button>
        <button type="button" onClick={onLeave} className="rounded-control bg-danger px-3 py-1.5 font-medium text-white">
          {t('leave.discard')}
        </button>
      </div>
    </Modal>
  );
}
