import type { IdIndex } from "../tsdb/id-index.js";

/** A push body read straight into columns: `slots[i]` is the sample's SLO in the {@link IdIndex}. */
export interface ScannedSamples {
  readonly length: number;
  readonly slots: Int32Array;
  readonly ts: Float64Array;
  readonly good: Float64Array;
  readonly total: Float64Array;
}

/** The largest batch the API takes (the schema's `maxItems`). */
const MAX_SAMPLES = 10_000;
/** The shortest sample the plain form allows, `{"slo":"a/b","ts":0,"bad":0,"total":0}`, bounds the count. */
const MIN_SAMPLE_BYTES = 38;
const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);

const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const BACKSLASH = 0x5c;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/** Keys of a plain sample, as bits of the set of keys seen. */
const SLO = 1;
const TS = 2;
const GOOD = 4;
const BAD = 8;
const TOTAL = 16;

/**
 * Reads the plain form of `POST /api/v1/sli/samples`, the form every scraper and SDK sends:
 * `{"samples":[{"slo":…,"ts":<Unix ms>,"good"|"bad":…,"total":…}, …]}` (optionally with
 * `"cumulative":false`), with known SLO ids written without escapes, integer timestamps and counts
 * as plain decimals (no sign, no exponent, at most 15 digits). Numbers come out exactly as
 * `JSON.parse` reads them (an exact integer over an exact power of ten is correctly rounded).
 *
 * Returns undefined for anything else, valid or not: the caller then parses the JSON in full and
 * reports every problem by sample index. So this reader only has to be right about what it accepts.
 * The columns are views of scratch memory, valid until the next call: copy what is kept.
 */
export function scanSamples(body: Uint8Array, ids: IdIndex): ScannedSamples | undefined {
  const capacity = Math.min(MAX_SAMPLES, Math.ceil(body.length / MIN_SAMPLE_BYTES));
  if (scratch.ts.length < capacity) scratch = columnsOf(Math.max(capacity, 2 * scratch.ts.length));
  const { slots, ts, good, total } = scratch;
  // The last byte (before trailing whitespace) must close the object: it then stops every loop
  // below but the one over an id's bytes, so no read goes past the body. An out-of-bounds read
  // would make the compiler treat every byte as possibly undefined, which costs a third of the speed.
  let last = body.length - 1;
  while (last >= 0 && isSpace(body[last]!)) last--;
  if (last < 0 || body[last] !== CLOSE_BRACE) return undefined;
  let n = -1;
  let p = space(body, 0);
  if (body[p] !== OPEN_BRACE) return undefined;
  let sawSamples = false;
  let sawCumulative = false;
  for (;;) {
    p = space(body, p + 1);
    if (body[p] !== QUOTE) return undefined;
    if (!sawCumulative && isKey(body, p + 1, 'cumulative"')) {
      p = space(body, p + 12);
      if (body[p] !== COLON) return undefined;
      p = space(body, p + 1);
      if (!isKey(body, p, "false")) return undefined;
      sawCumulative = true;
      p += 5;
    } else if (!sawSamples && isKey(body, p + 1, 'samples"')) {
      p = space(body, p + 9);
      if (body[p] !== COLON) return undefined;
      p = space(body, p + 1);
      if (body[p] !== OPEN_BRACKET) return undefined;
      sawSamples = true;
      for (;;) {
        p = space(body, p + 1);
        if (body[p] !== OPEN_BRACE) return undefined;
        if (++n === capacity) return undefined;
        const close = compactSample(body, p, last, ids, n, scratch);
        if (close >= 0) p = close;
        else {
          let seen = 0;
          for (;;) {
            p = space(body, p + 1);
            if (body[p] !== QUOTE) return undefined;
            const k = p + 1;
            const bit = keyAt(body, k);
            if (bit === 0 || (seen & bit) !== 0) return undefined;
            seen |= bit;
            p = space(body, k + KEY_BYTES[bit]!);
            if (body[p] !== COLON) return undefined;
            p = space(body, p + 1);
            if (bit === SLO) {
              if (body[p] !== QUOTE) return undefined;
              const slot = idSlot(body, p + 1, last, ids);
              if (slot < 0) return undefined;
              slots[n] = slot;
              p = space(body, idEnd + 1);
            } else {
              const value = decimal(body, p, bit === TS);
              if (value < 0) return undefined;
              if (bit === TS) ts[n] = value;
              else if (bit === TOTAL) total[n] = value;
              else good[n] = value;
              p = space(body, numberEnd);
            }
            if (body[p] === COMMA) continue;
            if (body[p] !== CLOSE_BRACE || p >= last) return undefined;
            break;
          }
          // slo, ts and total, and exactly one of good and bad (a bad count was read into good[n]).
          const hasGood = (seen & GOOD) !== 0;
          if ((seen & (SLO | TS | TOTAL)) !== (SLO | TS | TOTAL) || hasGood === ((seen & BAD) !== 0))
            return undefined;
          if (good[n]! > total[n]!) return undefined;
          if (!hasGood) good[n] = total[n]! - good[n]!;
        }
        p = space(body, p + 1);
        if (body[p] === COMMA) continue;
        if (body[p] !== CLOSE_BRACKET) return undefined;
        p++;
        break;
      }
    } else return undefined;
    p = space(body, p);
    if (body[p] === COMMA) continue;
    if (body[p] !== CLOSE_BRACE) return undefined;
    break;
  }
  if (!sawSamples || p !== last) return undefined;
  const length = n + 1;
  return {
    length,
    slots: slots.subarray(0, length),
    ts: ts.subarray(0, length),
    good: good.subarray(0, length),
    total: total.subarray(0, length),
  };
}

