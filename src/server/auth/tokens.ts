import { randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';

/** HS256 access tokens (api.md §2.3). */

export type Role = 'admin' | 'guest';

export interface Identity {
  role: Role;
  userId: string;
  /** Expiry of the credential, epoch milliseconds. */
  expiresAt: number;
}

export interface TokenService {
  issue(role: Role): Promise<{ token: string; identity: Identity }>;
  verify(token: string): Promise<Identity | null>;
  ttlSeconds: number;
}

export function createTokenService({
  secret,
  ttlHours,
  now = Date.now,
  newGuestId = () => `guest-${randomBytes(6).toString('hex')}`,
}: {
  secret: string;
  ttlHours: number;
  now?: () => number;
  newGuestId?: () => string;
}): TokenService {
  const key = new TextEncoder().encode(secret);
  const ttlSeconds = ttlHours * 3600;
  // Tokens are immutable and never revoked (api.md §2.3), so a verified token stays valid until its `exp`;
  // remembering it spares polling clients an HMAC per request. Bounded: cleared when full.
  const verified = new Map<string, Identity>();
  const MAX_VERIFIED = 10_000;

  async function verifyUncached(token: string): Promise<Identity | null> {
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: ['HS256'],
        currentDate: new Date(now()),
      });
      if (payload.exp === undefined) return null;
      if (payload.type !== undefined && payload.type !== 'access_token') return null;
      const rawRole = payload.role;
      if (rawRole !== undefined && rawRole !== 'admin' && rawRole !== 'guest') return null;
      // Tokens without a role predate roles in the original API and were admin tokens.
      const role: Role = rawRole ?? 'admin';
      const userId =
        typeof payload.user_id === 'string'
          ? payload.user_id
          : typeof payload.sub === 'string'
            ? payload.sub
            : role;
      return { role, userId, expiresAt: payload.exp * 1000 };
    } catch {
      return null;
    }
  }

  return {
    ttlSeconds,
    async issue(role) {
      const userId = role === 'admin' ? 'admin' : newGuestId();
      const iat = Math.floor(now() / 1000);
      const exp = iat + ttlSeconds;
      const token = await new SignJWT({ user_id: userId, role, type: 'access_token' })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(userId)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .sign(key);
      return { token, identity: { role, userId, expiresAt: exp * 1000 } };
    },
    async verify(token) {
      const known = verified.get(token);
      if (known) {
        if (known.expiresAt > now()) return known;
        verified.delete(token);
        return null;
      }
      const identity = await verifyUncached(token);
      if (identity) {
        if (verified.size >= MAX_VERIFIED) verified.clear();
        verified.set(token, identity);
      }
      return identity;
    },
  };
}
