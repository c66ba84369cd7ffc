/**
 * Profile pictures chosen in the browser (ui.md §4.7): PNG, JPEG, WebP or GIF up to 5 MB, scaled to fit 512 px
 * and sent as a WebP data URL. Where the browser cannot re-encode, the original file is sent as it is.
 */

export const PICTURE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
export const MAX_PICTURE_BYTES = 5 * 1024 * 1024;
const TARGET = 512;

export type PictureProblem = 'type' | 'size' | 'unreadable';

export function pictureProblem(file: File): PictureProblem | null {
  if (!(PICTURE_TYPES as readonly string[]).includes(file.type)) return 'type';
  if (file.size > MAX_PICTURE_BYTES) return 'size';
  return null;
}

function readAsDataUrl(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => (typeof reader.result === 'string' ? resolve(reader.result) : reject(new Error('unreadable')));
    reader.onerror = () => reject(reader.error ?? new Error('unreadable'));
    reader.readAsDataURL(file);
  });
}

async function reencode(file: File): Promise<string | null> {
  if (typeof createImageBitmap !== 'function' || typeof document === 'undefined') return null;
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, TARGET / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    const context = canvas.getContext('2d');
    if (!context) return null;
    context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const url = canvas.toDataURL('image/webp', 0.9);
    return url.startsWith('data:image/webp') ? url : null;
  } catch {
    return null;
  }
}

/** The data URL to send for `file`: a ≤ 512 px WebP when the browser can make one, else the file itself. */
export async function pictureDataUrl(file: File): Promise<string> {
  return (await reencode(file)) ?? (await readAsDataUrl(file));
}
