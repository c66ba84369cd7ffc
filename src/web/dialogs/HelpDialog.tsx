import * as Tabs from '@radix-ui/react-tabs';
import { useTranslation } from 'react-i18next';
import { HELP_TABS, type HelpTab } from './dialog-events';
import { DialogFrame } from './DialogFrame';
import { ShortcutsTable } from './ShortcutsTable';

interface HelpItem {
  term?: string;
  text: string;
}

function HelpItems({ tab }: { tab: Exclude<HelpTab, 'shortcuts'> }) {
  const { t } = useTranslation('dialogs');
  const items = t(`help.${tab}.items`, { returnObjects: true }) as HelpItem[];
  const list = Array.isArray(items) ? items : [];
  return (
    <dl className="flex flex-col gap-3 text-sm leading-6">
      {list.map((item, index) => (
        <div key={index}>
          {item.term && <dt className="font-semibold">{item.term}</dt>}
          <dd className="text-text-muted" style={{ wordBreak: 'keep-all' }}>
            {item.text}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Help (ui.md §4.11): tabs for getting started, agents, chatting, shortcuts, connection states and providers. */
export function HelpDialog({ open, onOpenChange, initialTab = 'basics' }: { open: boolean; onOpenChange: (open: boolean) => void; initialTab?: HelpTab }) {
  const { t } = useTranslation('dialogs');
  return (
    <DialogFrame open={open} onOpenChange={onOpenChange} title={t('help.title')} width="40rem">
      <Tabs.Root defaultValue={initialTab}>
        <Tabs.List aria-label={t('help.sections')} className="mb-4 flex flex-wrap gap-1 border-b border-border">
          {HELP_TABS.map((tab) => (
            <Tabs.Trigger
              key={tab}
              value={tab}
              className="-mb-px border-b-2 border-transparent px-2.5 py-1.5 text-sm text-text-muted hover:text-text data-[state=active]:border-accent data-[state=active]:font-medium data-[state=active]:text-text coarse:min-h-11"
            >
              {t(`help.${tab}.title`)}
            </Tabs.Trigger>
          ))}
        </Tabs.List>
        {HELP_TABS.map((tab) => (
          <Tabs.Content key={tab} value={tab}>
            <h3 className="sr-only">{t(`help.${tab}.title`)}</h3>
            {tab === 'shortcuts' ? (
              <>
                <p className="mb-3 text-sm text-text-muted">{t('help.shortcuts.intro')}</p>
                <ShortcutsTable />
              </>
            ) : (
              <HelpItems tab={tab} />
            )}
          </Tabs.Content>
        ))}
      </Tabs.Root>
    </DialogFrame>
  );
}
