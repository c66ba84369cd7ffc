import { Check, Copy } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../shared/models';
import { toast } from '../components/toast';

/** Actions on one message (ui.md §4.4.6): copy its raw Markdown. */
export function MessageActions({ message }: { message: Message; roomId: number; isLatestAgentMessage: boolean; canDelete: boolean }) {
  const { t } = useTranslation('messages');
  const [copied, setCopied] = useState(false);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(message.content);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      toast(t('copyFailed'), { tone: 'error' });
    }
  };

  return (
    <div className="flex items-center gap-1 text-text-muted">
      <button
        type="button"
        onClick={() => void copy()}
        aria-label={copied ? t('copied') : t('copy')}
        title={copied ? t('copied') : t('copy')}
        className="rounded-control p-1.5 hover:bg-surface-2 hover:text-text coarse:min-h-11 coarse:min-w-11"
      >
        {copied ? <Check aria-hidden="true" className="mx-auto size-4" /> : <Copy aria-hidden="true" className="mx-auto size-4" />}
      </button>
    </div>
  );
}
