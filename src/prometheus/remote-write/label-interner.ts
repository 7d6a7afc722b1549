import { ByteKeys } from "../../tsdb/byte-keys.js";

/** A label set decoded once and shared by every request that sends the same label bytes. */
export interface InternedLabels {
  readonly labels: Readonly<Record<string, string>>;
  /**
   * What a consumer of decoded requests derived from these labels, kept with them (the ingest's
   * routes and counter reading): found again without a lookup of its own. The decoder never reads it.
   */
  derived: unknown;
}

/**
 * Interned label sets by the raw bytes of their label fields, found straight from a request body
 * ({@link ByteKeys}): no string is made and hashed per series.
 */
export class LabelInterner {
  private readonly keys = new ByteKeys();
  private readonly entries: InternedLabels[] = [];

  get size(): number {
    return this.entries.length;
  }

  /** The entry whose key is `bytes[start, end)` (its `fnv1a` is `hash`), if any. */
  find(bytes: Uint8Array, start: number, end: number, hash: number): InternedLabels | undefined {
    const slot = this.keys.find(bytes, start, end, hash);
    return slot < 0 ? undefined : this.entries[slot];
  }

  /** Adds `entry` under the key `bytes[start, end)`, which must not be there yet. */
  add(bytes: Uint8Array, start: number, end: number, hash: number, entry: InternedLabels): void {
    this.keys.set(this.entries.length, bytes, start, end, hash);
    this.entries.push(entry);
  }
}
