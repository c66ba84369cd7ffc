/** Picture upload rules (ui.md §4.7): PNG, JPEG, WebP or GIF up to 5 MB, scaled to 512 px and sent as WebP. */

export const PICTURE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
export const PICTURE_MAX_BYTES = 5 * 1024 * 1024;
export const PICTURE_SIZE = 512;

export type PictureProblem = 'type' | 'size';

export function checkPicture(file: { type: string; size: number }): PictureProblem | undefined {
  if (!(PICTURE_TYPES as readonly string[]).includes(file.type)) return 'type';
  if (file.size > PICTURE_MAX_BYTES) return 'size';
  return undefined;
}

function readAsDataUrl(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(blob);
  });
}

/**
 * The data URL to send: the picture scaled to fit 512 px as WebP when the browser can draw it; otherwise (no canvas,
 * an animated GIF the browser will not re-encode, an encoding failure) the original file.
 */
export async function pictureDataUrl(file: File): Promise<string> {
  try {
    if (typeof createImageBitmap !== 'function') throw new Error('no createImageBitmap');
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, PICTURE_SIZE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2d context');
    context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/webp', 0.9));
    if (!blob || blob.type !== 'image/webp') throw new Error('no webp encoder');
    return await readAsDataUrl(blob);
  } catch {
    return readAsDataUrl(file);
  }
}
