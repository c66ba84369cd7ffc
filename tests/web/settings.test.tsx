import { act, configure, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { AppDialogs } from '../../src/web/dialogs/AppDialogs';
// Loaded up front, so the lazy dialog opens without waiting for a transform.
import '../../src/web/dialogs/SettingsDialog';
import { openDialog } from '../../src/web/dialogs/dialog-events';
import { i18next } from '../../src/web/i18n';
import { getSettings, updateSettings } from '../../src/web/lib/settings';
import { renderRoutes, Route, stubFetch } from './helpers';

// Lazy chunks and translations load slowly on a busy 2-core machine.
configure({ asyncUtilTimeout: 5000 });

const admin = { role: 'admin', user_id: 'admin', expires_at: '2030-01-01T00:00:00.000Z' };

function stored() {
  return JSON.parse(localStorage.getItem('chitchats.settings') ?? '{}') as Record<string, unknown>;
}

async function openSettings() {
  stubFetch({ 'GET /api/auth/verify': { body: admin } });
  renderRoutes('/', <Route path="*" element={<AppDialogs />} />);
  act(() => openDialog('settings'));
  return screen.findByRole('dialog', { name: 'Settings' }, { timeout: 8000 });
}

describe('settings dialog', () => {
  beforeEach(() => {
    updateSettings({ theme: 'system', language: 'en', sendKey: undefined, density: undefined, showThinking: undefined, showPassed: undefined, announce: undefined });
    localStorage.clear();
  });

  it('applies and stores each setting at once', async () => {
    const user = userEvent.setup();
    const dialog = await openSettings();

    await user.click(within(dialog).getByRole('radio', { name: 'Dark' }));
    expect(document.documentElement.classList.contains('dark') || getSettings().theme === 'dark').toBe(true);
    expect(stored().theme).toBe('dark');

    expect(document.documentElement.classList.contains('density-compact')).toBe(false);
    await user.click(within(dialog).getByRole('radio', { name: 'Compact' }));
    expect(document.documentElement.classList.contains('density-compact')).toBe(true);
    expect(stored().density).toBe('compact');

    await user.click(within(dialog).getByRole('radio', { name: /\+Enter/ }));
    expect(stored().sendKey).toBe('mod-enter');

    const thinking = within(dialog).getByRole('switch', { name: 'Show thinking expanded' });
    expect(thinking.getAttribute('aria-checked')).toBe('false');
    await user.click(thinking);
    expect(stored().showThinking).toBe(true);

    const passed = within(dialog).getByRole('switch', { name: 'Show passed turns' });
    expect(passed.getAttribute('aria-checked')).toBe('true');
    await user.click(passed);
    expect(stored().showPassed).toBe(false);

    const announce = within(dialog).getByRole('switch', { name: 'Announce new messages to screen readers' });
    expect(announce.getAttribute('aria-checked')).toBe('true');
    await user.click(announce);
    expect(stored().announce).toBe(false);

    await user.click(within(dialog).getByRole('radio', { name: 'Comfortable' }));
    expect(document.documentElement.classList.contains('density-compact')).toBe(false);
  });

  it('follows a change made in another tab', async () => {
    const dialog = await openSettings();
    expect((within(dialog).getByRole('radio', { name: 'Comfortable' }) as HTMLInputElement).checked).toBe(true);
    localStorage.setItem('chitchats.settings', JSON.stringify({ v: 1, theme: 'light', density: 'compact', showPassed: false }));
    act(() => void window.dispatchEvent(new StorageEvent('storage', { key: 'chitchats.settings' })));
    expect((within(dialog).getByRole('radio', { name: 'Compact' }) as HTMLInputElement).checked).toBe(true);
    expect((within(dialog).getByRole('radio', { name: 'Light' }) as HTMLInputElement).checked).toBe(true);
    expect(within(dialog).getByRole('switch', { name: 'Show passed turns' }).getAttribute('aria-checked')).toBe('false');
    expect(document.documentElement.classList.contains('density-compact')).toBe(true);
  });

  it('switches the language and <html lang>, and shows the role and version', async () => {
    const user = userEvent.setup();
    const dialog = await openSettings();
    expect(await within(dialog).findByText('Admin')).toBeTruthy();
    expect(within(dialog).getByText(/ChitChats version \d+\.\d+\.\d+/)).toBeTruthy();
    // The Korean files load on demand; load them first so the check does not race the loader on a busy machine.
    await act(() => i18next.loadLanguages('ko'));
    try {
      await user.click(within(dialog).getByRole('radio', { name: '한국어' }));
      expect(stored().language).toBe('ko');
      expect(await screen.findByRole('dialog', { name: '설정' }, { timeout: 10_000 })).toBeTruthy();
      expect(document.documentElement.lang).toBe('ko');
    } finally {
      await act(() => i18next.changeLanguage('en'));
    }
  });
});
