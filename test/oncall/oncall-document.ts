/** A realistic on-call document for store, API and CLI tests (Berlin, weekly primary + business hours). */
export function oncallDocument(overrides: { startDate?: string; extraOverrides?: unknown[] } = {}) {
  const startDate = overrides.startDate ?? "2026-03-16";
  return {
    people: [
      {
        id: "ana",
        name: "Ana Alves",
        timeZone: "Europe/Berlin",
        contacts: [{ kind: "email", address: "ana@example.com" }],
      },
      {
        id: "ben",
        name: "Ben Brandt",
        contacts: [
          { kind: "email", address: "ben@example.com" },
          { kind: "sms", address: "+49 151 0000" },
        ],
      },
      { id: "chen", name: "Chen Wei", contacts: [{ kind: "chat", address: "@chen" }] },
      { id: "dee", name: "Dee Dietrich", contacts: [] },
      { id: "zoe", name: "Zoe Zimmer", contacts: [{ kind: "email", address: "zoe@example.com" }] },
    ],
    teams: [
      {
        id: "storage",
        name: "Storage",
        members: ["ana", "ben", "chen", "dee", "zoe"],
        scheduleIds: ["storage-primary"],
        escalationPolicyId: "storage",
      },
    ],
    services: [
      { name: "db", teamId: "storage" },
      { id: "db-replica", name: "db-replica", teamId: "storage" },
    ],
    schedules: [
      {
        id: "storage-primary",
        name: "Storage primary",
        layers: [
          {
            id: "base",
            name: "Weekly",
            rotation: {
              participants: ["ana", "ben", "chen"],
              length: { unit: "weeks", count: 1 },
              handoffTime: "09:00",
              timeZone: "Europe/Berlin",
              startDate,
            },
          },
          {
            id: "day",
            name: "Business hours",
            rotation: {
              participants: ["dee"],
              length: { unit: "days", count: 1 },
              handoffTime: "09:00",
              timeZone: "Europe/Berlin",
              startDate,
            },
            restrictions: [{ days: ["mon", "tue", "wed", "thu", "fri"], start: "09:00", end: "17:00" }],
          },
        ],
        overrides: overrides.extraOverrides ?? [],
      },
    ],
    escalationPolicies: [
      {
        id: "storage",
        name: "Storage",
        steps: [
          { kind: "notify-schedule", scheduleId: "storage-primary" },
          { kind: "wait", minutes: 5 },
          { kind: "notify-schedule", scheduleId: "storage-primary", layerId: "day" },
          { kind: "notify-person", personId: "zoe" },
          { kind: "wait", minutes: 10 },
        ],
        repeat: 1,
      },
    ],
  };
}
