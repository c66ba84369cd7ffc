import type { MessageImageMediaType } from '../send/send-request.js';

/**
 * What may be attached to a message and when it is scaled down first (ui.md §4.4.6, api.md §1.6, §8.3). Pure, so
 * the rules are tested without a browser's image codecs.
 */

export const ACCEPTED_IMAGE_TYPES: readonly MessageImageMediaType[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
/** The server's `MAX_IMAGE_BYTES` default: 10 MiB, shown to people as "10 MB". */
export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
/** Above this size a non-GIF image is re-encoded even when it is small enough in pixels. */
export const DOWNSCALE_ABOVE_BYTES = 2 * 1024 * 1024;
export const MAX_IMAGE_SIDE = 2048;
export const IMAGE_QUALITY = 0.9;

export interface ImageFileFacts {
  name: string;
  type: string;
  size: number;
}

export type ImageProblem = 'type' | 'size';

export function isAcceptedImageType(type: string): type is MessageImageMediaType {
  return (ACCEPTED_IMAGE_TYPES as readonly string[]).includes(type);
}

/** Why a file cannot be attached, or null when it can. */
export function imageProblem(file: ImageFileFacts): ImageProblem | null {
  if (!isAcceptedImageType(file.type)) return 'type';
  if (file.size > MAX_IMAGE_BYTES) return 'size';
  return null;
}

/** A GIF goes as it is (animation kept); anything else is re-encoded when too wide or too heavy. */
export function needsDownscale(file: Pick<ImageFileFacts, 'type' | 'size'>, width: number, height: number): boolean {
  if (file.type === 'image/gif') return false;
  return Math.max(width, height) > MAX_IMAGE_SIDE || file.size > DOWNSCALE_ABOVE_BYTES;
}

/** The size to draw at: the longer side at most 2048 px, the aspect ratio kept, never enlarged. */
export function scaledSize(width: number, height: number): { width: number; height: number } {
  const longer = Math.max(width, height);
  if (longer <= MAX_IMAGE_SIDE) return { width, height };
  const ratio = MAX_IMAGE_SIDE / longer;
  return { width: Math.max(1, Math.round(width * ratio)), height: Math.max(1, Math.round(height * ratio)) };
}

/** The first image among pasted or dropped files, if any; other files are left alone. */
export function firstImageFile<T extends { type: string }>(files: Iterable<T>): T | null {
  for (const file of files) if (file.type.startsWith('image/')) return file;
  return null;
}
