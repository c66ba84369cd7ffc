import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearToasts, toast, ToastRegion } from '../../src/web/components/toast';

/** Toasts (ui.md §4.13): polite region, alert for errors, at most 3, 5 s / 8 s, pause on hover or focus, actions. */

afterEach(() => {
  act(() => clearToasts());
});

describe('toasts', () => {
  it('shows a status in a polite region and an error as an alert', () => {
    render(<ToastRegion />);
    act(() => {
      toast('Saved', { tone: 'success' });
      toast('Failed to save', { tone: 'error' });
    });
    const region = screen.getByRole('region', { name: 'Notifications' });
    expect(region.getAttribute('aria-live')).toBe('polite');
    expect(within(region).getByRole('status').textContent).toContain('Saved');
    expect(within(region).getByRole('alert').textContent).toContain('Failed to save');
  });

  it('keeps at most 3, the oldest leaving first', () => {
    render(<ToastRegion />);
    act(() => {
      for (const text of ['one', 'two', 'three', 'four']) toast(text);
    });
    expect(screen.queryByText('one')).toBeNull();
    expect(screen.getByText('four')).toBeDefined();
    expect(screen.getAllByRole('status')).toHaveLength(3);
  });

  it('leaves after 5 s, or 8 s for errors', () => {
    vi.useFakeTimers();
    render(<ToastRegion />);
    act(() => {
      toast('info');
      toast('bad', { tone: 'error' });
    });
    act(() => vi.advanceTimersByTime(5_001));
    expect(screen.queryByText('info')).toBeNull();
    expect(screen.getByText('bad')).toBeDefined();
    act(() => vi.advanceTimersByTime(3_000));
    expect(screen.queryByText('bad')).toBeNull();
  });

  it('pauses while hovered or focused and resumes after', () => {
    vi.useFakeTimers();
    render(<ToastRegion />);
    act(() => {
      toast('hold me', { durationMs: 1_000 });
    });
    const item = screen.getByRole('status');
    fireEvent.pointerEnter(item);
    act(() => vi.advanceTimersByTime(5_000));
    expect(screen.getByText('hold me')).toBeDefined();
    fireEvent.pointerLeave(item);
    act(() => vi.advanceTimersByTime(1_001));
    expect(screen.queryByText('hold me')).toBeNull();

    act(() => {
      toast('focus me', { durationMs: 1_000 });
    });
    fireEvent.focus(within(screen.getByRole('status')).getByRole('button', { name: 'Dismiss' }));
    act(() => vi.advanceTimersByTime(5_000));
    expect(screen.getByText('focus me')).toBeDefined();
  });

  it('runs its action once and closes; the dismiss button closes it', () => {
    render(<ToastRegion />);
    const undo = vi.fn();
    act(() => {
      toast('Message deleted', { action: { label: 'Undo', onClick: undo } });
    });
    fireEvent.click(screen.getByRole('button', { name: 'Undo' }));
    expect(undo).toHaveBeenCalledTimes(1);
    expect(screen.queryByText('Message deleted')).toBeNull();

    act(() => {
      toast('Another');
    });
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByText('Another')).toBeNull();
  });
});
