import { useState } from 'react';
import { useAvatarVersion } from './avatar-version';

/**
 * An agent's picture (ui.md §3.1 "Avatar"): `/api/agents/{name}/profile-pic` at twice the shown size, versioned so a
 * new picture shows at once; the initial when there is no picture or it fails to load.
 */
export function AgentAvatar({ name, picture, size = 32, className = '' }: { name: string; picture?: string | null; size?: number; className?: string }) {
  const version = useAvatarVersion(name);
  const src = `/api/agents/${encodeURIComponent(name)}/profile-pic?size=${size * 2}&v=${encodeURIComponent(`${picture ?? ''}.${version}`)}`;
  const [failed, setFailed] = useState<string | undefined>();
  const initial = Array.from(name.trim())[0]?.toUpperCase() ?? '?';
  const style = { width: size, height: size, fontSize: Math.max(11, Math.round(size * 0.42)) };
  if (failed === src || !picture) {
    return (
      <span
        aria-hidden="true"
        style={style}
        className={`inline-flex shrink-0 select-none items-center justify-center rounded-full bg-accent-tint font-semibold text-accent ${className}`}
      >
        {initial}
      </span>
    );
  }
  return (
    <img
      src={src}
      alt=""
      width={size}
      height={size}
      loading="lazy"
      onError={() => setFailed(src)}
      style={style}
      className={`shrink-0 rounded-full bg-surface-2 object-cover ${className}`}
    />
  );
}
