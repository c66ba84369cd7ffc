import { describe, expect, it } from 'vitest';

/** ui.md §8 enforcement 1: English and Korean have the same keys, no empty values, the same variables. */

const files = import.meta.glob<Record<string, unknown>>('../../src/web/i18n/locales/*/*.json', { eager: true, import: 'default' });

function flatten(value: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof value === 'string') out.set(prefix, value);
  else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) for (const [k, v] of flatten(child, prefix ? `${prefix}.${key}` : key)) out.set(k, v);
  }
  return out;
}

const variables = (text: string) => [...text.matchAll(/{{\s*([\w.]+)[^}]*}}/g)].map((m) => m[1]).sort();

const byLanguage = new Map<string, Map<string, Map<string, string>>>();
for (const [path, resource] of Object.entries(files)) {
  const [, language, namespace] = /locales\/(\w+)\/(\w+)\.json$/.exec(path) ?? [];
  if (!language || !namespace) continue;
  if (!byLanguage.has(language)) byLanguage.set(language, new Map());
  byLanguage.get(language)!.set(namespace, flatten(resource));
}

describe('translations', () => {
  it('exist for English and Korean with the same namespaces', () => {
    expect([...byLanguage.keys()].sort()).toEqual(['en', 'ko']);
    expect([...byLanguage.get('ko')!.keys()].sort()).toEqual([...byLanguage.get('en')!.keys()].sort());
  });

  for (const [namespace, english] of byLanguage.get('en') ?? []) {
    it(`${namespace}: same keys, no empty values, same variables`, () => {
      const korean = byLanguage.get('ko')?.get(namespace) ?? new Map<string, string>();
      expect([...korean.keys()].sort()).toEqual([...english.keys()].sort());
      for (const [key, text] of english) {
        expect(text.trim(), `en ${namespace}:${key}`).not.toBe('');
        expect(korean.get(key)?.trim(), `ko ${namespace}:${key}`).not.toBe('');
        expect(variables(korean.get(key) ?? ''), `${namespace}:${key}`).toEqual(variables(text));
      }
    });
  }
});
