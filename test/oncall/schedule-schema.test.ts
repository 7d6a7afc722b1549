import { describe, expect, it } from "vitest";
import { parseSchedule, scheduleErrors } from "../../src/oncall/index.js";
import { rotation } from "./fixtures.js";

const valid = { id: "s", name: "S", layers: [{ id: "l", name: "L", rotation: rotation() }], overrides: [] };

describe("schedule validation", () => {
  it("accepts a well-formed schedule", () => {
    expect(scheduleErrors(valid)).toEqual([]);
    expect(parseSchedule(valid).id).toBe("s");
  });

  it("names the path of each malformed field", () => {
    const bad = {
      ...valid,
      layers: [
        {
          id: "l",
          name: "L",
          rotation: { ...rotation(), length: { unit: "months", count: 1 } },
          colour: "red",
        },
      ],
    };
    const paths = scheduleErrors(bad).map((e) => e.path);
    expect(paths).toContain("layers[0].rotation.length.unit");
    expect(paths).toContain("layers[0].colour");
  });

  it("checks zones, dates and clocks after the shape", () => {
    const bad = {
      ...valid,
      layers: [
        {
          id: "l",
          name: "L",
          rotation: {
            ...rotation(),
            timeZone: "Europe/Atlantis",
            startDate: "2026-02-30",
            handoffTime: "25:00",
          },
          restrictions: [{ start: "09:00", end: "24:01" }],
        },
      ],
      overrides: [{ personId: "a", start: 10, end: 5 }],
    };
    expect(scheduleErrors(bad).map((e) => e.path)).toEqual([
      "layers[0].rotation.timeZone",
      "layers[0].rotation.handoffTime",
      "layers[0].rotation.startDate",
      "layers[0].restrictions[0].end",
      "overrides[0].end",
    ]);
    expect(() => parseSchedule(bad)).toThrow(
      expect.objectContaining({ code: "NINES_ERR_ONCALL_SCHEDULE_INVALID" }),
    );
  });
});
