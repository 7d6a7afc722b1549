/** A label set decoded once and shared by every request that sends the same label bytes. */
export interface InternedLabels {
  readonly labels: Readonly<Record<string, string>>;
  /**
   * What a consumer of decoded requests derived from these labels, kept with them (the ingest's
   * routes and counter reading): found again without a lookup of its own. The decoder never reads it.
   */
  derived: unknown;
}

/** FNV-1a over `bytes[start, end)`. */
export function fnv1a(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h;
}

/**
 * Interned label sets by the raw bytes of their label fields, found straight from a request body:
 * no string is made and hashed per series. Open addressing over a table at least twice the entries;
 * the bytes of every key are copied into one growing buffer.
 */
export class LabelInterner {
  private bytes = new Uint8Array(16 * 1024);
  private used = 0;
  private starts = new Int32Array(256);
  private lengths = new Int32Array(256);
  private hashes = new Int32Array(256);
  private readonly entries: InternedLabels[] = [];
  /** Entry index + 1; 0 when empty. */
  private table = new Int32Array(512);
  private mask = 511;

  get size(): number {
    return this.entries.length;
  }

  /** The entry whose key is `bytes[start, end)` ({@link fnv1a} `hash`), if any. */
  find(bytes: Uint8Array, start: number, end: number, hash: number): InternedLabels | undefined {
    const length = end - start;
    const { table, mask, hashes, lengths, starts, bytes: stored } = this;
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const slot = table[at]! - 1;
      if (slot < 0) return undefined;
      if (hashes[slot] !== hash || lengths[slot] !== length) continue;
      const delta = starts[slot]! - start;
      let i = start;
      while (i < end && stored[i + delta] === bytes[i]) i++;
      if (i === end) return this.entries[slot];
    }
  }

  /** Adds `entry` under the key `bytes[start, end)`, which must not be there yet. */
  add(bytes: Uint8Array, start: number, end: number, hash: number, entry: InternedLabels): void {
    const slot = this.entries.length;
    const length = end - start;
    if (slot === this.starts.length) {
      this.starts = grown(this.starts);
      this.lengths = grown(this.lengths);
      this.hashes = grown(this.hashes);
    }
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
    this.entries.push(entry);
    if (this.entries.length * 2 > this.table.length) {
      this.table = new Int32Array(this.table.length * 2);
      this.mask = this.table.length - 1;
      for (let s = 0; s < this.entries.length; s++) this.place(s);
    } else this.place(slot);
  }

  private place(slot: number): void {
    let at = this.hashes[slot]! & this.mask;
    while (this.table[at] !== 0) at = (at + 1) & this.mask;
    this.table[at] = slot + 1;
  }
}

function grown(a: Int32Array): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
