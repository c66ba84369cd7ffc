import type { Root } from 'hast';
import { common, createLowlight } from 'lowlight';

/**
 * The code highlighter (ui.md §4.4.3), loaded lazily in its own chunk by `CodeBlock`: lowlight with highlight.js's
 * common languages (never `all`), so the chunk stays within its 70 kB budget. Unknown languages stay plain.
 */

const lowlight = createLowlight(common);

/** Common names people write after the fence that highlight.js knows under another name. */
const ALIASES: Readonly<Record<string, string>> = {
  js: 'javascript',
  jsx: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  ts: 'typescript',
  tsx: 'typescript',
  py: 'python',
  rb: 'ruby',
  sh: 'bash',
  shell: 'bash',
  zsh: 'bash',
  console: 'bash',
  yml: 'yaml',
  md: 'markdown',
  html: 'xml',
  svg: 'xml',
  'c++': 'cpp',
  'c#': 'csharp',
  cs: 'csharp',
  kt: 'kotlin',
  rs: 'rust',
  golang: 'go',
};

export function resolveLanguage(language: string): string | null {
  const name = language.toLowerCase();
  const resolved = ALIASES[name] ?? name;
  return lowlight.registered(resolved) ? resolved : null;
}

/** The highlighted tree, or null when the language is unknown (the block then stays plain). */
export function highlight(code: string, language: string): Root | null {
  const resolved = resolveLanguage(language);
  if (resolved === null) return null;
  try {
    return lowlight.highlight(resolved, code);
  } catch {
    return null;
  }
}
