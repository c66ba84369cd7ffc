import { useState, type CSSProperties } from 'react';
import { useAvatarVersion } from './avatar-version';

/** FNV-1a over the UTF-16 units of the name, mod 12 hues 30° apart (ui.md §6 agent colours). */
export function agentHue(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i += 1) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return (hash % 12) * 30;
}

function firstGrapheme(name: string): string {
  const Segmenter = (Intl as { Segmenter?: typeof Intl.Segmenter }).Segmenter;
  if (Segmenter) {
    for (const { segment } of new Segmenter(undefined, { granularity: 'grapheme' }).segment(name.trim())) return segment.toUpperCase();
  }
  return Array.from(name.trim())[0]?.toUpperCase() ?? '?';
}

/**
 * A round agent avatar (ui.md §3.1, §6): the profile picture at twice the drawn size, versioned so a changed picture
 * reloads everywhere; the first grapheme on the agent's hue when there is no picture or it fails to load.
 * Decorative: the name is always next to it. `compactSize` applies under the compact density; `src` overrides the
 * picture (an upload preview).
 */
export function AgentAvatar({
  name,
  picture,
  size,
  compactSize = size,
  src,
  className = '',
}: {
  name: string;
  picture: string | null | undefined;
  size: number;
  compactSize?: number;
  src?: string | undefined;
  className?: string;
}) {
  const version = useAvatarVersion(name);
  const [failed, setFailed] = useState<string | null>(null);
  const url =
    src ??
    (picture
      ? `/api/agents/${encodeURIComponent(name)}/profile-pic?size=${Math.min(1024, size * 2)}&v=${encodeURIComponent(`${picture}.${version}`)}`
      : undefined);
  const hue = agentHue(name);
  const box = { '--avatar': `${size}px`, '--avatar-compact': `${compactSize}px` } as CSSProperties;
  const sizing = `size-(--avatar) compact:size-(--avatar-compact) shrink-0 rounded-full ${className}`;
  if (url && failed !== url) {
    return (
      <img
        src={url}
        alt=""
        aria-hidden="true"
        width={size}
        height={size}
        loading="lazy"
        onError={() => setFailed(url)}
        style={{ ...box, boxShadow: `0 0 0 2px oklch(0.7 0.12 ${hue})` }}
        className={`agent-avatar bg-surface-2 object-cover ${sizing}`}
      />
    );
  }
  return (
    <span
      aria-hidden="true"
      data-testid="avatar-initial"
      style={{ ...box, background: `oklch(0.52 0.13 ${hue})`, fontSize: Math.max(9, Math.round(size * 0.42)) }}
      className={`agent-avatar inline-flex select-none items-center justify-center font-semibold text-white ${sizing}`}
    >
      {firstGrapheme(name)}
    </span>
  );
}
