import { act, configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AppDialogs } from '../../src/web/dialogs/AppDialogs';
import '../../src/web/dialogs/ShortcutsDialog';
import { HelpDialog } from '../../src/web/dialogs/HelpDialog';
import { i18next } from '../../src/web/i18n';
import { renderRoutes, Route, stubFetch } from './helpers';

// Lazy chunks and translations load slowly on a busy 2-core machine.
configure({ asyncUtilTimeout: 5000 });

const admin = { role: 'admin', user_id: 'admin', expires_at: '2030-01-01T00:00:00.000Z' };

function renderHelp() {
  stubFetch({ 'GET /api/auth/verify': { body: admin } });
  return renderRoutes('/', <Route path="*" element={<HelpDialog open onOpenChange={() => {}} />} />);
}

describe('help dialog', () => {
  it('has the six tabs in English, each with its own content', async () => {
    const user = userEvent.setup();
    renderHelp();
    const dialog = await screen.findByRole('dialog', { name: 'Help' });
    expect(within(dialog).getAllByRole('tab').map((tab) => tab.textContent)).toEqual([
      'Getting started',
      'Agents',
      'Chatting',
      'Shortcuts',
      'Connection',
      'Providers',
    ]);
    expect(within(dialog).getByText('Rooms')).toBeTruthy();

    await user.click(within(dialog).getByRole('tab', { name: 'Connection' }));
    const panel = within(dialog).getByRole('tabpanel');
    for (const state of ['Live', 'Connecting', 'Reconnecting', 'Server restarting', 'Limited: polling', 'Offline']) {
      expect(within(panel).getByText(state)).toBeTruthy();
    }

    await user.click(within(dialog).getByRole('tab', { name: 'Shortcuts' }));
    expect(within(within(dialog).getByRole('tabpanel')).getByText('Open the quick switcher')).toBeTruthy();

    await user.click(within(dialog).getByRole('tab', { name: 'Providers' }));
    expect(within(within(dialog).getByRole('tabpanel')).getByText('Not available')).toBeTruthy();
  });

  it('is written in Korean too', async () => {
    const user = userEvent.setup();
    await act(() => i18next.changeLanguage('ko'));
    try {
      renderHelp();
      const dialog = await screen.findByRole('dialog', { name: '도움말' });
      expect(within(dialog).getAllByRole('tab').map((tab) => tab.textContent)).toEqual(['시작하기', '에이전트', '대화하기', '단축키', '연결', '제공자']);
      await user.click(within(dialog).getByRole('tab', { name: '연결' }));
      expect(within(within(dialog).getByRole('tabpanel')).getByText('제한됨: 폴링')).toBeTruthy();
    } finally {
      await act(() => i18next.changeLanguage('en'));
    }
  });
});

describe('shortcuts', () => {
  it('? opens the shortcut list outside text fields only', async () => {
    stubFetch({ 'GET /api/auth/verify': { body: admin } });
    renderRoutes(
      '/',
      <Route
        path="*"
        element={
          <>
            <label>
              Note <input />
            </label>
            <AppDialogs />
          </>
        }
      />,
    );
    fireEvent.keyDown(screen.getByRole('textbox', { name: 'Note' }), { key: '?' });
    expect(screen.queryByRole('dialog')).toBeNull();

    fireEvent.keyDown(document.body, { key: '?' });
    const dialog = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(within(dialog).getByText('Save the file in the agent editor')).toBeTruthy();
  });

  it('Alt+↓ and Alt+↑ move to the next and previous room in the list order', async () => {
    const at = '2026-01-05T09:30:00.000Z';
    const room = (id: number) => ({ id, name: `Room ${id}`, owner_id: 'admin', max_interactions: null, is_paused: false, is_finished: false, default_provider: 'openai', default_model: null, created_at: at, last_activity_at: at, last_read_at: at, running: null, has_unread: false });
    stubFetch({ 'GET /api/auth/verify': { body: admin } });
    const { queryClient } = renderRoutes('/rooms/5', <Route path="*" element={<AppDialogs />} />);
    queryClient.setQueryData(['rooms'], [room(9), room(5), room(2)]);
    const location = () => screen.getByTestId('location').textContent;

    fireEvent.keyDown(document.body, { key: 'ArrowDown', altKey: true });
    await waitFor(() => expect(location()).toBe('/rooms/2'));
    fireEvent.keyDown(document.body, { key: 'ArrowDown', altKey: true });
    await waitFor(() => expect(location()).toBe('/rooms/9'));
    fireEvent.keyDown(document.body, { key: 'ArrowUp', altKey: true });
    await waitFor(() => expect(location()).toBe('/rooms/2'));
    // Without Alt, arrows are left alone.
    fireEvent.keyDown(document.body, { key: 'ArrowUp' });
    expect(location()).toBe('/rooms/2');
  });
});
