/**
 * Image uploads as data URLs (behavior.md §2.14 rule 5, api.md §1.6): declared type, decoded size and the bytes'
 * magic number must all agree, so a renamed executable never lands on disk as `profile.png`.
 */

export type ImageExtension = 'png' | 'jpg' | 'gif' | 'webp' | 'svg';

export interface ImageDataUrl {
  ok: true;
  ext: ImageExtension;
  mediaType: string;
  bytes: Buffer;
}

export type ImageDataUrlErrorReason =
  | 'not_data_url'
  | 'unsupported_type'
  | 'invalid_base64'
  | 'empty'
  | 'too_large'
  | 'content_mismatch';

export interface ImageDataUrlError {
  ok: false;
  reason: ImageDataUrlErrorReason;
  message: string;
}

const DATA_URL = /^data:image\/([a-z0-9.+-]+);base64,(.*)$/is;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

// A Map, not an object literal: a declared type such as "constructor" must not reach Object.prototype.
const DECLARED_TYPES = new Map<string, { ext: ImageExtension; mediaType: string }>([
  ['png', { ext: 'png', mediaType: 'image/png' }],
  ['jpeg', { ext: 'jpg', mediaType: 'image/jpeg' }],
  ['jpg', { ext: 'jpg', mediaType: 'image/jpeg' }],
  ['gif', { ext: 'gif', mediaType: 'image/gif' }],
  ['webp', { ext: 'webp', mediaType: 'image/webp' }],
  ['svg+xml', { ext: 'svg', mediaType: 'image/svg+xml' }],
  ['svg', { ext: 'svg', mediaType: 'image/svg+xml' }],
]);

const MATCHES_TYPE: Record<ImageExtension, (bytes: Buffer) => boolean> = {
  png: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  jpg: (b) => startsWith(b, [0xff, 0xd8, 0xff]),
  gif: (b) => b.subarray(0, 6).toString('latin1') === 'GIF87a' || b.subarray(0, 6).toString('latin1') === 'GIF89a',
  webp: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP',
  svg: (b) => b.toString('utf8').toLowerCase().includes('<svg'),
};

export function parseImageDataUrl(value: string, maxBytes: number): ImageDataUrl | ImageDataUrlError {
  const match = DATA_URL.exec(value);
  if (!match) return fail('not_data_url', 'not a data:image/…;base64 URL');
  const declared = DECLARED_TYPES.get((match[1] ?? '').toLowerCase());
  if (declared === undefined) return fail('unsupported_type', `image type ${match[1] ?? ''} is not supported`);
  // Some clients wrap base64 at 76 columns; whitespace carries no data.
  const payload = (match[2] ?? '').replace(/\s+/g, '');
  if (!BASE64.test(payload) || payload.length % 4 === 1) return fail('invalid_base64', 'image data is not valid base64');
  // Checked before decoding so an oversized upload is refused without allocating it.
  if (decodedLength(payload) > maxBytes) return fail('too_large', `image is larger than ${maxBytes} bytes`);
  const bytes = Buffer.from(payload, 'base64');
  if (bytes.length === 0) return fail('empty', 'image data is empty');
  if (!MATCHES_TYPE[declared.ext](bytes)) {
    return fail('content_mismatch', `image bytes do not match the declared type ${declared.mediaType}`);
  }
  return { ok: true, ext: declared.ext, mediaType: declared.mediaType, bytes };
}

function decodedLength(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.floor((base64.length * 3) / 4) - padding;
}

function startsWith(bytes: Buffer, prefix: number[]): boolean {
  return bytes.length >= prefix.length && prefix.every((byte, index) => bytes[index] === byte);
}

function fail(reason: ImageDataUrlErrorReason, message: string): ImageDataUrlError {
  return { ok: false, reason, message };
}
