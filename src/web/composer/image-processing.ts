import type { ComposerImage } from '../send/send-validation';
import { IMAGE_QUALITY, isAcceptedImageType, needsDownscale, scaledSize } from './image-rules';
import type { DownscaleRequest, DownscaleResponse } from './image-worker';

/** Turns an accepted image file into the send payload (ui.md §4.4.6): as it is, or scaled down first. */
export type ProcessImage = (file: File) => Promise<ComposerImage>;

/** Base64 without the data-URL prefix (api.md §8.3); the browser's own encoder where there is one. */
export async function blobToBase64(blob: Blob): Promise<string> {
  if (typeof FileReader === 'function') {
    const url = await new Promise<string>((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.onerror = () => reject(reader.error ?? new Error('could not read the image'));
      reader.readAsDataURL(blob);
    });
    return url.slice(url.indexOf(',') + 1);
  }
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

function canUseWorker(): boolean {
  return typeof Worker === 'function' && typeof OffscreenCanvas === 'function' && typeof createImageBitmap === 'function';
}

function prepareInWorker(file: Blob): Promise<Blob> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./image-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<DownscaleResponse>) => {
      worker.terminate();
      if (event.data.ok) resolve(event.data.blob);
      else reject(new Error(event.data.message));
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(event.message || 'image worker failed'));
    };
    worker.postMessage({ file } satisfies DownscaleRequest);
  });
}

/** The same work on the page, for browsers that cannot draw in a worker. */
async function prepareOnPage(file: Blob): Promise<Blob> {
  const bitmap = await createImageBitmap(file);
  try {
    if (!needsDownscale(file, bitmap.width, bitmap.height)) return file;
    const size = scaledSize(bitmap.width, bitmap.height);
    const canvas = document.createElement('canvas');
    canvas.width = size.width;
    canvas.height = size.height;
    const context = canvas.getContext('2d');
    if (context === null) throw new Error('no 2d context');
    context.drawImage(bitmap, 0, 0, size.width, size.height);
    const encode = (type: string) => new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, type, IMAGE_QUALITY));
    const webp = await encode('image/webp');
    if (webp !== null && webp.type === 'image/webp') return webp;
    const jpeg = await encode('image/jpeg');
    if (jpeg === null) throw new Error('could not encode the image');
    return jpeg;
  } finally {
    bitmap.close();
  }
}

export const processImage: ProcessImage = async (file) => {
  // A GIF is sent as it is (animation kept); decoding it would only prove it is an image, which the server checks.
  const blob = file.type === 'image/gif' ? file : canUseWorker() ? await prepareInWorker(file) : await prepareOnPage(file);
  const mediaType = isAcceptedImageType(blob.type) ? blob.type : 'image/jpeg';
  return { data: await blobToBase64(blob), mediaType };
};
