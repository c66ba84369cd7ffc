import { LoaderCircle } from 'lucide-react';

/** A decorative busy indicator; the surrounding control carries the accessible text. */
export function Spinner({ className = '' }: { className?: string }) {
  return <LoaderCircle aria-hidden="true" className={`size-4 animate-spin ${className}`} strokeWidth={1.75} />;
}
