/**
 * Image uploads as data URLs (behavior.md §2.14 rule 5, api.md §1.6): declared type, decoded size and the bytes'
 * magic number must all agree, so a renamed executable never lands on disk as `profile.png`.
 */

import { bytesMatchType, decodeBase64Image, type ImageMediaType } from '../images/image-bytes.js';

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

// A Map, not an object literal: a declared type such as "constructor" must not reach Object.prototype.
const DECLARED_TYPES = new Map<string, { ext: ImageExtension; mediaType: ImageMediaType }>([
  ['png', { ext: 'png', mediaType: 'image/png' }],
  ['jpeg', { ext: 'jpg', mediaType: 'image/jpeg' }],
  ['jpg', { ext: 'jpg', mediaType: 'image/jpeg' }],
  ['gif', { ext: 'gif', mediaType: 'image/gif' }],
  ['webp', { ext: 'webp', mediaType: 'image/webp' }],
  ['svg+xml', { ext: 'svg', mediaType: 'image/svg+xml' }],
  ['svg', { ext: 'svg', mediaType: 'image/svg+xml' }],
]);

export function parseImageDataUrl(value: string, maxBytes: number): ImageDataUrl | ImageDataUrlError {
  const match = DATA_URL.exec(value);
  if (!match) return fail('not_data_url', 'not a data:image/…;base64 URL');
  const declared = DECLARED_TYPES.get((match[1] ?? '').toLowerCase());
  if (declared === undefined) return fail('unsupported_type', `image type ${match[1] ?? ''} is not supported`);
  const decoded = decodeBase64Image(match[2] ?? '', maxBytes);
  if (!decoded.ok) return fail(decoded.reason, decoded.message);
  const { bytes } = decoded;
  if (!bytesMatchType(bytes, declared.mediaType)) {
    return fail('content_mismatch', `image bytes do not match the declared type ${declared.mediaType}`);
  }
  return { ok: true, ext: declared.ext, mediaType: declared.mediaType, bytes };
}

function fail(reason: ImageDataUrlErrorReason, message: string): ImageDataUrlError {
  return { ok: false, reason, message };
}
