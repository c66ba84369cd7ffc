import { IMAGE_QUALITY, needsDownscale, scaledSize } from './image-rules';

/**
 * Prepares an image off the main thread (ui.md §4.4.6): decodes it with `createImageBitmap` and, when it is too large,
 * draws it at most 2048 px on an `OffscreenCanvas` and encodes WebP at 0.9, or JPEG where WebP encoding is missing.
 * A bundled file, as the CSP allows no inline or blob workers.
 */

export interface DownscaleRequest {
  file: Blob;
}

/** `blob` is the file itself when it needed no scaling. */
export type DownscaleResponse = { ok: true; blob: Blob } | { ok: false; message: string };

interface WorkerScope {
  onmessage: ((event: MessageEvent<DownscaleRequest>) => void) | null;
  postMessage(message: DownscaleResponse): void;
}

const scope = self as unknown as WorkerScope;

scope.onmessage = (event) => {
  void prepare(event.data.file).then(
    (blob) => scope.postMessage({ ok: true, blob }),
    (error: unknown) => scope.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) }),
  );
};

async function prepare(file: Blob): Promise<Blob> {
  const bitmap = await createImageBitmap(file);
  try {
    if (!needsDownscale(file, bitmap.width, bitmap.height)) return file;
    const size = scaledSize(bitmap.width, bitmap.height);
    const canvas = new OffscreenCanvas(size.width, size.height);
    const context = canvas.getContext('2d');
    if (context === null) throw new Error('no 2d context');
    context.drawImage(bitmap, 0, 0, size.width, size.height);
    const webp = await canvas.convertToBlob({ type: 'image/webp', quality: IMAGE_QUALITY });
    if (webp.type === 'image/webp') return webp;
    return await canvas.convertToBlob({ type: 'image/jpeg', quality: IMAGE_QUALITY });
  } finally {
    bitmap.close();
  }
}
