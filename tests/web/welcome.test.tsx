import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { setSidebarTab, useAgentLayout } from '../../src/web/agents/agent-layout';
import { HomePage } from '../../src/web/screens/HomePage';
import { ShellContext } from '../../src/web/shell/shell-context';
import { renderRoutes, Route, stubFetch } from './helpers';
import { adminSession, agent } from './room-fixtures';

/** The Welcome screen (ui.md §4.2): Create room, Browse agents (the sidebar's Agents tab), and its tips. */

function TabProbe() {
  return <output data-testid="sidebar-tab">{useAgentLayout().sidebarTab}</output>;
}

function renderWelcome(agents: unknown[], sidebarExpanded: boolean) {
  stubFetch({ 'GET /api/auth/verify': { body: adminSession }, 'GET /api/rooms': { body: [] }, 'GET /api/agents': { body: agents } });
  const shell = { toggleSidebar: vi.fn(), sidebarExpanded, openCreateRoom: vi.fn() };
  renderRoutes(
    '/',
    <Route
      path="/"
      element={
        <ShellContext.Provider value={shell}>
          <HomePage />
          <TabProbe />
        </ShellContext.Provider>
      }
    />,
  );
  return shell;
}

describe('Welcome', () => {
  it('Browse agents switches the sidebar to its Agents tab and opens the drawer when the sidebar is closed', async () => {
    setSidebarTab('rooms');
    const shell = renderWelcome([agent(1, 'Mira')], false);
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Browse agents' }));
    expect(screen.getByTestId('sidebar-tab').textContent).toBe('agents');
    expect(shell.toggleSidebar).toHaveBeenCalledTimes(1);
    expect(screen.queryByText(/There are no agents yet/)).toBeNull();
  });

  it('leaves an open sidebar open, and explains agent folders when there are no agents', async () => {
    setSidebarTab('rooms');
    const shell = renderWelcome([], true);
    await userEvent.setup().click(await screen.findByRole('button', { name: 'Browse agents' }));
    expect(screen.getByTestId('sidebar-tab').textContent).toBe('agents');
    expect(shell.toggleSidebar).not.toHaveBeenCalled();
    expect(await screen.findByText(/There are no agents yet/)).toBeTruthy();
  });
});
