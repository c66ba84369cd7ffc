import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMemorizeTool } from '../../../src/server/tools/memorize.js';
import { DEFAULT_TOOLS } from '../../../src/server/prompts/defaults.js';
import { useToolFixture } from './support.js';

const fixture = useToolFixture();
const entry = DEFAULT_TOOLS.memorize;

describe('memorize', () => {
  it('creates recent_events.md with the header and a timestamped line in the chat time zone', async () => {
    const f = fixture();
    const tool = createMemorizeTool(f.context(), entry);
    const result = await tool.handle({ memory_entry: '  Jae promised\nto bring\tdumplings  ' });
    expect(result).toEqual({ ok: true, text: "Saved to Mira's memories: Jae promised to bring dumplings" });
    const text = await readFile(join(f.agentDir, 'recent_events.md'), 'utf8');
    expect(text).toBe('# Recent events\n- [2026-03-14 21:04] Jae promised to bring dumplings\n');
    expect(f.memorized).toEqual(['- [2026-03-14 21:04] Jae promised to bring dumplings\n']);
  });

  it('appends after existing content, adding the missing newline first', async () => {
    const f = fixture();
    await writeFile(join(f.agentDir, 'recent_events.md'), '# Recent events\n- [2026-03-01 10:00] Old');
    await createMemorizeTool(f.context(), entry).handle({ memory_entry: 'New' });
    const text = await readFile(join(f.agentDir, 'recent_events.md'), 'utf8');
    expect(text).toBe('# Recent events\n- [2026-03-01 10:00] Old\n- [2026-03-14 21:04] New\n');
  });

  it('keeps every line when many appends run at once', async () => {
    const f = fixture();
    const tool = createMemorizeTool(f.context({ lock: { retryMs: 1, timeoutMs: 5000 } }), entry);
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => tool.handle({ memory_entry: `event ${i}` })),
    );
    expect(results.every((result) => result.ok)).toBe(true);
    const lines = (await readFile(join(f.agentDir, 'recent_events.md'), 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe('# Recent events');
    expect(lines.slice(1).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `- [2026-03-14 21:04] event ${i}`));
  });

  it('rejects an entry that is empty after trimming or longer than 500 characters', async () => {
    const tool = createMemorizeTool(fixture().context(), entry);
    expect(await tool.handle({ memory_entry: '   ' })).toEqual({
      ok: false,
      text: 'Invalid input: "memory_entry" must be 1 to 500 characters long.',
    });
    expect((await tool.handle({ memory_entry: 'x'.repeat(501) })).ok).toBe(false);
    expect((await tool.handle({ memory_entry: 'x'.repeat(500) })).ok).toBe(true);
    expect(await tool.handle({})).toEqual({ ok: false, text: 'Invalid input: "memory_entry" must be a string.' });
  });

  it('returns the error response when the file cannot be written', async () => {
    const f = fixture();
    // A held, fresh lock makes the writer time out, as when another process is stuck mid-write.
    await mkdir(join(f.agentDir, '.lock'));
    const tool = createMemorizeTool(f.context({ lock: { retryMs: 1, timeoutMs: 10 } }), entry);
    expect(await tool.handle({ memory_entry: 'Lost' })).toEqual({ ok: false, text: entry.error_response });
    expect(f.memorized).toEqual([]);
  });

  it('renders a custom response with a Korean particle on the entry', async () => {
    const f = fixture();
    const custom = { ...entry, response: '{agent_name:은는} {memory_entry:을를} 기억한다.' };
    const tool = createMemorizeTool(f.context({ agent: { ...f.context().agent, name: '미라' } }), custom);
    expect((await tool.handle({ memory_entry: '약속' })).text).toBe('미라는 약속을 기억한다.');
  });
});
