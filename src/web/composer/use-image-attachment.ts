import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import type { ComposerImage } from '../send/send-validation';
import { processImage, type ProcessImage } from './image-processing';
import { imageProblem, type ImageProblem } from './image-rules';

/**
 * The composer's one image (ui.md §4.4.6): checked for type and size, processed (scaled down when needed) before it
 * can be sent, shown as a preview; a new image replaces the old one with an Undo; problems are reported inline.
 */

/** The image encoder; tests provide a stub, the app uses the browser's codecs. */
export const ImageProcessorContext = createContext<ProcessImage>(processImage);

export interface AttachedImage {
  id: number;
  name: string;
  previewUrl: string;
  /** Null while processing. */
  payload: ComposerImage | null;
}

export type ImageNotice = { kind: ImageProblem | 'failed'; name: string };

export const REPLACED_NOTE_MS = 8_000;

function previewOf(file: File): string {
  return typeof URL.createObjectURL === 'function' ? URL.createObjectURL(file) : '';
}

function release(image: AttachedImage | null): void {
  if (image !== null && image.previewUrl.startsWith('blob:')) URL.revokeObjectURL(image.previewUrl);
}

export function useImageAttachment() {
  const process = useContext(ImageProcessorContext);
  const [image, setImage] = useState<AttachedImage | null>(null);
  const [replaced, setReplaced] = useState<AttachedImage | null>(null);
  const [notice, setNotice] = useState<ImageNotice | null>(null);
  const nextId = useRef(1);
  const current = useRef({ image, replaced });
  current.current = { image, replaced };

  const dropReplaced = useCallback(() => {
    setReplaced((old) => {
      release(old);
      return null;
    });
  }, []);

  const attach = useCallback(
    (file: File) => {
      const problem = imageProblem(file);
      if (problem !== null) {
        setNotice({ kind: problem, name: file.name });
        return;
      }
      setNotice(null);
      const id = nextId.current++;
      const previous = current.current.image;
      if (previous !== null) {
        release(current.current.replaced);
        setReplaced(previous);
      }
      setImage({ id, name: file.name, previewUrl: previewOf(file), payload: null });
      process(file).then(
        (payload) => setImage((now) => (now?.id === id ? { ...now, payload } : now)),
        () => {
          setImage((now) => {
            if (now?.id !== id) return now;
            release(now);
            return null;
          });
          setNotice({ kind: 'failed', name: file.name });
        },
      );
    },
    [process],
  );

  const remove = useCallback(() => {
    setImage((now) => {
      release(now);
      return null;
    });
    dropReplaced();
  }, [dropReplaced]);

  /** Brings back the image that the last attach replaced. */
  const undoReplace = useCallback(() => {
    const { image: now, replaced: old } = current.current;
    if (old === null) return;
    release(now);
    setImage(old);
    setReplaced(null);
  }, []);

  /** After a send: the image went with the message. */
  const clear = useCallback(() => {
    setImage(null);
    dropReplaced();
    setNotice(null);
  }, [dropReplaced]);

  /** Edit on a failed send puts its image back. */
  const restore = useCallback((payload: ComposerImage, name: string) => {
    setImage((now) => {
      release(now);
      return { id: nextId.current++, name, previewUrl: `data:${payload.mediaType};base64,${payload.data}`, payload };
    });
  }, []);

  useEffect(() => {
    if (replaced === null) return;
    const timer = setTimeout(dropReplaced, REPLACED_NOTE_MS);
    return () => clearTimeout(timer);
  }, [replaced, dropReplaced]);

  useEffect(
    () => () => {
      release(current.current.image);
      release(current.current.replaced);
    },
    [],
  );

  return { image, replaced, notice, attach, remove, undoReplace, clear, restore, dismissNotice: () => setNotice(null) };
}
