import * as Switch from '@radix-ui/react-switch';
import { useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { version } from '../../../package.json';
import { useLogOut } from '../auth/log-out';
import { useSession } from '../auth/session';
import { LANGUAGES } from '../i18n';
import { hasFinePointer } from '../lib/pointer';
import { updateSettings, useSettings, type Density, type Language, type SendKey, type Settings, type Theme } from '../lib/settings';
import { DialogFrame } from './DialogFrame';
import { isApple } from './keys';

/** The effective values of the optional settings (ui.md §4.8 defaults). */
export function effectiveSettings(settings: Settings) {
  return {
    sendKey: settings.sendKey ?? (hasFinePointer() ? 'enter' : 'mod-enter'),
    density: settings.density ?? 'comfortable',
    showThinking: settings.showThinking ?? false,
    showPassed: settings.showPassed ?? true,
    announce: settings.announce ?? true,
  } satisfies Partial<Settings>;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="flex flex-col gap-3 border-b border-border pb-4 last:border-0 last:pb-0">
      <h3 className="text-sm font-semibold text-text-muted">{title}</h3>
      {children}
    </section>
  );
}

/** A labelled group of radio choices, drawn as a segmented control. */
function Choice<T extends string>({ label, value, options, onChange, hint }: { label: string; value: T; options: readonly { value: T; label: string; lang?: string }[]; onChange: (value: T) => void; hint?: string }) {
  const name = useId();
  return (
    <fieldset className="flex flex-col gap-1.5">
      <legend className="mb-1.5 text-sm font-medium">{label}</legend>
      <div className="inline-flex w-fit flex-wrap rounded-control border border-border p-0.5">
        {options.map((option) => (
          <label
            key={option.value}
            lang={option.lang}
            className="cursor-pointer rounded-[6px] px-3 py-1 text-sm text-text-muted has-[:checked]:bg-accent has-[:checked]:text-accent-fg has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-accent coarse:min-h-11 coarse:content-center"
          >
            <input type="radio" name={name} value={option.value} checked={value === option.value} onChange={() => onChange(option.value)} className="sr-only" />
            {option.label}
          </label>
        ))}
      </div>
      {hint && <p className="text-xs text-text-muted">{hint}</p>}
    </fieldset>
  );
}

function Toggle({ label, hint, checked, onChange }: { label: string; hint?: string; checked: boolean; onChange: (checked: boolean) => void }) {
  const id = useId();
  return (
    <div className="flex items-start justify-between gap-4">
      <div>
        <label htmlFor={id} className="text-sm font-medium">
          {label}
        </label>
        {hint && (
          <p id={`${id}-hint`} className="text-xs text-text-muted">
            {hint}
          </p>
        )}
      </div>
      <Switch.Root
        id={id}
        checked={checked}
        onCheckedChange={onChange}
        aria-describedby={hint ? `${id}-hint` : undefined}
        className="relative h-6 w-10 shrink-0 rounded-full bg-border transition-colors data-[state=checked]:bg-accent coarse:my-2.5"
      >
        <Switch.Thumb className="block size-5 translate-x-0.5 rounded-full bg-white shadow transition-transform data-[state=checked]:translate-x-[1.125rem]" />
      </Switch.Root>
    </div>
  );
}

/** Settings (ui.md §4.8): applied at once, stored locally, synced across tabs; nothing goes to the server. */
export function SettingsDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const { t, i18n } = useTranslation('dialogs');
  const settings = useSettings();
  const values = effectiveSettings(settings);
  const role = useSession().data?.role;
  const [confirmLogout, setConfirmLogout] = useState(false);
  const mod = isApple() ? '⌘' : 'Ctrl';

  const chooseLanguage = (language: Language) => {
    updateSettings({ language });
    void i18n.changeLanguage(language);
  };

  const logOutNow = useLogOut();
  const logOut = () => {
    onOpenChange(false);
    logOutNow();
  };

  return (
    <DialogFrame open={open} onOpenChange={onOpenChange} title={t('settings.title')}>
      <div className="flex flex-col gap-4">
        <Section title={t('settings.appearance')}>
          <Choice<Theme>
            label={t('settings.theme')}
            value={settings.theme}
            onChange={(theme) => updateSettings({ theme })}
            options={(['system', 'light', 'dark'] as const).map((value) => ({ value, label: t(`settings.themes.${value}`) }))}
          />
          <Choice<Density>
            label={t('settings.density')}
            value={values.density}
            onChange={(density) => updateSettings({ density })}
            options={(['comfortable', 'compact'] as const).map((value) => ({ value, label: t(`settings.densities.${value}`) }))}
          />
        </Section>
        <Section title={t('settings.language')}>
          <Choice<Language>
            label={t('settings.languageLabel')}
            value={(i18n.language === 'ko' ? 'ko' : 'en') as Language}
            onChange={chooseLanguage}
            options={LANGUAGES.map((value) => ({ value, label: t(`settings.languages.${value}`), lang: value }))}
          />
        </Section>
        <Section title={t('settings.chat')}>
          <Choice<SendKey>
            label={t('settings.sendWith')}
            value={values.sendKey}
            onChange={(sendKey) => updateSettings({ sendKey })}
            hint={t('settings.sendHint')}
            options={[
              { value: 'enter', label: t('settings.sendKeys.enter') },
              { value: 'mod-enter', label: t('settings.sendKeys.modEnter', { mod }) },
            ]}
          />
          <Toggle label={t('settings.showThinking')} hint={t('settings.showThinkingHint')} checked={values.showThinking} onChange={(showThinking) => updateSettings({ showThinking })} />
          <Toggle label={t('settings.showPassed')} hint={t('settings.showPassedHint')} checked={values.showPassed} onChange={(showPassed) => updateSettings({ showPassed })} />
        </Section>
        <Section title={t('settings.accessibility')}>
          <Toggle label={t('settings.announce')} hint={t('settings.announceHint')} checked={values.announce} onChange={(announce) => updateSettings({ announce })} />
        </Section>
        <Section title={t('settings.account')}>
          <div className="flex flex-wrap items-center justify-between gap-2">
            <p className="text-sm">
              {t('settings.role')}{' '}
              {role && <span className="rounded-full bg-surface-2 px-2 py-0.5 text-xs font-medium text-text-muted">{t(`common:role.${role}`)}</span>}
            </p>
            {!confirmLogout && (
              <button type="button" onClick={() => (role === 'guest' ? setConfirmLogout(true) : logOut())} className="rounded-control border border-border px-3 py-1.5 text-sm">
                {t('common:actions.logOut')}
              </button>
            )}
          </div>
          {confirmLogout && (
            <div role="alert" className="rounded-control border border-warning/50 bg-warning/10 p-3 text-sm">
              <p>{t('common:logoutConfirm.body')}</p>
              <div className="mt-2 flex justify-end gap-2">
                <button type="button" autoFocus onClick={() => setConfirmLogout(false)} className="rounded-control border border-border bg-surface px-3 py-1.5">
                  {t('common:actions.cancel')}
                </button>
                <button type="button" onClick={logOut} className="rounded-control bg-danger px-3 py-1.5 font-medium text-white">
                  {t('common:logoutConfirm.confirm')}
                </button>
              </div>
            </div>
          )}
        </Section>
        <Section title={t('settings.about')}>
          <p className="text-sm text-text-muted">{t('settings.version', { version })}</p>
        </Section>
      </div>
    </DialogFrame>
  );
}
