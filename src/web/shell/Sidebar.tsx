import { LogOut, Plus } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SidebarTabs } from '../agents/SidebarTabs';
import { useLogOut } from '../auth/log-out';
import { useSession } from '../auth/session';
import { Modal } from '../components/Modal';
import { SettingsHelpButtons, SwitcherButton } from '../dialogs/DialogButtons';
import { RoomsSection } from '../rooms/RoomsSection';
import { useShell } from './shell-context';

const iconProps = { 'aria-hidden': true, className: 'size-[18px]', strokeWidth: 1.75 } as const;

/** The sidebar (ui.md §4.2): brand and New room, the room list, then the footer with role, settings and log out. */
export function Sidebar() {
  const { t } = useTranslation();
  const { openCreateRoom } = useShell();
  const session = useSession();
  const role = session.data?.role;
  const [confirmLogout, setConfirmLogout] = useState(false);
  const logOutNow = useLogOut();
  const logOut = () => {
    setConfirmLogout(false);
    logOutNow();
  };

  return (
    <nav aria-label={t('nav.sidebar')} className="flex h-full w-72 flex-col border-r border-border bg-surface">
      <div className="flex h-14 shrink-0 items-center gap-2 px-4">
        <img src="/favicon.svg" alt="" width={24} height={24} />
        <span className="flex-1 font-semibold tracking-tight">ChitChats</span>
        <SwitcherButton />
        <button
          type="button"
          onClick={openCreateRoom}
          aria-label={t('rooms:newRoom')}
          title={t('rooms:newRoom')}
          className="rounded-control p-2 text-text-muted hover:bg-surface-2 hover:text-text"
        >
          <Plus {...iconProps} />
        </button>
      </div>

      <div className="min-h-0 flex-1 overflow-y-auto pb-3">
        <SidebarTabs rooms={<RoomsSection />} />
      </div>

      <div className="flex shrink-0 flex-col gap-3 border-t border-border px-4 py-3 pb-[max(0.75rem,env(safe-area-inset-bottom))]">
        <SettingsHelpButtons />
        <div className="flex items-center justify-between gap-2">
          {role ? (
            <span className="rounded-full bg-surface-2 px-2 py-0.5 text-xs font-medium text-text-muted">{t(`role.${role}`)}</span>
          ) : (
            <span />
          )}
          <button
            type="button"
            onClick={() => (role === 'guest' ? setConfirmLogout(true) : logOut())}
            className="flex items-center gap-1.5 rounded-control px-2 py-1 text-sm text-text-muted hover:bg-surface-2 hover:text-text"
          >
            <LogOut {...iconProps} />
            {t('actions.logOut')}
          </button>
        </div>
      </div>

      <Modal open={confirmLogout} onOpenChange={setConfirmLogout} title={t('logoutConfirm.title')} description={t('logoutConfirm.body')}>
        <div className="flex justify-end gap-2">
          <button type="button" autoFocus onClick={() => setConfirmLogout(false)} className="rounded-control border border-border px-3 py-1.5">
            {t('actions.cancel')}
          </button>
          <button type="button" onClick={logOut} className="rounded-control bg-danger px-3 py-1.5 font-medium text-white">
            {t('logoutConfirm.confirm')}
          </button>
        </div>
      </Modal>
    </nav>
  );
}
