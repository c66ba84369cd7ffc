import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { openingHelpTab, useOpenDialog } from '../../src/web/dialogs/dialog-events';
import { parseLimit } from '../../src/web/room/limit';
import { CreateRoomDialog } from '../../src/web/rooms/CreateRoomDialog';
import { renderRoutes, Route, stubFetch } from './helpers';
import { adminSession, agent, room } from './room-fixtures';

/** The Create room dialog (ui.md §4.3): limit, first agents, and the way out when no provider is available. */

const openai = { name: 'openai', available: true, reason: null, models: ['fake-model'], default_model: 'fake-model' };
const agents = [agent(1, '하늘', { group: '바다' }), agent(2, 'Mira', { group: 'Harbour' }), agent(3, 'Tobin')];

function renderDialog(routes: Parameters<typeof stubFetch>[0] = {}) {
  const stub = stubFetch({
    'GET /api/auth/verify': { body: adminSession },
    'GET /api/providers': { body: { default: 'openai', providers: [openai] } },
    'GET /api/agents': { body: agents },
    ...routes,
  });
  renderRoutes('/', <Route path="*" element={<CreateRoomDialog open onOpenChange={() => undefined} />} />);
  return stub;
}

async function ready() {
  const dialog = await screen.findByRole('dialog', { name: 'Create room' });
  await within(dialog).findByRole('radio', { name: /OpenAI-compatible/, checked: true });
  return dialog;
}

describe('Create room dialog', () => {
  it('reads Max interactions as blank for unlimited or a whole number from 1 to 10,000', () => {
    expect(parseLimit('')).toBeNull();
    expect(parseLimit(' 12 ')).toBe(12);
    expect(parseLimit('10000')).toBe(10_000);
    for (const bad of ['0', '10001', '-3', '2.5', 'ten']) expect(parseLimit(bad)).toBeUndefined();
  });

  it('shows a field error for a limit of 0 and sends nothing', async () => {
    const { calls } = renderDialog();
    const dialog = await ready();
    const user = userEvent.setup();
    await user.type(within(dialog).getByLabelText('Name'), 'Night shift');
    await user.type(within(dialog).getByLabelText('Max interactions'), '0');
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));
    const limit = within(dialog).getByLabelText('Max interactions');
    expect(limit.getAttribute('aria-invalid')).toBe('true');
    expect(within(dialog).getByRole('alert').textContent).toBe('Enter a whole number from 1 to 10,000, or leave it blank.');
    expect(document.activeElement).toBe(limit);
    expect(calls.some((call) => call.method === 'POST')).toBe(false);
  });

  it('creates the room with its limit, adds the chosen agents in the order chosen, and opens it', async () => {
    const created = { ...room(9, 'Night shift'), max_interactions: 5, agents: [], messages: [] };
    const { calls } = renderDialog({
      'POST /api/rooms': { body: created },
      'POST /api/rooms/9/agents/3': { body: { ...created, agents: [agents[2]] } },
      'POST /api/rooms/9/agents/1': { body: { ...created, agents: [agents[2], agents[0]] } },
    });
    const dialog = await ready();
    const user = userEvent.setup();
    await user.type(within(dialog).getByLabelText('Name'), 'Night shift');
    await user.type(within(dialog).getByLabelText('Max interactions'), '5');
    // Korean initial-consonant search finds 하늘 by ㅎㄴ.
    await user.click(await within(dialog).findByRole('checkbox', { name: 'Tobin' }));
    await user.type(within(dialog).getByRole('searchbox', { name: 'Search agents' }), 'ㅎㄴ');
    expect(within(dialog).queryByRole('checkbox', { name: 'Mira' })).toBeNull();
    await user.click(within(dialog).getByRole('checkbox', { name: '하늘' }));
    const chips = within(dialog).getByRole('list', { name: 'Chosen agents' });
    expect(within(chips).getAllByRole('listitem').map((chip) => chip.textContent)).toEqual(['TTobin', '하하늘']);

    await user.click(within(dialog).getByRole('button', { name: 'Create' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/rooms/9'));
    const posts = calls.filter((call) => call.method === 'POST');
    expect(posts.map((call) => call.url)).toEqual(['/api/rooms', '/api/rooms/9/agents/3', '/api/rooms/9/agents/1']);
    expect(posts[0]!.body).toMatchObject({ name: 'Night shift', max_interactions: 5 });
  });

  it('a chip removes its agent from the choice', async () => {
    renderDialog();
    const dialog = await ready();
    const user = userEvent.setup();
    await user.click(await within(dialog).findByRole('checkbox', { name: 'Mira' }));
    await user.click(within(dialog).getByRole('button', { name: 'Remove Mira' }));
    expect(within(dialog).queryByRole('list', { name: 'Chosen agents' })).toBeNull();
    expect((within(dialog).getByRole('checkbox', { name: 'Mira' }) as HTMLInputElement).checked).toBe(false);
  });

  it('with no provider available, Create is disabled and the warning opens Help at Providers', async () => {
    let helpOpen: string | null = null;
    function Probe() {
      helpOpen = useOpenDialog();
      return null;
    }
    stubFetch({
      'GET /api/auth/verify': { body: adminSession },
      'GET /api/providers': { body: { default: 'openai', providers: [{ ...openai, available: false, reason: 'Nothing answers at the base URL' }] } },
      'GET /api/agents': { body: agents },
    });
    renderRoutes(
      '/',
      <Route
        path="*"
        element={
          <>
            <CreateRoomDialog open onOpenChange={() => undefined} />
            <Probe />
          </>
        }
      />,
    );
    const dialog = await screen.findByRole('dialog', { name: 'Create room' });
    expect(await within(dialog).findByText('Nothing answers at the base URL')).toBeTruthy();
    expect((within(dialog).getByRole('button', { name: 'Create' }) as HTMLButtonElement).disabled).toBe(true);
    await userEvent.setup().click(within(dialog).getByRole('button', { name: 'How to set up a provider' }));
    expect(helpOpen).toBe('help');
    expect(openingHelpTab()).toBe('providers');
  });
});
