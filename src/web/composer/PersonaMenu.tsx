import * as Popover from '@radix-ui/react-popover';
import { ChevronDown, Clapperboard, User, VenetianMask } from 'lucide-react';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_CHARACTER_NAME_LENGTH, type Persona } from '../send/send-validation';

interface PersonaMenuProps {
  persona: Persona;
  characterName: string;
  recentCharacters: readonly string[];
  onChange: (next: { persona: Persona; characterName: string }) => void;
  /** Where focus goes when the menu closes. */
  onClose: () => void;
}

const ICONS = { user: User, situation: Clapperboard, character: VenetianMask } as const;
const PERSONAS: readonly Persona[] = ['user', 'situation', 'character'];

/** Who the message is from (ui.md §4.4.5): You, Situation, or a named Character with the room's recent names. */
export function PersonaMenu({ persona, characterName, recentCharacters, onChange, onClose }: PersonaMenuProps) {
  const { t } = useTranslation('composer');
  const [open, setOpen] = useState(false);
  const id = useId();
  const name = characterName.trim();
  const Icon = ICONS[persona];
  const label =
    persona === 'character'
      ? name === ''
        ? t('persona.characterUnnamed')
        : t('persona.characterNamed', { name })
      : t(`persona.${persona}`);

  return (
    <Popover.Root
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) onClose();
      }}
    >
      <Popover.Trigger
        type="button"
        aria-label={t('persona.button', { persona: label })}
        className="flex h-10 max-w-40 shrink-0 items-center gap-1 rounded-full border border-border bg-surface px-2.5 text-sm coarse:min-h-11"
      >
        <Icon aria-hidden="true" className="size-4 shrink-0" strokeWidth={1.75} />
        <span className="hidden truncate sm:inline">{label}</span>
        <ChevronDown aria-hidden="true" className="size-3.5 shrink-0 text-text-muted" strokeWidth={1.75} />
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          side="top"
          align="start"
          sideOffset={8}
          onCloseAutoFocus={(event) => event.preventDefault()}
          className="z-50 w-72 rounded-card border border-border bg-surface p-3 shadow-xl"
        >
          <fieldset>
            <legend className="mb-1 text-sm font-medium">{t('persona.legend')}</legend>
            {PERSONAS.map((value) => {
              const ItemIcon = ICONS[value];
              return (
                <label key={value} className="flex min-h-10 cursor-pointer items-center gap-2 rounded-control px-2 hover:bg-surface-2 coarse:min-h-11">
                  <input
                    type="radio"
                    name={`${id}-persona`}
                    value={value}
                    checked={persona === value}
                    onChange={() => onChange({ persona: value, characterName })}
                    className="accent-accent"
                  />
                  <ItemIcon aria-hidden="true" className="size-4" strokeWidth={1.75} />
                  <span>{t(`persona.${value}`)}</span>
                </label>
              );
            })}
          </fieldset>
          {persona === 'character' && (
            <div className="mt-2 flex flex-col gap-1.5 border-t border-border pt-2">
              <label htmlFor={`${id}-name`} className="text-sm font-medium">
                {t('persona.nameLabel')}
              </label>
              <input
                id={`${id}-name`}
                value={characterName}
                maxLength={MAX_CHARACTER_NAME_LENGTH}
                autoComplete="off"
                onChange={(event) => onChange({ persona, characterName: event.target.value })}
                onKeyDown={(event) => {
                  if (event.key === 'Enter' && !event.nativeEvent.isComposing && event.keyCode !== 229) {
                    event.preventDefault();
                    setOpen(false);
                    onClose();
                  }
                }}
                placeholder={t('persona.namePlaceholder')}
                aria-invalid={name === ''}
                className="w-full rounded-control border border-border bg-bg px-3 py-2 coarse:min-h-11"
              />
              {recentCharacters.length > 0 && (
                <div role="group" aria-label={t('persona.recent')} className="flex flex-wrap gap-1.5">
                  {recentCharacters.map((recent) => (
                    <button
                      key={recent}
                      type="button"
                      aria-pressed={recent === name}
                      onClick={() => onChange({ persona, characterName: recent })}
                      className="max-w-full truncate rounded-full border border-border px-2.5 py-1 text-sm aria-pressed:border-accent aria-pressed:bg-accent-tint coarse:min-h-11"
                    >
                      {recent}
                    </button>
                  ))}
                </div>
              )}
            </div>
          )}
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
