import { useState } from 'react';
import type { Agent } from '../../shared/models';
import { profilePicUrl } from './agent-endpoints';

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
 * A round agent avatar: the profile picture when the agent has one, else the first grapheme on the agent's hue.
 * Decorative (the name is always next to it). `src` overrides the picture (an optimistic upload preview).
 */
export function AgentAvatar({
  agent,
  size,
  src,
  version,
}: {
  agent: Pick<Agent, 'name' | 'profile_pic'>;
  size: number;
  src?: string;
  version?: string;
}) {
  const [failed, setFailed] = useState<string | null>(null);
  const url = src ?? (agent.profile_pic ? profilePicUrl(agent, Math.min(1024, Math.max(16, size * 2)), version) : undefined);
  const hue = agentHue(agent.name);
  const style = { width: size, height: size, fontSize: Math.round(size * 0.42) };
  if (url && failed !== url) {
    return (
      <img
        src={url}
        alt=""
        width={size}
        height={size}
        loading="lazy"
        onError={() => setFailed(url)}
        style={{ ...style, boxShadow: `0 0 0 2px oklch(0.7 0.12 ${hue})` }}
        className="agent-avatar shrink-0 rounded-full object-cover"
      />
    );
  }
  return (
    <span
      aria-hidden="true"
      style={{ ...style, background: `oklch(0.52 0.13 ${hue})` }}
      className="agent-avatar inline-flex shrink-0 select-none items-center justify-center rounded-full font-semibold text-white"
    >
      {firstGrapheme(agent.name)}
    </span>
  );
}
