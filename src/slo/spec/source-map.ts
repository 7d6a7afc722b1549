import { type Document, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from "yaml";
import type { Path } from "./diagnostic.js";

export interface Position {
  readonly line: number;
  readonly column: number;
}

/**
 * Line and column of `path` in a parsed YAML document: the value's position, or the key's when
 * `atKey` is set (for unknown fields). When the path does not exist, the deepest node that does.
 */
export function locate(doc: Document, lineCounter: LineCounter, path: Path, atKey = false): Position {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(segment));
      if (pair === undefined) break;
      const keyStart = rangeStart(pair.key);
      if (last && atKey && keyStart !== undefined) {
        offset = keyStart;
        break;
      }
      node = pair.value;
      offset = rangeStart(node) ?? keyStart ?? offset;
    } else if (isSeq(node) && typeof segment === "number") {
      const item: unknown = node.items[segment];
      if (item === undefined) break;
      node = item;
      offset = rangeStart(node) ?? offset;
    } else {
      break;
    }
  }
  const pos = lineCounter.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range === undefined || range === null ? undefined : range[0];
}
