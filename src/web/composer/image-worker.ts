import { IMAGE_QUALITY, scaledSize } from './image-rules';

/**
 * Scales an image down off the main thread (ui.md §4.4.6): `createImageBitmap` and `OffscreenCanvas`, WebP at 0.9,
 * or JPEG where the browser cannot encode WebP. A bundled file, as the CSP allows no inline or blob workers.
 */

export interface DownscaleRequest {
  file: Blob;
}

export type DownscaleResponse = { ok: true; blob: Blob } | { ok: false; message: string };

interface WorkerScope {
  onmessage: ((event: MessageEvent<DownscaleRequest>) => void) | null;
  postMessage(message: DownscaleResponse): void;
}

const scope = self as unknown as WorkerScope;

scope.onmessage = (event) => {
  void downscale(event.data.file).then(
    (blob) => scope.postMessage({ ok: true, blob }),
    (error: unknown) => scope.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) }),
  );
};

async function downscale(file: Blob): Promise<Blob> {
  const bitmap = await createImageBitmap(file);
  try {
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
