import type { Layer, Rotation, Schedule } from "../../src/oncall/index.js";

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const at = (iso: string): number => Date.parse(iso);

export function rotation(overrides: Partial<Rotation> = {}): Rotation {
  return {
    participants: ["ana", "ben", "chen"],
    length: { unit: "weeks", count: 1 },
    handoffTime: "09:00",
    timeZone: "Europe/Berlin",
    startDate: "2026-03-16",
    ...overrides,
  };
}

export function schedule(layers: readonly Layer[], overrides: Schedule["overrides"] = []): Schedule {
  return { id: "primary", name: "Primary", layers, overrides };
}
