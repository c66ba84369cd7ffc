import pg from 'pg';
import type { Logger } from 'pino';
import type { RoomEvent, RoomEventPayloads } from '../../shared/events.js';
import type { Agent, Message, RoomWithAgents } from '../../shared/models.js';
import type { EventBus } from './bus.js';

/**
 * The events bus across processes on one PostgreSQL database (api.md §9.3, architecture.md §5). Every publish is
 * delivered locally first, then sent with `pg_notify` on one channel; a dedicated LISTEN connection re-publishes the
 * other processes' events on the local bus, so SSE streams and the read caches (`subscribeAll`) see them too.
 *
 * NOTIFY payloads must stay under 8000 bytes. An event whose JSON fits travels inline. Otherwise:
 * - `message` travels as its id; the receiver reads the committed row and builds the DTO (`rebuild.message`).
 * - `room` travels with its own fields inline and its agents as ids; the receiver reads the agents
 *   (`rebuild.agents`). The room row itself is not re-read, so a `deleted` room still arrives as it was.
 * - `delta` is split into several deltas (clients concatenate them).
 * - `agent_error` has its error text shortened.
 * Anything still too large is logged and not relayed (it was delivered locally).
 */

export const RELAY_CHANNEL = 'chitchats_events';
/** PostgreSQL refuses payloads of 8000 bytes or more; the margin covers nothing but rounding. */
export const PAYLOAD_LIMIT = 7900;
/** UTF-16 units per delta piece: at most 6 bytes each once JSON-escaped, so a piece always fits. */
const DELTA_PIECE = 1000;
const ERROR_TEXT = 1000;
/** At most this many notifications in one statement (each payload is under 8000 bytes). */
const NOTIFY_BATCH = 50;
/** A catch-up waits at most this long for its marker (a LISTEN connection that dropped meanwhile never sees it). */
const CATCH_UP_BOUND_MS = 1000;

type RoomFields = Omit<RoomWithAgents, 'agents'>;

/**
 * One notification: `o` the sending process, `r` the room, then exactly one of `e` / `m` / `k`, or `c`: a catch-up
 * marker the sender sends to itself (see `catchUp`).
 */
export type RelayWire =
  | { o: string; r: number; e: RoomEvent }
  | { o: string; r: number; m: number }
  | { o: string; r: number; k: { reason: RoomEventPayloads['room']['reason']; room: RoomFields; agents: number[] } }
  | { o: string; r: number; c: number };

export interface RelayRebuild {
  /** The message DTO of a committed message, or null when it is gone. */
  message(id: number): Promise<Message | null>;
  /** Agent DTOs in the order of `ids`; missing agents are left out. */
  agents(ids: number[]): Promise<Agent[]>;
}

const fits = (text: string) => Buffer.byteLength(text, 'utf8') < PAYLOAD_LIMIT;

function splitText(text: string, size: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + size, text.length);
    // Never cut a surrogate pair in two.
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    pieces.push(text.slice(start, end));
    start = end;
  }
  return pieces;
}

/** `snapshot` and `shutdown` are written by a stream to its own client; they never concern another process. */
export const isRelayed = (event: RoomEvent): boolean => event.type !== 'snapshot' && event.type !== 'shutdown';

/** The notification payloads for one event, in order; empty when the event cannot be relayed. */
export function encodeEvent(origin: string, roomId: number, event: RoomEvent): string[] {
  if (!isRelayed(event)) return [];
  const inline = JSON.stringify({ o: origin, r: roomId, e: event } satisfies RelayWire);
  if (fits(inline)) return [inline];
  let payloads: string[];
  switch (event.type) {
    case 'message':
      payloads = [JSON.stringify({ o: origin, r: roomId, m: event.data.id } satisfies RelayWire)];
      break;
    case 'room': {
      const { agents, ...room } = event.data.room;
      const k = { reason: event.data.reason, room, agents: agents.map((agent) => agent.id) };
      payloads = [JSON.stringify({ o: origin, r: roomId, k } satisfies RelayWire)];
      break;
    }
    case 'delta':
      payloads = splitText(event.data.text, DELTA_PIECE).map((text) =>
        JSON.stringify({ o: origin, r: roomId, e: { type: 'delta', data: { ...event.data, text } } } satisfies RelayWire),
      );
      break;
    case 'agent_error': {
      const error = `${event.data.error.slice(0, ERROR_TEXT)}…`;
      payloads = [JSON.stringify({ o: origin, r: roomId, e: { type: 'agent_error', data: { ...event.data, error } } } satisfies RelayWire)];
      break;
    }
    default:
      payloads = [];
  }
  return payloads.every(fits) ? payloads : [];
}

