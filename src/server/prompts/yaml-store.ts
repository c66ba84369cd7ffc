import { statSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDocument } from 'yaml';
import type { Logger } from 'pino';

/**
 * One store for every YAML read (behavior.md §3.1): keyed by absolute path, re-stats on each access and
 * re-parses only when mtime or size changed. A missing or empty file reads as {}; a parse error keeps the
 * last good value.
 */
export interface YamlStore {
  read(path: string): unknown;
  /** Signature (mtime+size) of a file as last seen, for caches built on top of YAML files. */
  signature(path: string): string;
  invalidate(path: string): void;
}

interface Entry {
  signature: string;
  value: unknown;
}

export function fileSignature(path: string): string {
  try {
    const st = statSync(path);
    return `${st.mtimeMs}:${st.size}`;
  } catch {
    return 'missing';
  }
}

export function createYamlStore({ log }: { log: Logger }): YamlStore {
  const entries = new Map<string, Entry>();

  function read(path: string): unknown {
    const abs = resolve(path);
    const signature = fileSignature(abs);
    const cached = entries.get(abs);
    if (cached && cached.signature === signature) return cached.value;
    const value = parseFile(abs, signature, cached?.value);
    entries.set(abs, { signature, value });
    return value;
  }

  function parseFile(abs: string, signature: string, lastGood: unknown): unknown {
    if (signature === 'missing') return {};
    let text: string;
    try {
      text = readFileSync(abs, 'utf8');
    } catch (err) {
      log.warn({ err, file: abs }, 'yaml file unreadable; keeping last good value');
      return lastGood ?? {};
    }
    if (text.trim() === '') return {};
    const doc = parseDocument(text, { prettyErrors: true });
    if (doc.errors.length > 0) {
      const first = doc.errors[0];
      log.warn(
        { file: abs, line: first?.linePos?.[0]?.line, column: first?.linePos?.[0]?.col, error: first?.message },
        'yaml parse error; keeping last good value',
      );
      return lastGood ?? {};
    }
    return doc.toJS() ?? {};
  }

  return {
    read,
    signature: (path) => fileSignature(resolve(path)),
    invalidate: (path) => {
      entries.delete(resolve(path));
    },
  };
}
