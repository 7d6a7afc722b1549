/** One figure a line: `name: value unit (ratio x peer)`, so runs can be compared and grepped. */
export function figure(name: string, value: number, unit: string, note = ""): void {
  const shown = value >= 100 ? Math.round(value).toLocaleString("en-US") : value.toPrecision(3);
  process.stdout.write(`${name}: ${shown} ${unit}${note ? `  ${note}` : ""}\n`);
}

export function ratio(ours: number, peer: number, peerName: string, higherIsBetter = true): string {
  const r = ours / peer;
  return `(${r.toFixed(2)}× ${peerName}${higherIsBetter ? "" : ", lower is better"})`;
}

/** Runs `work` repeatedly for about `ms` and returns operations per second. */
export async function opsPerSecond(work: () => Promise<unknown> | unknown, ms: number): Promise<number> {
  for (let i = 0; i < 200; i++) await work();
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    await work();
    count++;
  }
  return (count * 1000) / (performance.now() - start);
}
