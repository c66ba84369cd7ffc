import { describe, expect, it } from 'vitest';
import { automaticRetryDelayMs, classifySendFailure, sendFailureOf } from '../../../src/web/send/send-policy.js';

const failure = (status: number | null, retryAfterMs: number | null = null) => ({ ok: false as const, status, retryAfterMs });

describe('classifySendFailure', () => {
  it('treats a network error and a 5xx as transient with an unknown outcome', () => {
    expect(classifySendFailure(failure(null))).toEqual({ kind: 'transient', retryAfterMs: null, outcomeUnknown: true });
    expect(classifySendFailure(failure(502))).toEqual({ kind: 'transient', retryAfterMs: null, outcomeUnknown: true });
  });

  it('treats a 429 as transient but certainly not stored', () => {
    expect(classifySendFailure(failure(429, 4_000))).toEqual({ kind: 'transient', retryAfterMs: 4_000, outcomeUnknown: false });
  });

  it.each([413, 415, 422, 403, 400, 404])('fails a %s at once', (status) => {
    expect(classifySendFailure(failure(status)).kind).toBe('rejected');
  });

  it('holds a 401 for the next login', () => {
    expect(classifySendFailure(failure(401)).kind).toBe('unauthorized');
  });
});

describe('sendFailureOf', () => {
  it.each([
    [null, 'network'],
    [500, 'server'],
    [413, 'too_large'],
    [415, 'unsupported_media'],
    [422, 'invalid'],
    [403, 'forbidden'],
    [429, 'rate_limited'],
    [409, 'rejected'],
  ] as const)('names status %s as %s', (status, reason) => {
    expect(sendFailureOf(failure(status)).reason).toBe(reason);
  });

  it("keeps the server's detail", () => {
    expect(sendFailureOf({ ...failure(422), detail: 'too big' })).toEqual({ reason: 'invalid', status: 422, detail: 'too big' });
  });
});

describe('automaticRetryDelayMs', () => {
  it('retries after 2 s by default', () => {
    expect(automaticRetryDelayMs(null)).toBe(2_000);
  });

  it('waits for Retry-After when it is 10 s or less', () => {
    expect(automaticRetryDelayMs(10_000)).toBe(10_000);
  });

  it('does not retry by itself when Retry-After is longer', () => {
    expect(automaticRetryDelayMs(10_001)).toBeNull();
  });
});
