import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chatTimeParts, formatChatTime } from '../prompts/chat-time.js';

/**
 * A critic's report file (behavior.md §5.12 rule 2):
 * `<reports dir>/<name with non-alphanumerics as _>_<YYYYMMDD_HHMMSS>.md`, times in the chat zone.
 * A second report in the same second gets a numeric suffix instead of overwriting the first.
 */
export async function writeCriticReport(options: {
  dir: string;
  criticName: string;
  at: Date;
  timeZone: string;
  text: string;
  thinking: string;
}): Promise<string> {
  const parts = chatTimeParts(options.at, options.timeZone);
  const stamp = `${parts.year}${parts.month}${parts.day}_${parts.hour}${parts.minute}${parts.second}`;
  const base = `${options.criticName.replace(/[^\p{L}\p{N}]/gu, '_')}_${stamp}`;
  const lines = [
    `# Critic report`,
    '',
    `**Critic:** ${options.criticName}`,
    `**Time:** ${formatChatTime(options.at, options.timeZone)}`,
    '',
    '---',
    '',
    options.text.trim(),
    '',
  ];
  if (options.thinking.trim() !== '') lines.push('## Thinking', '', options.thinking.trim(), '');
  await mkdir(options.dir, { recursive: true });
  for (let attempt = 0; ; attempt += 1) {
    const path = join(options.dir, attempt === 0 ? `${base}.md` : `${base}_${attempt}.md`);
    try {
      await writeFile(path, lines.join('\n'), { flag: 'wx' });
      return path;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 99) throw err;
    }
  }
}
