import type { Logger } from 'pino';

/** api.md §8.3: message images — base64 (either alphabet), size-capped, type-checked, re-encoded to WebP. */

export const MESSAGE_IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export type MessageImageType = (typeof MESSAGE_IMAGE_TYPES)[number];

export type DecodedImage = { ok: true; bytes: Buffer; mediaType: MessageImageType } | { ok: false; reason: string };

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

export function splitDataUrl(value: string): { data: string; mediaType: string | null } {
  const match = /^data:([^;,]+)(?:;[^,]*)?;base64,/i.exec(value);
  if (!match) return { data: value, mediaType: null };
  return { data: value.slice(match[0].length), mediaType: match[1]?.toLowerCase() ?? null };
}

export function sniffImageType(bytes: Buffer): MessageImageType | null {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    return 'image/png';
  }
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 6 && /^GIF8[79]a$/.test(bytes.subarray(0, 6).toString('latin1'))) return 'image/gif';
  if (bytes.length >= 12 && bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') {
    return 'image/webp';
  }
  return null;
}

export function decodeMessageImage({
  data,
  mediaType,
  maxBytes,
}: {
  data: string;
  mediaType: MessageImageType;
  maxBytes: number;
}): DecodedImage {
  const compact = data.replace(/\s+/g, '');
  if (!BASE64.test(compact)) return { ok: false, reason: 'Image data is not valid base64' };
  // Reject before decoding: base64 needs 4 characters per 3 bytes.
  if (Math.floor((compact.length * 3) / 4) - 2 > maxBytes) {
    return { ok: false, reason: `Image is larger than ${maxBytes} bytes` };
  }
  const bytes = Buffer.from(compact.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length === 0) return { ok: false, reason: 'Image data is empty' };
  if (bytes.length > maxBytes) return { ok: false, reason: `Image is larger than ${maxBytes} bytes` };
  if (sniffImageType(bytes) !== mediaType) return { ok: false, reason: `Image data is not a valid ${mediaType} image` };
  return { ok: true, bytes, mediaType };
}

/** Non-WebP images become WebP (animation kept); if sharp fails the original is kept (binding resolution 7). */
export async function reencodeToWebp({
  bytes,
  mediaType,
  quality,
  log,
}: {
  bytes: Buffer;
  mediaType: MessageImageType;
  quality: number;
  log: Logger;
}): Promise<{ bytes: Buffer; mediaType: string }> {
  if (mediaType === 'image/webp') return { bytes, mediaType };
  try {
    const { default: sharp } = await import('sharp');
    const webp = await sharp(bytes, { animated: mediaType === 'image/gif' }).webp({ quality }).toBuffer();
    return { bytes: webp, mediaType: 'image/webp' };
  } catch (err) {
    log.warn({ err, media_type: mediaType }, 'image re-encoding failed; storing the original');
    return { bytes, mediaType };
  }
}
