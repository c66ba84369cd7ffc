import * as Tabs from '@radix-ui/react-tabs';
import { lazy, Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Spinner } from '../components/Spinner';
import { setSidebarTab, useAgentLayout, type SidebarTab } from './agent-layout';

const AgentsTab = lazy(() => import('./AgentsTab').then((m) => ({ default: m.AgentsTab })));

/** The sidebar's Rooms and Agents tabs (ui.md §4.2); the chosen tab persists in `layout`. */
export function SidebarTabs({ rooms }: { rooms: ReactNode }) {
  const { t } = useTranslation('agents');
  const { sidebarTab } = useAgentLayout();
  const trigger =
    'flex-1 rounded-[6px] px-3 py-1 text-sm text-text-muted data-[state=active]:bg-surface data-[state=active]:font-medium data-[state=active]:text-text data-[state=active]:shadow-sm';
  return (
    <Tabs.Root value={sidebarTab} onValueChange={(value) => setSidebarTab(value as SidebarTab)}>
      <Tabs.List aria-label={t('tabs.label')} className="mx-3 mb-2 flex rounded-control bg-surface-2 p-0.5">
        <Tabs.Trigger value="rooms" className={trigger}>
          {t('tabs.rooms')}
        </Tabs.Trigger>
        <Tabs.Trigger value="agents" className={trigger}>
          {t('tabs.agents')}
        </Tabs.Trigger>
      </Tabs.List>
      <Tabs.Content value="rooms">{rooms}</Tabs.Content>
      <Tabs.Content value="agents">
        <Suspense
          fallback={
            <p className="flex justify-center p-3 text-text-muted">
              <Spinner />
            </p>
          }
        >
          <AgentsTab />
        </Suspense>
      </Tabs.Content>
    </Tabs.Root>
  );
}