/** Parses a payload; null when it is not one of ours. */
export function parsePayload(payload: string): RelayWire | null {
  try {
    const wire = JSON.parse(payload) as RelayWire;
    if (typeof wire !== 'object' || wire === null || typeof wire.o !== 'string' || typeof wire.r !== 'number') return null;
    if (!('e' in wire) && !('m' in wire) && !('k' in wire) && !('c' in wire)) return null;
    return wire;
  } catch {
    return null;
  }
}

/** The event a notification stands for; null for a marker, or when a referenced message no longer exists. */
export async function decodeWire(wire: RelayWire, rebuild: RelayRebuild): Promise<RoomEvent | null> {
  if ('c' in wire) return null;
  if ('e' in wire) return wire.e;
  if ('m' in wire) {
    const message = await rebuild.message(wire.m);
    return message ? { type: 'message', data: message } : null;
  }
  const agents = await rebuild.agents(wire.k.agents);
  return { type: 'room', data: { reason: wire.k.reason, room: { ...wire.k.room, agents } } };
}

export interface PostgresRelayOptions {
  local: EventBus;
  databaseUrl: string;
  /** This process's id (the one its runner leases carry); notifications with it are our own and ignored. */
  processId: string;
  log: Logger;
  rebuild: RelayRebuild;
  /** Reconnect backoff bounds for the LISTEN connection. */
  backoff?: { initialMs: number; maxMs: number };
}

export interface PostgresRelayBus extends EventBus {
  /** Resolves once the first LISTEN attempt finished (connected, or retrying in the background). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

export function createPostgresRelayBus(options: PostgresRelayOptions): PostgresRelayBus {
  const { local, databaseUrl, processId, log, rebuild } = options;
  const backoff = options.backoff ?? { initialMs: 250, maxMs: 10_000 };
  // One connection sends: the pool queues queries first come first served, so one process's notifications are
  // committed, and therefore delivered, in publish order.
  const sender = new pg.Pool({ connectionString: databaseUrl, max: 1, connectionTimeoutMillis: 5000 });
  sender.on('error', (err) => log.warn({ err }, 'event relay sender connection failed'));

  let closed = false;
  let listener: pg.Client | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let delay = backoff.initialMs;
  /**
   * Payloads waiting for the sender, in publish order. While one statement is out, the events published meanwhile
   * queue here and go out together in the next one (a turn's start, deltas, message and end are one or two round
   * trips, not four). A statement never carries the same payload twice: PostgreSQL folds identical notifications of
   * one transaction into one.
   */
  const outbox: string[] = [];
  let sending: Promise<void> | null = null;

  async function sendOutbox(): Promise<void> {
    while (outbox.length > 0) {
      const batch: string[] = [];
      while (outbox.length > 0 && batch.length < NOTIFY_BATCH && !batch.includes(outbox[0]!)) batch.push(outbox.shift()!);
      const calls = batch.map((_, i) => `pg_notify($1, $${i + 2})`).join(', ');
      await sender
        .query(`SELECT ${calls}`, [RELAY_CHANNEL, ...batch])
        .catch((err: unknown) => log.warn({ err, events: batch.length }, 'event relay could not notify'));
    }
    sending = null;
  }

  /** Resolves once every queued payload has been sent (a batch may start while an earlier one is awaited). */
  async function drained(): Promise<void> {
    while (sending) await sending;
  }
  /** Per room, the tail of the notifications being turned back into events (references read the database). */
  const chains = new Map<number, Promise<void>>();
  /** Catch-up markers sent and not yet seen come back, by marker number. */
  const markers = new Map<number, () => void>();
  let nextMarker = 0;

