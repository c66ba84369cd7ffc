/** Pointer kind (ui.md §4.4.5): a coarse primary pointer (touch) changes the default send key and focus habits. */
export function hasFinePointer(): boolean {
  return typeof window.matchMedia === 'function' ? window.matchMedia('(pointer: fine)').matches : true;
}
