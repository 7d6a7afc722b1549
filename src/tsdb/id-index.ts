/**
 * Series ids by their UTF-8 bytes: a lookup straight from a request body's bytes, without
 * decoding a string or hashing one in a `Map` (an ingest of a million samples a second cannot
 * afford either per sample). Ids get small dense slots, reused after a delete.
 */
export class IdIndex {
  private bytes = new Uint8Array(4096);
  private used = 0;
  private starts = new Int32Array(64);
  private lengths = new Int32Array(64);
  private hashes = new Int32Array(64);
  private readonly ids: (string | undefined)[] = [];
  private readonly freeSlots: number[] = [];
  private readonly bySlotOf = new Map<string, number>();
  /** Open addressing: slot + 1, 0 when empty; the size is a power of two at least twice the ids. */
  private table = new Int32Array(128);
  private mask = 127;

  /** FNV-1a over `bytes[start, end)`, as {@link find} wants it. */
  static hash(bytes: Uint8Array, start: number, end: number): number {
    let h = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
    return h;
  }

  /** The slot of `id`, added when missing. */
  add(id: string): number {
    const known = this.bySlotOf.get(id);
    if (known !== undefined) return known;
    const encoded = Buffer.from(id, "utf8");
    const slot = this.freeSlots.pop() ?? this.ids.length;
    if (slot >= this.starts.length) this.growSlots(slot + 1);
    this.ensureBytes(encoded.length);
    this.bytes.set(encoded, this.used);
    this.starts[slot] = this.used;
    this.lengths[slot] = encoded.length;
    this.hashes[slot] = IdIndex.hash(encoded, 0, encoded.length);
    this.used += encoded.length;
    this.ids[slot] = id;
    this.bySlotOf.set(id, slot);
    if (this.bySlotOf.size * 2 > this.table.length) this.rehash(this.table.length * 2);
    else this.place(slot);
    return slot;
  }

  /** Forgets `id`; its slot may be handed to the next id added. */
  delete(id: string): boolean {
    const slot = this.bySlotOf.get(id);
    if (slot === undefined) return false;
    this.bySlotOf.delete(id);
    this.ids[slot] = undefined;
    this.freeSlots.push(slot);
    // Deletes are rare (a spec removed): rebuild the table, compacting the bytes once half are dead.
    if (this.used > 4096 && this.liveBytes() * 2 < this.used) this.compactBytes();
    this.rehash(this.table.length);
    return true;
  }

  slotOf(id: string): number | undefined {
    return this.bySlotOf.get(id);
  }

  idAt(slot: number): string | undefined {
    return this.ids[slot];
  }

  /** The slot whose id is `bytes[start, end)` (its {@link IdIndex.hash} is `hash`), or -1. */
  find(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const length = end - start;
    const { table, mask, hashes, lengths, starts, bytes: stored } = this;
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const entry = table[at]!;
      if (entry === 0) return -1;
      const slot = entry - 1;
      if (hashes[slot] !== hash || lengths[slot] !== length) continue;
      const delta = starts[slot]! - start;
      let i = start;
      while (i < end && stored[i + delta] === bytes[i]) i++;
      if (i === end) return slot;
    }
  }

  private place(slot: number): void {
    let at = this.hashes[slot]! & this.mask;
    while (this.table[at] !== 0) at = (at + 1) & this.mask;
    this.table[at] = slot + 1;
  }

  private rehash(size: number): void {
    this.table = new Int32Array(size);
    this.mask = size - 1;
    for (const slot of this.bySlotOf.values()) this.place(slot);
  }

  private growSlots(needed: number): void {
    const size = Math.max(needed, this.starts.length * 2);
    const grow = (a: Int32Array) => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.starts = grow(this.starts);
    this.lengths = grow(this.lengths);
    this.hashes = grow(this.hashes);
  }

  private ensureBytes(extra: number): void {
    if (this.used + extra <= this.bytes.length) return;
    const b = new Uint8Array(Math.max(this.used + extra, this.bytes.length * 2));
    b.set(this.bytes.subarray(0, this.used));
    this.bytes = b;
  }

  private liveBytes(): number {
    let n = 0;
    for (const slot of this.bySlotOf.values()) n += this.lengths[slot]!;
    return n;
  }

  private compactBytes(): void {
    const b = new Uint8Array(Math.max(4096, this.bytes.length));
    let used = 0;
    for (const slot of this.bySlotOf.values()) {
      const from = this.starts[slot]!;
      const length = this.lengths[slot]!;
      b.set(this.bytes.subarray(from, from + length), used);
      this.starts[slot] = used;
      used += length;
    }
    this.bytes = b;
    this.used = used;
  }
}
