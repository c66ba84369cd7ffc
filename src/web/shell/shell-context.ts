import { createContext, useContext } from 'react';

/** What pages may ask of the app shell: the sidebar toggle lives in each page's header (ui.md §4.2). */
export interface Shell {
  toggleSidebar: () => void;
  /** Whether the sidebar shows (desktop) or the drawer is open (below 1024 px). */
  sidebarExpanded: boolean;
  openCreateRoom: () => void;
}

export const ShellContext = createContext<Shell>({
  toggleSidebar: () => {},
  sidebarExpanded: false,
  openCreateRoom: () => {},
});

export function useShell(): Shell {
  return useContext(ShellContext);
}
