import { lazy, Suspense, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Spinner } from '../components/Spinner';
import { setSidebarTab, useAgentLayout, type SidebarTab } from './agent-layout';

const AgentsTab = lazy(() => import('./AgentsTab').then((m) => ({ default: m.AgentsTab })));

const TABS: readonly SidebarTab[] = ['rooms', 'agents'];

/**
 * The sidebar's Rooms and Agents tabs (ui.md §4.2); the chosen tab persists in `layout`. The ARIA tabs pattern is
 * written out here (arrow keys, Home, End) rather than taken from Radix, because the sidebar is in the entry bundle.
 */
export function SidebarTabs({ rooms }: { rooms: ReactNode }) {
  const { t } = useTranslation('agents');
  const { sidebarTab } = useAgentLayout();
  const id = useId();
  const buttons = useRef<Partial<Record<SidebarTab, HTMLButtonElement | null>>>({});

  const choose = (tab: SidebarTab, focus: boolean) => {
    setSidebarTab(tab);
    if (focus) buttons.current[tab]?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = TABS.indexOf(sidebarTab);
    const next =
      event.key === 'ArrowRight'
        ? TABS[(index + 1) % TABS.length]
        : event.key === 'ArrowLeft'
          ? TABS[(index - 1 + TABS.length) % TABS.length]
          : event.key === 'Home'
            ? TABS[0]
            : event.key === 'End'
              ? TABS[TABS.length - 1]
              : undefined;
    if (!next) return;
    event.preventDefault();
    choose(next, true);
  };

  const trigger =
    'flex-1 rounded-[6px] px-3 py-1 text-sm text-text-muted aria-selected:bg-surface aria-selected:font-medium aria-selected:text-text aria-selected:shadow-sm';

  return (
    <div>
      <div role="tablist" aria-label={t('tabs.label')} onKeyDown={onKeyDown} className="mx-3 mb-2 flex rounded-control bg-surface-2 p-0.5">
        {TABS.map((tab) => (
          <button
            key={tab}
            ref={(element) => {
              buttons.current[tab] = element;
            }}
            type="button"
            role="tab"
            id={`${id}-${tab}-tab`}
            aria-selected={sidebarTab === tab}
            aria-controls={`${id}-${tab}-panel`}
            tabIndex={sidebarTab === tab ? 0 : -1}
            onClick={() => choose(tab, false)}
            className={trigger}
          >
            {t(`tabs.${tab}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-${sidebarTab}-panel`} aria-labelledby={`${id}-${sidebarTab}-tab`}>
        {sidebarTab === 'rooms' ? (
          rooms
        ) : (
          <Suspense
            fallback={
              <p className="flex justify-center p-3 text-text-muted">
                <Spinner />
              </p>
            }
          >
            <AgentsTab />
          </Suspense>
        )}
      </div>
    </div>
  );
}
