import { ByteKeys } from "./byte-keys.js";

/**
 * Series ids by their UTF-8 bytes: a lookup straight from a request body's bytes, without
 * decoding a string or hashing one in a `Map` (an ingest of a million samples a second cannot
 * afford either per sample). Ids get small dense slots, reused after a delete.
 */
export class IdIndex {
  private readonly keys = new ByteKeys();
  private readonly ids: (string | undefined)[] = [];
  private readonly freeSlots: number[] = [];
  private readonly bySlotOf = new Map<string, number>();

  /** The slot of `id`, added when missing. */
  add(id: string): number {
    const known = this.bySlotOf.get(id);
    if (known !== undefined) return known;
    const encoded = Buffer.from(id, "utf8");
    const slot = this.freeSlots.pop() ?? this.ids.length;
    this.keys.set(slot, encoded, 0, encoded.length);
    this.ids[slot] = id;
    this.bySlotOf.set(id, slot);
    return slot;
  }

  /** Forgets `id`; its slot may be handed to the next id added. */
  delete(id: string): boolean {
    const slot = this.bySlotOf.get(id);
    if (slot === undefined) return false;
    this.bySlotOf.delete(id);
    this.ids[slot] = undefined;
    this.freeSlots.push(slot);
    this.keys.remove(slot);
    return true;
  }

  slotOf(id: string): number | undefined {
    return this.bySlotOf.get(id);
  }

  idAt(slot: number): string | undefined {
    return this.ids[slot];
  }

  /** The slot whose id is `bytes[start, end)` (its `fnv1a` is `hash`), or -1. */
  find(bytes: Uint8Array, start: number, end: number, hash: number): number {
    return this.keys.find(bytes, start, end, hash);
  }
}
