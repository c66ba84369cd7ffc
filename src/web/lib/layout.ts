import { readStored, writeStored } from './storage';

/** Layout preferences (ui.md §2.3 `layout`): whether the desktop sidebar is open. */
interface Layout {
  sidebarOpen: boolean;
}

const KEY = 'layout';
const VERSION = 1;

export function readLayout(): Layout {
  const stored = readStored<Layout>(KEY, VERSION);
  return { sidebarOpen: stored?.sidebarOpen !== false };
}

export function writeLayout(layout: Layout): void {
  writeStored(KEY, VERSION, { ...readStored<Layout>(KEY, VERSION), ...layout });
}
