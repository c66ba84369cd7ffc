import type { z } from 'zod';
import { findUnbalancedBraces } from './template.js';

/**
 * Problems found in a configuration file (behavior.md §3.8). They are reported, never thrown: the offending
 * value is dropped and its built-in default is used instead.
 */
export type ConfigProblemKind =
  | 'wrong_type'
  | 'invalid_value'
  | 'unknown_key'
  | 'unknown_tool'
  | 'missing_tool'
  | 'dangling_pointer'
  | 'unbalanced_braces';

export interface ConfigProblem {
  /** File name inside the config directory (or `group_config.yaml` for group tool overrides). */
  file: string;
  /** Dotted key path inside the file, e.g. `tools.recall.enabled`; `(root)` for the whole document. */
  key: string;
  kind: ConfigProblemKind;
  message: string;
}

export type KeyPath = readonly PropertyKey[];

export function formatKeyPath(path: KeyPath): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.');
}

export interface LenientParse<T> {
  value: T;
  problems: ConfigProblem[];
}

interface LenientOptions {
  file: string;
  /** Paths whose unknown keys are tool names rather than misspelt settings. */
  toolMapPaths?: readonly string[];
}

const MAX_REPAIR_PASSES = 5;

/**
 * Parses `raw` with `schema`, reporting every issue of the first pass and then dropping each offending value
 * so that its default applies: a wrong value never takes the rest of its file down with it. `raw` is the
 * YAML store's cached object, so the repair works on a copy.
 */
export function parseLeniently<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  options: LenientOptions,
): LenientParse<z.output<S>> {
  let candidate = withoutNulls(raw);
  const problems: ConfigProblem[] = [];
  for (let pass = 0; pass < MAX_REPAIR_PASSES; pass += 1) {
    const result = schema.safeParse(candidate);
    if (result.success) return { value: result.data, problems };
    if (pass === 0) problems.push(...issuesToProblems(result.error.issues, options));
    const root = removeIssues(candidate, result.error.issues);
    if (root) candidate = {};
  }
  // Every schema here accepts an empty document (all keys optional or defaulted), so this can only throw on a
  // programming error in a schema, which the unit tests would catch; bad config never gets here.
  return { value: schema.parse({}), problems };
}

function issuesToProblems(issues: readonly z.core.$ZodIssue[], options: LenientOptions): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      const isToolMap = options.toolMapPaths?.includes(formatKeyPath(issue.path)) ?? false;
      for (const key of issue.keys) {
        problems.push({
          file: options.file,
          key: formatKeyPath([...issue.path, key]),
          kind: isToolMap ? 'unknown_tool' : 'unknown_key',
          message: isToolMap ? `unknown tool "${key}" ignored` : `unknown key "${key}" ignored`,
        });
      }
      continue;
    }
    const kind = issue.code === 'invalid_type' || issue.code === 'invalid_union' ? 'wrong_type' : 'invalid_value';
    problems.push({
      file: options.file,
      key: formatKeyPath(issue.path),
      kind,
      message: `${issue.message}; using the default`,
    });
  }
  return problems;
}

/** Deletes every value an issue points at. Returns true when the document root itself is unusable. */
function removeIssues(root: unknown, issues: readonly z.core.$ZodIssue[]): boolean {
  // Longest paths and highest array indices first, so removing one entry never shifts another's path.
  const paths: PropertyKey[][] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') for (const key of issue.keys) paths.push([...issue.path, key]);
    else paths.push([...issue.path]);
  }
  paths.sort(comparePathsDescending);
  let rootUnusable = false;
  for (const path of paths) {
    if (path.length === 0) rootUnusable = true;
    else removeAt(root, path);
  }
  return rootUnusable;
}

function comparePathsDescending(a: PropertyKey[], b: PropertyKey[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i += 1) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return y - x;
    return String(y).localeCompare(String(x));
  }
  return b.length - a.length;
}

function removeAt(root: unknown, path: PropertyKey[]): void {
  let node: unknown = root;
  for (const step of path.slice(0, -1)) {
    if (!isContainer(node)) return;
    node = Reflect.get(node, step);
  }
  const last = path.at(-1);
  if (last === undefined || !isContainer(node)) return;
  if (Array.isArray(node) && typeof last === 'number') node.splice(last, 1);
  else Reflect.deleteProperty(node, last);
}

function isContainer(value: unknown): value is object {
  return value !== null && typeof value === 'object';
}

/**
 * A deep copy in which keys left empty in YAML (`key:` reads as null) are dropped: people write that to mean
 * "not set", so it means "use the default" rather than a type warning.
 */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.filter((item) => item !== null).map(withoutNulls);
  if (isContainer(value)) {
    const copy: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      // defineProperty, not assignment: a YAML key `__proto__` must stay an ordinary (unknown) key instead of
      // replacing the copy's prototype and smuggling values past the schema.
      if (child !== null) {
        const descriptor = { value: withoutNulls(child), enumerable: true, writable: true, configurable: true };
        Object.defineProperty(copy, key, descriptor);
      }
    }
    return copy;
  }
  return value;
}

/** One `unbalanced_braces` problem per string leaf whose braces would not render cleanly (§3.6). */
export function findBraceProblems(file: string, value: unknown, path: PropertyKey[] = []): ConfigProblem[] {
  if (typeof value === 'string') {
    if (!findUnbalancedBraces(value)) return [];
    return [{ file, key: formatKeyPath(path), kind: 'unbalanced_braces', message: 'template has unbalanced braces' }];
  }
  if (!isContainer(value)) return [];
  return Object.entries(value).flatMap(([key, child]) =>
    findBraceProblems(file, child, [...path, Array.isArray(value) ? Number(key) : key]),
  );
}
