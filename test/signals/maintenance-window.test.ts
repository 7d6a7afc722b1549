import { describe, expect, it } from "vitest";
import { activeMaintenance, inMaintenance, type MaintenanceWindow } from "../../src/signals/index.js";

const at = (iso: string): number => Date.parse(iso);
const weekly: MaintenanceWindow = {
  id: "sat-night",
  service: "db",
  timeZone: "Europe/Berlin",
  start: "2026-03-21T22:00",
  end: "2026-03-22T02:00",
  recurrence: "weekly",
  outcomes: ["ticket", "log"],
};

describe("maintenance windows", () => {
  it("opens Saturday 22:00 Berlin, which is 21:00Z before and 20:00Z after the DST change", () => {
    expect(inMaintenance(weekly, at("2026-03-21T20:59:00Z"))).toBe(false);
    expect(inMaintenance(weekly, at("2026-03-21T21:00:00Z"))).toBe(true);
    expect(inMaintenance(weekly, at("2026-03-28T21:30:00Z"))).toBe(true);
    expect(inMaintenance(weekly, at("2026-04-04T19:59:00Z"))).toBe(false);
    expect(inMaintenance(weekly, at("2026-04-04T20:00:00Z"))).toBe(true);
    expect(inMaintenance(weekly, at("2026-04-04T23:59:00Z"))).toBe(true);
    expect(inMaintenance(weekly, at("2026-04-05T00:00:00Z"))).toBe(false);
  });

  it("does not apply before its first occurrence", () => {
    expect(inMaintenance(weekly, at("2026-03-14T21:30:00Z"))).toBe(false);
  });

  it("applies a one-off window once", () => {
    const once: MaintenanceWindow = { ...weekly, recurrence: "none" };
    expect(inMaintenance(once, at("2026-03-21T22:00:00Z"))).toBe(true);
    expect(inMaintenance(once, at("2026-03-28T21:30:00Z"))).toBe(false);
  });

  it("holds only the listed outcomes of the listed service", () => {
    const t = at("2026-03-21T22:00:00Z");
    expect(activeMaintenance([weekly], "db", "ticket", t)?.id).toBe("sat-night");
    expect(activeMaintenance([weekly], "db", "page", t)).toBeUndefined();
    expect(activeMaintenance([weekly], "web", "ticket", t)).toBeUndefined();
  });
});
