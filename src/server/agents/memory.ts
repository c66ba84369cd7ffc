/**
 * Long-term memory sections and recall matching (behavior.md §2.8).
 */

// Line start, '##', optional spaces, '[', subtitle without ']', ']'; the rest of the line is ignored.
const SECTION_HEADER = /^##[ \t]*\[([^\]]*)\]/;

export interface MemoryHit {
  subtitle: string;
  content: string;
}

/**
 * Subtitle → content, in first-appearance order; a repeated subtitle keeps its first position but takes the
 * later content. Subtitles are trimmed and NFC-normalised so that recall lookups compare like with like; a
 * header with a blank subtitle still ends the previous section but its own content is dropped.
 */
export function parseMemorySections(text: string): Map<string, string> {
  const sections = new Map<string, string>();
  let subtitle: string | null = null;
  let lines: string[] = [];
  const flush = (): void => {
    if (subtitle !== null && subtitle !== '') sections.set(subtitle, lines.join('\n').trim());
  };
  for (const line of text.split(/\r\n|\r|\n/)) {
    const header = SECTION_HEADER.exec(line);
    if (header) {
      flush();
      subtitle = (header[1] ?? '').trim().normalize('NFC');
      lines = [];
    } else if (subtitle !== null) {
      lines.push(line);
    }
  }
  flush();
  return sections;
}

/** Recall lookup: exact match first, then case- and whitespace-insensitive, else null. */
export function findMemory(sections: ReadonlyMap<string, string>, requested: string): MemoryHit | null {
  const wanted = normalizeRequestedSubtitle(requested);
  if (wanted === '') return null;
  const exact = sections.get(wanted);
  if (exact !== undefined) return { subtitle: wanted, content: exact };
  const loose = looseKey(wanted);
  for (const [subtitle, content] of sections) {
    if (looseKey(subtitle) === loose) return { subtitle, content };
  }
  return null;
}

/** Trim, strip one surrounding pair of brackets (agents often echo `[Harbor night]`), NFC. */
export function normalizeRequestedSubtitle(requested: string): string {
  let value = requested.trim();
  if (value.length >= 2 && value.startsWith('[') && value.endsWith(']')) value = value.slice(1, -1).trim();
  return value.normalize('NFC');
}

function looseKey(value: string): string {
  return value.toLowerCase().replace(/\s+/g, ' ').trim();
}
