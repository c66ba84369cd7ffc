import type { Logger } from 'pino';
import type { MESSAGE_IMAGE_MEDIA_TYPES } from '../../shared/requests.js';
import { bytesMatchType, decodeBase64Image } from '../images/image-bytes.js';

/** api.md §8.3: message images — base64 (either alphabet), size-capped, type-checked, re-encoded to WebP. */

export type MessageImageType = (typeof MESSAGE_IMAGE_MEDIA_TYPES)[number];

export type DecodedImage = { ok: true; bytes: Buffer; mediaType: MessageImageType } | { ok: false; reason: string };

export function splitDataUrl(value: string): { data: string; mediaType: string | null } {
  const match = /^data:([^;,]+)(?:;[^,]*)?;base64,/i.exec(value);
  if (!match) return { data: value, mediaType: null };
  return { data: value.slice(match[0].length), mediaType: match[1]?.toLowerCase() ?? null };
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
  const decoded = decodeBase64Image(data, maxBytes);
  if (!decoded.ok) return { ok: false, reason: `${decoded.message[0]?.toUpperCase()}${decoded.message.slice(1)}` };
  if (!bytesMatchType(decoded.bytes, mediaType)) return { ok: false, reason: `Image data is not a valid ${mediaType} image` };
  return { ok: true, bytes: decoded.bytes, mediaType };
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
