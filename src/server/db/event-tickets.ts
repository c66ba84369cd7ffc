import { eq, lte } from 'drizzle-orm';
import type { Db } from './connect.js';
import { eventTickets } from './schema.js';

export type EventTicketRow = typeof eventTickets.$inferSelect;

/** One-use event-stream tickets (api.md §9.2). Only hashes are stored; the caller hashes the presented ticket. */
export function createEventTicketQueries(db: Db) {
  return {
    async insertTicket(ticket: EventTicketRow, tx: Db = db): Promise<void> {
      await tx.insert(eventTickets).values(ticket);
    },

    /**
     * Removes and returns the ticket in one statement, so two connections racing with the same ticket cannot
     * both get it. Expiry and room are checked by the caller: a presented ticket is spent whatever the outcome.
     */
    async redeemTicket(ticketHash: string, tx: Db = db): Promise<EventTicketRow | null> {
      const rows = await tx.delete(eventTickets).where(eq(eventTickets.ticketHash, ticketHash)).returning();
      return rows[0] ?? null;
    },

    /** True when expired tickets were removed (housekeeping on issue, so unused tickets do not pile up). */
    async deleteExpiredTickets(now: Date, tx: Db = db): Promise<boolean> {
      const rows = await tx.delete(eventTickets).where(lte(eventTickets.expiresAt, now)).returning({ hash: eventTickets.ticketHash });
      return rows.length > 0;
    },
  };
}

export type EventTicketQueries = ReturnType<typeof createEventTicketQueries>;