  function receive(payload: string | undefined): void {
    const wire = payload === undefined ? null : parsePayload(payload);
    if (!wire) {
      log.warn('event relay ignored a malformed notification');
      return;
    }
    if ('c' in wire) {
      // Our own marker: PostgreSQL delivers notifications in commit order, so everything committed before it has
      // arrived; it is done once the room's chain has turned those into events.
      if (wire.o === processId) void (chains.get(wire.r) ?? Promise.resolve()).then(() => markers.get(wire.c)?.());
      return;
    }
    if (wire.o === processId) return;
    const roomId = wire.r;
    const previous = chains.get(roomId) ?? Promise.resolve();
    const next = previous
      .then(() => decodeWire(wire, rebuild))
      .then(
        (event) => {
          if (event) local.publish(roomId, event);
        },
        (err: unknown) => log.error({ err, roomId }, 'event relay could not rebuild an event'),
      )
      .finally(() => {
        if (chains.get(roomId) === next) chains.delete(roomId);
      });
    chains.set(roomId, next);
  }

  function scheduleReconnect(): void {
    if (closed || retryTimer) return;
    const wait = delay;
    delay = Math.min(delay * 2, backoff.maxMs);
    log.warn({ retryInMs: wait }, 'event relay LISTEN connection lost; reconnecting');
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void connect();
    }, wait);
    retryTimer.unref();
  }

  async function connect(): Promise<void> {
    if (closed) return;
    const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
    let dropped = false;
    const drop = (err?: unknown) => {
      if (dropped) return;
      dropped = true;
      if (err) log.warn({ err }, 'event relay LISTEN connection failed');
      if (listener === client) listener = null;
      client.end().catch(() => undefined);
      scheduleReconnect();
    };
    client.on('error', drop);
    client.on('end', () => drop());
    client.on('notification', (message) => {
      if (message.channel === RELAY_CHANNEL) receive(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${RELAY_CHANNEL}`);
    } catch (err) {
      drop(err);
      return;
    }
    if (closed) {
      dropped = true;
      await client.end().catch(() => undefined);
      return;
    }
    listener = client;
    if (delay !== backoff.initialMs) log.info('event relay LISTEN connection restored');
    delay = backoff.initialMs;
  }

  const ready = connect();

  return {
    ready,
    publish(roomId, event) {
      local.publish(roomId, event);
      if (closed) return;
      const payloads = encodeEvent(processId, roomId, event);
      if (payloads.length === 0 && isRelayed(event)) log.warn({ roomId, type: event.type }, 'event too large to relay to other processes');
      if (payloads.length === 0) return;
      outbox.push(...payloads);
      sending ??= sendOutbox();
    },
    flush: drained,
    async catchUp(roomId) {
      if (closed || listener === null) return;
      const marker = ++nextMarker;
      const seen = new Promise<boolean>((resolve) => markers.set(marker, () => resolve(true)));
      const bound = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), CATCH_UP_BOUND_MS).unref());
      try {
        await sender.query('SELECT pg_notify($1, $2)', [RELAY_CHANNEL, JSON.stringify({ o: processId, r: roomId, c: marker } satisfies RelayWire)]);
        if (!(await Promise.race([seen, bound]))) log.warn({ roomId }, 'event relay catch-up marker did not come back in time');
      } catch (err) {
        log.warn({ err, roomId }, 'event relay could not send a catch-up marker');
      } finally {
        markers.delete(marker);
      }
    },
    subscribe: (roomId, listen) => local.subscribe(roomId, listen),
    subscriberCount: (roomId) => local.subscriberCount(roomId),
    subscribeAll: (listen) => local.subscribeAll(listen),
    async close() {
      if (closed) return;
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      await ready;
      const client = listener;
      listener = null;
      // Pending notifications are sent before the pool ends (an ending pool drops its queue).
      await drained();
      await Promise.all([client?.end().catch(() => undefined), sender.end().catch(() => undefined)]);
      await Promise.allSettled([...chains.values()]);
    },
  };
}