const columnsOf = (n: number) => ({
  slots: new Int32Array(n),
  ts: new Float64Array(n),
  good: new Float64Array(n),
  total: new Float64Array(n),
});
/** Columns every scan reuses (at most 10,000 samples, 280 KB): a scan's result is read before the next one. */
let scratch = columnsOf(1024);

/**
 * One sample as SDKs write it, `{"slo":"<id>","ts":<int>,"good"|"bad":<int>,"total":<int>}`
 * without spaces, read without looking its keys up (most bodies are nothing else): writes it to
 * row `n` of `columns` and returns the index of its closing brace, or -1 when the sample at `p` is
 * written any other way, or is invalid: the general reader then reads it from `p`.
 */
function compactSample(
  body: Uint8Array,
  p: number,
  last: number,
  ids: IdIndex,
  n: number,
  columns: ReturnType<typeof columnsOf>,
): number {
  // Key bytes compared one by one in place: a loop over the key's characters (isKey) made this
  // reader 1.5-2x slower.
  // {"slo":"
  if (
    p + 8 >= last ||
    body[p + 1] !== QUOTE ||
    body[p + 2] !== 0x73 ||
    body[p + 3] !== 0x6c ||
    body[p + 4] !== 0x6f ||
    body[p + 5] !== QUOTE ||
    body[p + 6] !== COLON ||
    body[p + 7] !== QUOTE
  )
    return -1;
  const slot = idSlot(body, p + 8, last, ids);
  if (slot < 0) return -1;
  // ","ts":
  let q = idEnd + 1;
  if (
    q + 6 >= last ||
    body[q] !== COMMA ||
    body[q + 1] !== QUOTE ||
    body[q + 2] !== 0x74 ||
    body[q + 3] !== 0x73 ||
    body[q + 4] !== QUOTE ||
    body[q + 5] !== COLON
  )
    return -1;
  const ts = integer(body, q + 6);
  q = numberEnd;
  // ,"good": or ,"bad":
  if (ts < 0 || q + 8 >= last || body[q] !== COMMA || body[q + 1] !== QUOTE) return -1;
  let bad: boolean;
  if (
    body[q + 2] === 0x67 &&
    body[q + 3] === 0x6f &&
    body[q + 4] === 0x6f &&
    body[q + 5] === 0x64 &&
    body[q + 6] === QUOTE &&
    body[q + 7] === COLON
  ) {
    bad = false;
    q += 8;
  } else if (
    body[q + 2] === 0x62 &&
    body[q + 3] === 0x61 &&
    body[q + 4] === 0x64 &&
    body[q + 5] === QUOTE &&
    body[q + 6] === COLON
  ) {
    bad = true;
    q += 7;
  } else return -1;
  const count = integer(body, q);
  q = numberEnd;
  // ,"total":
  if (
    count < 0 ||
    q + 9 >= last ||
    body[q] !== COMMA ||
    body[q + 1] !== QUOTE ||
    body[q + 2] !== 0x74 ||
    body[q + 3] !== 0x6f ||
    body[q + 4] !== 0x74 ||
    body[q + 5] !== 0x61 ||
    body[q + 6] !== 0x6c ||
    body[q + 7] !== QUOTE ||
    body[q + 8] !== COLON
  )
    return -1;
  const total = integer(body, q + 9);
  q = numberEnd;
  if (total < 0 || body[q] !== CLOSE_BRACE || q >= last || count > total) return -1;
  columns.slots[n] = slot;
  columns.ts[n] = ts;
  columns.good[n] = bad ? total - count : count;
  columns.total[n] = total;
  return q;
}

/** Bytes of each key with its closing quote, by bit. */
const KEY_BYTES: Record<number, number> = { [SLO]: 4, [TS]: 3, [GOOD]: 5, [BAD]: 4, [TOTAL]: 6 };

