/** JSON has no Infinity or NaN: burn rates and budget shares of an empty window are sent as 0. */
export function finiteOrZero(value: number): number {
  return Number.isFinite(value) ? value : 0;
}
