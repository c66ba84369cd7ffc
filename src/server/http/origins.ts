import { networkInterfaces } from 'node:os';

/** api.md §2.9: origins compared in normal form — lowercase scheme and host, default port dropped, no path. */
export function normalizeOrigin(value: string): string | null {
  try {
    const url = new URL(value.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return `${url.protocol}//${url.host}`.toLowerCase();
  } catch {
    return null;
  }
}

export function buildAllowedOrigins({
  frontendUrl,
  vercelUrl,
  allowLan,
  interfaces = networkInterfaces,
}: {
  frontendUrl: string | undefined;
  vercelUrl: string | undefined;
  allowLan: boolean;
  interfaces?: typeof networkInterfaces;
}): Set<string> {
  const candidates = [
    'http://localhost:5173',
    'http://localhost:5174',
    'http://127.0.0.1:5173',
    'http://127.0.0.1:5174',
    ...(frontendUrl ? frontendUrl.split(',') : []),
    ...(vercelUrl ? [`https://${vercelUrl.trim().replace(/^https?:\/\//, '')}`] : []),
  ];
  if (allowLan) {
    for (const entries of Object.values(interfaces())) {
      for (const entry of entries ?? []) {
        if (entry.family === 'IPv4' && !entry.internal) {
          candidates.push(`http://${entry.address}:5173`, `http://${entry.address}:5174`);
        }
      }
    }
  }
  const allowed = new Set<string>();
  for (const candidate of candidates) {
    const normal = normalizeOrigin(candidate);
    if (normal) allowed.add(normal);
  }
  return allowed;
}