/** The bit of the sample key starting at `k` (after its opening quote), or 0. */
function keyAt(body: Uint8Array, k: number): number {
  switch (body[k]) {
    case 0x73: // s
      return body[k + 1] === 0x6c && body[k + 2] === 0x6f && body[k + 3] === QUOTE ? SLO : 0;
    case 0x74: // t
      if (body[k + 1] === 0x73) return body[k + 2] === QUOTE ? TS : 0;
      return body[k + 1] === 0x6f &&
        body[k + 2] === 0x74 &&
        body[k + 3] === 0x61 &&
        body[k + 4] === 0x6c &&
        body[k + 5] === QUOTE
        ? TOTAL
        : 0;
    case 0x67: // g
      return body[k + 1] === 0x6f && body[k + 2] === 0x6f && body[k + 3] === 0x64 && body[k + 4] === QUOTE
        ? GOOD
        : 0;
    case 0x62: // b
      return body[k + 1] === 0x61 && body[k + 2] === 0x64 && body[k + 3] === QUOTE ? BAD : 0;
    default:
      return 0;
  }
}

// Plain functions the compiler inlines; closures made per call, or reading the body from module
// state, made the scan 2-3× slower.
function space(body: Uint8Array, at: number): number {
  while (isSpace(body[at]!)) at++;
  return at;
}

function isSpace(c: number): boolean {
  return c <= 0x20 && (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09);
}

/** Where the last {@link idSlot} id ended (at its closing quote). */
let idEnd = 0;

/**
 * The slot of the id whose bytes start at `from` (after its opening quote), its end in `idEnd`;
 * -1 when it is unknown, or not plain (an escape, a control byte, no closing quote before `last`).
 */
function idSlot(body: Uint8Array, from: number, last: number, ids: IdIndex): number {
  // fnv1a (src/tsdb/byte-keys.ts) of the id's bytes, computed while looking for its end.
  let h = 0x811c9dc5 | 0;
  let at = from;
  for (;;) {
    if (at >= last) return -1;
    const c = body[at]!;
    if (c === QUOTE) break;
    if (c < 0x20 || c === BACKSLASH) return -1;
    h = Math.imul(h ^ c, 0x01000193);
    at++;
  }
  idEnd = at;
  return ids.find(body, from, at, h);
}

/** Where the last {@link decimal} ended. */
let numberEnd = 0;

/** A plain decimal at `at` (its end in `numberEnd`), or -1. */
function decimal(body: Uint8Array, at: number, integer: boolean): number {
  let c = body[at]!;
  if (c === ZERO) {
    c = body[++at]!;
    if (c >= ZERO && c <= NINE) return -1;
    if (c !== DOT) {
      if (c === 0x65 || c === 0x45) return -1;
      numberEnd = at;
      return 0;
    }
  } else if (!(c > ZERO && c <= NINE)) return -1;
  // Digits go into small integers (nine, then the rest): exact, and much cheaper than a double
  // multiplied per digit. At most 15 digits, so head × 10^k + tail is exact too.
  let head = 0;
  let tail = 0;
  let digits = 0;
  let scale = 0;
  for (;;) {
    if (c >= ZERO && c <= NINE) {
      if (digits < 9) head = head * 10 + (c - ZERO);
      else tail = tail * 10 + (c - ZERO);
      digits++;
      if (scale > 0) scale++;
    } else if (c === DOT && scale === 0 && !integer) scale = 1;
    else break;
    c = body[++at]!;
  }
  // scale counts the dot: 1 is a dot without digits after it.
  if (scale === 1 || digits > 15 || c === 0x65 || c === 0x45) return -1;
  numberEnd = at;
  const m = digits <= 9 ? head : head * POW10[digits - 9]! + tail;
  return scale === 0 ? m : m / POW10[scale - 1]!;
}

/**
 * A plain integer at `at` (no sign, dot or exponent, at most 15 digits), its end in `numberEnd`;
 * -1 for anything else, which {@link decimal} then reads or refuses. The first nine digits and the
 * rest go into separate small integers, as in {@link decimal}.
 */
function integer(body: Uint8Array, at: number): number {
  let c = body[at]!;
  if (c === ZERO) {
    c = body[at + 1]!;
    if ((c >= ZERO && c <= NINE) || c === DOT || c === 0x65 || c === 0x45) return -1;
    numberEnd = at + 1;
    return 0;
  }
  if (!(c > ZERO && c <= NINE)) return -1;
  let head = c - ZERO;
  let end = at + 1;
  c = body[end]!;
  for (const nine = at + 9; end < nine && c >= ZERO && c <= NINE; c = body[++end]!)
    head = head * 10 + (c - ZERO);
  let tail = 0;
  const rest = end;
  for (; c >= ZERO && c <= NINE; c = body[++end]!) tail = tail * 10 + (c - ZERO);
  const digits = end - rest;
  if (digits > 6 || c === DOT || c === 0x65 || c === 0x45) return -1;
  numberEnd = end;
  return digits === 0 ? head : head * POW10[digits]! + tail;
}

function isKey(body: Uint8Array, at: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (body[at + i] !== text.charCodeAt(i)) return false;
  return true;
}
