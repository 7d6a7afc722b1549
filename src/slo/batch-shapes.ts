/**
 * The SLO ids of a batch in order of first appearance, each sample's index among them, what the
 * caller keeps per id, and the ids encoded for the log.
 */
export interface BatchShape<T> {
  readonly ids: readonly string[];
  readonly series: Uint32Array;
  readonly targets: readonly T[];
  readonly encodedIds: Uint8Array;
}

/** Shapes kept at most (the map is emptied when full). */
const MAX_SHAPES = 256;

/**
 * Shapes of recent batches by the id slots of their samples, in order: a scraper pushes the same
 * SLOs in the same order every interval, and such a batch takes the shape of the one before instead
 * of listing and encoding its ids again. A slot may name another SLO after the id index changes, so
 * the owner calls {@link clear} on every change.
 */
export class BatchShapes<T> {
  private readonly bySlots = new Map<number, { readonly slots: Int32Array; readonly shape: BatchShape<T> }>();

  get(slots: Int32Array): BatchShape<T> | undefined {
    const kept = this.bySlots.get(hashOf(slots));
    if (kept === undefined || kept.slots.length !== slots.length) return undefined;
    for (let i = 0; i < slots.length; i++) if (kept.slots[i] !== slots[i]) return undefined;
    return kept.shape;
  }

  /** Keeps `shape` for batches with these slots (copied: the caller's may be scratch memory). */
  set(slots: Int32Array, shape: BatchShape<T>): void {
    if (this.bySlots.size >= MAX_SHAPES) this.bySlots.clear();
    this.bySlots.set(hashOf(slots), { slots: slots.slice(), shape });
  }

  clear(): void {
    this.bySlots.clear();
  }
}

/** FNV-1a over the slots. */
function hashOf(slots: Int32Array): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < slots.length; i++) h = Math.imul(h ^ slots[i]!, 0x01000193);
  return h;
}
