import * as Popover from '@radix-ui/react-popover';
import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from '../components/toast';
import { errorText } from '../lib/errors';
import { LIMIT_MAX, parseLimit } from './limit';
import { usePatchRoom } from './room-actions';

/**
 * The *Limit N* chip (hidden when unlimited) and its popover (ui.md §4.4.1): owners and admins change the number of
 * replies the agents may make on their own; blank means unlimited. Optimistic, rolled back with a toast (§3.1).
 */
export function LimitEditor({
  roomId,
  limit,
  open,
  onOpenChange,
}: {
  roomId: number;
  limit: number | null;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const { t } = useTranslation('room');
  const patch = usePatchRoom(roomId);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | undefined>();
  const fieldId = useId();
  const helpId = useId();

  useEffect(() => {
    if (open) {
      setValue(limit === null ? '' : String(limit));
      setError(undefined);
    }
  }, [open, limit]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = parseLimit(value);
    if (next === undefined) return setError(t('limit.invalid', { max: LIMIT_MAX }));
    onOpenChange(false);
    if (next === limit) return;
    patch.mutate(
      { max_interactions: next },
      { onError: (cause) => toast(t('errors.limit', { reason: errorText(t, cause) }), { tone: 'error' }) },
    );
  };

  let anchor: ReactNode;
  if (limit !== null) {
    anchor = (
      <Popover.Trigger
        className="rounded-full bg-surface-2 px-2 text-xs font-medium leading-5 text-text-muted hover:text-text coarse:min-h-11"
        aria-label={t('limit.chipLabel', { count: limit })}
      >
        {t('limit.chip', { count: limit })}
      </Popover.Trigger>
    );
  } else anchor = <span aria-hidden="true" />;

  return (
    <Popover.Root open={open} onOpenChange={onOpenChange}>
      {limit !== null ? anchor : <Popover.Anchor asChild>{anchor}</Popover.Anchor>}
      <Popover.Portal>
        <Popover.Content
          align="start"
          sideOffset={6}
          className="z-50 w-72 rounded-card border border-border bg-surface p-4 shadow-xl"
        >
          <form onSubmit={submit} noValidate className="flex flex-col gap-2">
            <label htmlFor={fieldId} className="text-sm font-medium">
              {t('limit.label')}
            </label>
            <input
              id={fieldId}
              type="number"
              inputMode="numeric"
              min={1}
              max={LIMIT_MAX}
              value={value}
              placeholder={t('limit.unlimited')}
              onChange={(event) => {
                setValue(event.target.value);
                setError(undefined);
              }}
              aria-invalid={error !== undefined}
              aria-describedby={helpId}
              className="w-full rounded-control border border-border bg-bg px-3 py-2 aria-[invalid=true]:border-danger"
            />
            <p id={helpId} className={`text-xs ${error ? 'text-danger' : 'text-text-muted'}`} role={error ? 'alert' : undefined}>
              {error ?? t('limit.help')}
            </p>
            <div className="flex justify-end gap-2">
              <button type="button" onClick={() => onOpenChange(false)} className="rounded-control border border-border px-3 py-1.5 coarse:min-h-11">
                {t('common:actions.cancel')}
              </button>
              <button type="submit" className="rounded-control bg-accent px-3 py-1.5 font-medium text-accent-fg coarse:min-h-11">
                {t('limit.save')}
              </button>
            </div>
          </form>
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
