import type { TFunction } from 'i18next';
import { toast } from '../components/toast';
import { errorText } from '../lib/errors';
import { fetchExport, saveFile, type ExportFormat } from './room-endpoints';

/** Copy and export of a room's transcript (ui.md §3.1 "Export", "Copy transcript"), both from the server's export. */

interface RoomRef {
  id: number;
  name: string;
}

/** Downloads the export; a toast says so when it fails. */
export async function exportTranscript(t: TFunction, room: RoomRef, format: ExportFormat, includeThinking = false): Promise<void> {
  try {
    saveFile(await fetchExport(room, format, includeThinking));
  } catch (error) {
    toast(t('room:errors.export', { reason: errorText(t, error) }), { tone: 'error' });
  }
}

/**
 * Copies the Markdown export. The clipboard write starts inside the click handler with a promise of the text, so the
 * browser keeps the user's gesture while the export loads. When the clipboard refuses, a toast offers the download.
 */
export function copyTranscript(t: TFunction, room: RoomRef, includeThinking: boolean): Promise<void> {
  const file = fetchExport(room, 'markdown', includeThinking);
  const text = file.then(({ blob }) => new Blob([blob], { type: 'text/plain' }));
  const offerDownload = (reason: string) =>
    toast(t('room:errors.copy', { reason }), {
      tone: 'error',
      action: { label: t('room:menu.download'), onClick: () => void exportTranscript(t, room, 'markdown', includeThinking) },
    });

  let write: Promise<void>;
  try {
    const clipboard = navigator.clipboard;
    if (typeof ClipboardItem !== 'undefined' && typeof clipboard?.write === 'function') {
      write = clipboard.write([new ClipboardItem({ 'text/plain': text })]);
    } else if (typeof clipboard?.writeText === 'function') {
      write = text.then((blob) => blob.text()).then((value) => clipboard.writeText(value));
    } else {
      write = Promise.reject(new Error('no clipboard'));
    }
  } catch (error) {
    write = Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }

  return write.then(
    () => {
      toast(t('room:copied'), { tone: 'success' });
    },
    async () => {
      // The export itself failed: say why. Otherwise the clipboard refused: offer the file instead.
      try {
        await file;
      } catch (error) {
        toast(t('room:errors.export', { reason: errorText(t, error) }), { tone: 'error' });
        return;
      }
      offerDownload(t('room:errors.clipboard'));
    },
  );
}
