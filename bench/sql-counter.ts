import pg from 'pg';
import type { Database } from '../src/server/db/connect.js';

/**
 * Counts and times the SQL statements the server sends, by wrapping the driver under Drizzle: the PGlite
 * instance's `query`/`exec`/`transaction`, or `pg.Client.prototype.query` (every pooled PostgreSQL client).
 * BEGIN and COMMIT are statements too. On PostgreSQL a statement's time runs from the call to the driver's answer
 * (two statements of one Promise.all run on two pool connections at once, so the sum can exceed the wall time).
 * PGlite runs one statement at a time in this thread, so there a statement's own time starts when the previous
 * one finished (`end - max(start, previous end)`): time spent queued behind another statement is not counted twice.
 */

export interface StatementStats {
  label: string;
  count: number;
  ms: number;
}

export interface SqlCounter {
  /** Starts (or continues) recording; `reset()` clears what was recorded. */
  start(): void;
  reset(): void;
  stop(): void;
  total(): { count: number; ms: number };
  /** Statement shapes, most time first. */
  byStatement(): StatementStats[];
}

/** A statement's shape: the select list is elided and whitespace collapsed, so one query = one label. */
export function statementLabel(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  if (/^(begin|commit|rollback)$/i.test(flat)) return flat.toUpperCase();
  const shape = flat.replace(/^select (.*?) from /i, 'select … from ').replace(/ returning .*$/i, ' returning …');
  const insert = /^insert into ("?\w+"?) \(/i.exec(shape);
  if (insert) return `insert into ${insert[1]} (…) values (…)${/ returning /i.test(shape) ? ' returning …' : ''}`;
  return shape.length > 160 ? `${shape.slice(0, 157)}…` : shape;
}

type QueryFn = (...args: unknown[]) => unknown;

type Recorder = (sql: string, started: number, ended: number) => void;

let active: Recorder | null = null;
let pgPatched = false;

function textOf(arg: unknown): string {
  if (typeof arg === 'string') return arg;
  if (typeof arg === 'object' && arg !== null && typeof (arg as { text?: unknown }).text === 'string') return (arg as { text: string }).text;
  return '?';
}

function timed(fn: QueryFn, self: unknown, args: unknown[]): unknown {
  const record = active;
  if (!record) return fn.apply(self, args);
  const sql = textOf(args[0]);
  const started = performance.now();
  const last = args[args.length - 1];
  if (typeof last === 'function') {
    // pg-pool calls client.query(text, values, callback).
    const callback = last as (...rest: unknown[]) => unknown;
    const wrapped = [...args.slice(0, -1), (...rest: unknown[]) => {
      record(sql, started, performance.now());
      return callback(...rest);
    }];
    return fn.apply(self, wrapped);
  }
  const result = fn.apply(self, args);
  if (result instanceof Promise) {
    return result.finally(() => record(sql, started, performance.now()));
  }
  record(sql, started, performance.now());
  return result;
}

function patchPg(): void {
  if (pgPatched) return;
  pgPatched = true;
  const proto = pg.Client.prototype as unknown as { query: QueryFn };
  const original = proto.query;
  proto.query = function query(this: unknown, ...args: unknown[]) {
    return timed(original, this, args);
  };
}

interface PgliteLike {
  query: QueryFn;
  exec: QueryFn;
  transaction: (callback: (tx: Record<string, unknown>) => Promise<unknown>) => Promise<unknown>;
}

function patchPglite(client: PgliteLike): void {
  const query = client.query;
  const exec = client.exec;
  const transaction = client.transaction;
  client.query = (...args) => timed(query, client, args);
  client.exec = (...args) => timed(exec, client, args);
  client.transaction = (callback) => {
    const record = active;
    const started = performance.now();
    let commitFrom = started;
    const result = transaction.call(client, (tx) => {
      // The transaction holds PGlite's lock from here: BEGIN has run, nothing else interleaves until COMMIT.
      if (record) record('BEGIN', started, performance.now());
      const txQuery = tx.query as QueryFn;
      const txExec = tx.exec as QueryFn;
      return callback(
        new Proxy(tx, {
          get(target, key, receiver) {
            if (key === 'query') return (...args: unknown[]) => timed(txQuery, tx, args);
            if (key === 'exec') return (...args: unknown[]) => timed(txExec, tx, args);
            return Reflect.get(target, key, receiver) as unknown;
          },
        }),
      ).finally(() => (commitFrom = performance.now()));
    });
    return result.finally(() => {
      if (record) record('COMMIT', commitFrom, performance.now());
    });
  };
}

export function instrumentDatabase(database: Database): SqlCounter {
  const stats = new Map<string, StatementStats>();
  let recording = false;
  // PGlite executes one statement at a time: a statement queued behind another starts when that one ends.
  const serialized = database.kind === 'pglite';
  let previousEnd = 0;
  const record: Recorder = (sql, started, ended) => {
    if (!recording) return;
    const ms = serialized ? Math.max(0, ended - Math.max(started, previousEnd)) : ended - started;
    if (serialized) previousEnd = Math.max(previousEnd, ended);
    const label = statementLabel(sql);
    const entry = stats.get(label) ?? { label, count: 0, ms: 0 };
    entry.count += 1;
    entry.ms += ms;
    stats.set(label, entry);
  };
  if (database.kind === 'postgres') patchPg();
  else patchPglite((database.db as unknown as { $client: PgliteLike }).$client);
  return {
    reset() {
      stats.clear();
    },
    start() {
      recording = true;
      active = record;
    },
    stop() {
      recording = false;
      if (active === record) active = null;
    },
    total() {
      let count = 0;
      let ms = 0;
      for (const entry of stats.values()) {
        count += entry.count;
        ms += entry.ms;
      }
      return { count, ms };
    },
    byStatement: () => [...stats.values()].sort((a, b) => b.ms - a.ms),
  };
}
