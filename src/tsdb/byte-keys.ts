/** FNV-1a over `bytes[start, end)`: the hash {@link ByteKeys} files its keys under. */
export function fnv1a(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h;
}

/**
 * Non-empty byte-string keys by small integer slot, found straight from other bytes (a request
 * body) without making a string or hashing one in a `Map`. Open addressing over a table at least
 * twice the keys; the keys' bytes sit in one buffer, compacted once half of it belongs to removed keys.
 */
export class ByteKeys {
  private bytes = new Uint8Array(4096);
  private used = 0;
  private starts = new Int32Array(64);
  /** −1: the slot holds no key. */
  private lengths = new Int32Array(64).fill(-1);
  private hashes = new Int32Array(64);
  /** Slots below this one may hold keys. */
  private slotEnd = 0;
  private count = 0;
  /** Slot + 1; 0 when empty. */
  private table = new Int32Array(128);
  private mask = 127;

  /** The slot whose key is `bytes[start, end)` ({@link fnv1a} `hash`), or −1. */
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

  /** Files the key `bytes[start, end)` under `slot`, which holds none. */
  set(slot: number, bytes: Uint8Array, start: number, end: number, hash = fnv1a(bytes, start, end)): void {
    const length = end - start;
    if (slot >= this.starts.length) this.growSlots(slot + 1);
    if (this.used + length > this.bytes.length) {
      const b = new Uint8Array(Math.max(this.used + length, this.bytes.length * 2));
      b.set(this.bytes.subarray(0, this.used));
      this.bytes = b;
    }
    this.bytes.set(bytes.subarray(start, end), this.used);
    this.starts[slot] = this.used;
    this.lengths[slot] = length;
    this.hashes[slot] = hash;
    this.used += length;
    this.count++;
    if (slot >= this.slotEnd) this.slotEnd = slot + 1;
    if (this.count * 2 > this.table.length) this.rehash(this.table.length * 2);
    else this.place(slot);
  }

  /** Removes `slot`'s key (rare: the table is rebuilt). */
  remove(slot: number): void {
    if (this.lengths[slot]! < 0) return;
    this.lengths[slot] = -1;
    this.count--;
    if (this.used > 4096 && this.liveBytes() * 2 < this.used) this.compactBytes();
    this.rehash(this.table.length);
  }

  private place(slot: number): void {
    let at = this.hashes[slot]! & this.mask;
    while (this.table[at] !== 0) at = (at + 1) & this.mask;
    this.table[at] = slot + 1;
  }

  private rehash(size: number): void {
    this.table = new Int32Array(size);
    this.mask = size - 1;
    for (let slot = 0; slot < this.slotEnd; slot++) if (this.lengths[slot]! >= 0) this.place(slot);
  }

  private growSlots(needed: number): void {
    const size = Math.max(needed, this.starts.length * 2);
    const grow = (a: Int32Array, fill: number) => {
      const b = new Int32Array(size).fill(fill);
      b.set(a);
      return b;
    };
    this.starts = grow(this.starts, 0);
    this.lengths = grow(this.lengths, -1);
    this.hashes = grow(this.hashes, 0);
  }

  private liveBytes(): number {
    let n = 0;
    for (let slot = 0; slot < this.slotEnd; slot++) n += Math.max(0, this.lengths[slot]!);
    return n;
  }

  private compactBytes(): void {
    const b = new Uint8Array(Math.max(4096, this.bytes.length));
    let used = 0;
    for (let slot = 0; slot < this.slotEnd; slot++) {
      const length = this.lengths[slot]!;
      if (length < 0) continue;
      const from = this.starts[slot]!;
      b.set(this.bytes.subarray(from, from + length), used);
      this.starts[slot] = used;
      used += length;
    }
    this.bytes = b;
    this.used = used;
  }
}
