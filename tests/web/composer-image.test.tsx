import { QueryClientProvider } from '@tanstack/react-query';
import { act, fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Composer } from '../../src/web/composer/Composer';
import type { ProcessImage } from '../../src/web/composer/image-processing';
import { MAX_IMAGE_BYTES } from '../../src/web/composer/image-rules';
import { ImageProcessorContext } from '../../src/web/composer/use-image-attachment';
import { queryKeys } from '../../src/web/lib/query';
import { updateSettings } from '../../src/web/lib/settings';
import type { ComposerImage } from '../../src/web/send/send-validation';
import { testQueryClient } from './helpers';

/** The encoder is stubbed: each file resolves when the test says so, to "<name>-data" as WebP. */
function stubProcessor() {
  const waiting = new Map<string, (image: ComposerImage) => void>();
  const failing = new Map<string, (error: Error) => void>();
  const process: ProcessImage = (file) =>
    new Promise((resolve, reject) => {
      waiting.set(file.name, resolve);
      failing.set(file.name, reject);
    });
  const finish = async (name: string) => {
    await act(async () => waiting.get(name)?.({ data: `${name}-data`, mediaType: 'image/webp' }));
  };
  const fail = async (name: string) => {
    await act(async () => failing.get(name)?.(new Error('undecodable')));
  };
  return { process, finish, fail };
}

function renderComposer() {
  const queryClient = testQueryClient();
  queryClient.setQueryData(queryKeys.me, { role: 'admin', user_id: 'u1', expires_at: '2099-01-01T00:00:00Z' });
  const onSend = vi.fn();
  const processor = stubProcessor();
  render(
    <QueryClientProvider client={queryClient}>
      <ImageProcessorContext.Provider value={processor.process}>
        <Composer roomId={5} members={[]} onSend={onSend} onStop={vi.fn()} replying={false} />
      </ImageProcessorContext.Provider>
    </QueryClientProvider>,
  );
  const textarea = screen.getByRole('combobox', { name: 'Message' }) as HTMLTextAreaElement;
  const picker = document.querySelector('input[type=file]') as HTMLInputElement;
  return { onSend, textarea, picker, ...processor, user: userEvent.setup({ applyAccept: false }) };
}

function file(name: string, type: string, size?: number): File {
  const made = new File([new Uint8Array([1, 2, 3])], name, { type });
  if (size !== undefined) Object.defineProperty(made, 'size', { value: size });
  return made;
}

describe('composer: image', () => {
  beforeEach(() => updateSettings({ sendKey: 'enter' }));

  it('attaches an image from the picker, shows a preview and sends it with the text', async () => {
    const { user, picker, textarea, finish, onSend } = renderComposer();
    expect(picker.accept).toBe('image/png,image/jpeg,image/gif,image/webp');
    await user.upload(picker, file('cat.png', 'image/png'));
    expect(screen.getByRole('img', { name: 'Attached image cat.png' })).toBeTruthy();
    expect(screen.getByRole('status', { name: 'Preparing cat.png…' })).toBeTruthy();
    await finish('cat.png');
    expect(screen.queryByRole('status', { name: 'Preparing cat.png…' })).toBeNull();
    await user.type(textarea, 'look{Enter}');
    expect(onSend).toHaveBeenCalledWith({ content: 'look', participant_type: 'user', image_data: 'cat.png-data', image_media_type: 'image/webp' });
    expect(screen.queryByRole('img', { name: 'Attached image cat.png' })).toBeNull();
  });

  it('sends an image without text, but only once processing has finished', async () => {
    const { user, picker, finish, onSend } = renderComposer();
    await user.upload(picker, file('big.jpg', 'image/jpeg'));
    const send = screen.getByRole('button', { name: 'Send' });
    expect(send.getAttribute('aria-disabled')).toBe('false');
    await user.click(send);
    expect(onSend).not.toHaveBeenCalled();
    expect(send.getAttribute('aria-busy')).toBe('true');
    await finish('big.jpg');
    expect(onSend).toHaveBeenCalledWith({ content: '', participant_type: 'user', image_data: 'big.jpg-data', image_media_type: 'image/webp' });
  });

  it('rejects an unsupported type and a file over 10 MB inline, keeping the current image', async () => {
    const { user, picker, finish } = renderComposer();
    await user.upload(picker, file('ok.png', 'image/png'));
    await finish('ok.png');
    await user.upload(picker, file('photo.heic', 'image/heic'));
    expect(screen.getByRole('alert').textContent).toContain("photo.heic isn't a supported image type");
    await user.upload(picker, file('big.png', 'image/png', MAX_IMAGE_BYTES + 1));
    expect(screen.getByRole('alert').textContent).toContain('big.png is larger than 10 MB');
    expect(screen.getByRole('img', { name: 'Attached image ok.png' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('reports an image that cannot be read', async () => {
    const { user, picker, fail } = renderComposer();
    await user.upload(picker, file('broken.png', 'image/png'));
    await fail('broken.png');
    expect(screen.getByRole('alert').textContent).toContain("Couldn't read broken.png as an image");
    expect(screen.queryByRole('img', { name: 'Attached image broken.png' })).toBeNull();
  });

  it('replaces the image with a note and Undo, and removes it with ×', async () => {
    const { user, picker, finish } = renderComposer();
    await user.upload(picker, file('one.png', 'image/png'));
    await finish('one.png');
    await user.upload(picker, file('two.gif', 'image/gif'));
    expect(screen.getByRole('img', { name: 'Attached image two.gif' })).toBeTruthy();
    expect(screen.getByText('Replaced one.png')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Undo' }));
    expect(screen.getByRole('img', { name: 'Attached image one.png' })).toBeTruthy();
    expect(screen.queryByRole('img', { name: 'Attached image two.gif' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Remove image one.png' }));
    expect(screen.queryByRole('img')).toBeNull();
  });

  it('attaches a pasted image and leaves pasted text alone', async () => {
    const { textarea, user } = renderComposer();
    await user.click(textarea);
    await user.paste('plain words');
    expect(textarea.value).toBe('plain words');
    expect(screen.queryByRole('img')).toBeNull();
    fireEvent.paste(textarea, { clipboardData: { files: [file('shot.png', 'image/png')], getData: () => '' } });
    expect(screen.getByRole('img', { name: 'Attached image shot.png' })).toBeTruthy();
    expect(textarea.value).toBe('plain words');
  });

  it('attaches a file dropped anywhere on the page, under a drop overlay', () => {
    renderComposer();
    const dataTransfer = { types: ['Files'], files: [file('drop.webp', 'image/webp')], dropEffect: 'none' };
    fireEvent(window, Object.assign(new Event('dragenter', { bubbles: true }), { dataTransfer }));
    expect(screen.getByText('Drop an image to attach')).toBeTruthy();
    fireEvent(window, Object.assign(new Event('drop', { bubbles: true, cancelable: true }), { dataTransfer }));
    expect(screen.queryByText('Drop an image to attach')).toBeNull();
    expect(screen.getByRole('img', { name: 'Attached image drop.webp' })).toBeTruthy();
  });
});
