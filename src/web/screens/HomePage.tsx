import { Navigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { setSidebarTab } from '../agents/agent-layout';
import { useAgents } from '../agents/use-agents';
import { useMe } from '../auth/session';
import { readString } from '../lib/storage';
import { useRooms } from '../rooms/rooms-data';
import { PageHeader } from '../shell/PageHeader';
import { useShell } from '../shell/shell-context';

/** `/`: the last opened room when it is still listed (P8), else the Welcome screen (ui.md §4.2). */
export function HomePage() {
  const me = useMe();
  const rooms = useRooms(me !== undefined);
  if (!me || rooms.isPending) return <PageHeader title="" focusTitle={false} />;
  const last = readString(`lastRoom.${me.user_id}`);
  if (last && rooms.data?.some((room) => String(room.id) === last)) return <Navigate to={`/rooms/${last}`} replace />;
  return <Welcome />;
}

function Welcome() {
  const { t } = useTranslation('rooms');
  const { openCreateRoom, sidebarExpanded, toggleSidebar } = useShell();
  const agents = useAgents();
  const noAgents = agents.isSuccess && agents.data.length === 0;
  // The Agents tab of the sidebar, which on a phone (or with the sidebar hidden) has to be opened first (§4.2).
  const browseAgents = () => {
    setSidebarTab('agents');
    if (!sidebarExpanded) toggleSidebar();
  };
  return (
    <>
      <PageHeader title={t('welcome.title')} />
      <div className="m-auto w-full max-w-lg p-6">
        <p className="text-lg">{t('welcome.headline')}</p>
        <div className="mt-5 flex flex-wrap gap-2">
          <button type="button" onClick={openCreateRoom} className="rounded-control bg-accent px-4 py-2 font-medium text-accent-fg">
            {t('createRoom')}
          </button>
          <button type="button" onClick={browseAgents} className="rounded-control border border-border px-4 py-2 font-medium">
            {t('welcome.browseAgents')}
          </button>
        </div>
        <ul className="mt-8 flex list-disc flex-col gap-2 pl-5 text-sm text-text-muted">
          <li>{t('welcome.tipRooms')}</li>
          <li>{t('welcome.tipAgents')}</li>
          <li>{t('welcome.tipKeys')}</li>
          {noAgents && <li>{t('welcome.tipNoAgents')}</li>}
        </ul>
      </div>
    </>
  );
}
