/**
 * Base64 image payloads, shared by message images (api.md §8.3) and profile-picture uploads (§10.4): decoded
 * size is capped before decoding, and the bytes' magic number must match the declared type, so a renamed file
 * of another kind is never stored as an image.
 */

export type ImageMediaType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | 'image/svg+xml';

export type DecodeFailure = 'invalid_base64' | 'too_large' | 'empty';

export type DecodedPayload = { ok: true; bytes: Buffer } | { ok: false; reason: DecodeFailure; message: string };

// Standard or URL-safe alphabet, padding optional.
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function decodedLength(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.floor((base64.length * 3) / 4) - padding;
}

export function decodeBase64Image(payload: string, maxBytes: number): DecodedPayload {
  // Some clients wrap base64 at 76 columns; whitespace carries no data.
  const compact = payload.replace(/\s+/g, '');
  if (!BASE64.test(compact) || compact.length % 4 === 1) {
    return { ok: false, reason: 'invalid_base64', message: 'image data is not valid base64' };
  }
  if (decodedLength(compact) > maxBytes) {
    return { ok: false, reason: 'too_large', message: `image is larger than ${maxBytes} bytes` };
  }
  const bytes = Buffer.from(compact.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length === 0) return { ok: false, reason: 'empty', message: 'image data is empty' };
  return { ok: true, bytes };
}

const startsWith = (bytes: Buffer, prefix: number[]) =>
  bytes.length >= prefix.length && prefix.every((byte, index) => bytes[index] === byte);

const MATCHES: Record<ImageMediaType, (bytes: Buffer) => boolean> = {
  'image/png': (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/jpeg': (b) => startsWith(b, [0xff, 0xd8, 0xff]),
  'image/gif': (b) => /^GIF8[79]a$/.test(b.subarray(0, 6).toString('latin1')),
  'image/webp': (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  'image/svg+xml': (b) => b.toString('utf8').toLowerCase().includes('<svg'),
};

export function bytesMatchType(bytes: Buffer, mediaType: ImageMediaType): boolean {
  return MATCHES[mediaType](bytes);
}
