import type { Kysely } from "kysely";
import pino from "pino";
import type { Database } from "../../src/db/database.js";
import type { NotificationIntent, NotificationOutbox } from "../../src/notifications/notification.js";
import type { OncallDirectory } from "../../src/oncall/directory.js";
import type { EscalationPolicy } from "../../src/oncall/escalation.js";
import type { Team } from "../../src/oncall/model.js";
import type { MaintenanceWindow } from "../../src/signals/maintenance-window.js";
import type { SignalLogEntry, SignalTicket } from "../../src/signals/pipeline.js";
import type { Signal } from "../../src/signals/signal.js";
import { createSignalsDomain, type SignalsDomain } from "../../src/signals/signals-domain.js";
import type { Silence } from "../../src/signals/silence.js";

export const T0 = Date.UTC(2026, 2, 30, 7, 0, 0);

/** A settable clock. */
export class Clock {
  constructor(public at = T0) {}
  readonly now = () => this.at;
  advance(ms: number): void {
    this.at += ms;
  }
}

/** Everything the pipeline hands to other domains, recorded in memory (intents only once committed). */
export class Recorded {
  readonly intents: NotificationIntent[] = [];
  readonly tickets: SignalTicket[] = [];
  readonly logs: SignalLogEntry[] = [];
  silences: Silence[] = [];
  windows: MaintenanceWindow[] = [];
  readonly outbox: NotificationOutbox = {
    enqueue: async (_trx: Kysely<Database>, intents) => {
      this.intents.push(...intents);
    },
  };
}

export const storageTeam: Team = {
  id: "storage",
  name: "Storage",
  members: ["ana", "ben"],
  scheduleIds: [],
  escalationPolicyId: "storage-primary",
};

export const storagePolicy: EscalationPolicy = {
  id: "storage-primary",
  name: "Storage",
  steps: [
    { kind: "notify-person", personId: "ana" },
    { kind: "wait", minutes: 5 },
    { kind: "notify-person", personId: "ben" },
  ],
  repeat: 0,
};

export const directory: OncallDirectory = {
  teamForService: async (service) => (service === "db" ? storageTeam : undefined),
  team: async (idOrName) => (idOrName === "storage" || idOrName === "Storage" ? storageTeam : undefined),
  escalationPolicy: async (id) => (id === storagePolicy.id ? storagePolicy : undefined),
  schedules: async () => new Map(),
  person: async () => undefined,
};

export async function testDomain(
  db: Kysely<Database>,
  clock: Clock,
  recorded: Recorded,
): Promise<SignalsDomain> {
  let tickets = 0;
  return createSignalsDomain(db, pino({ level: "silent" }), {
    outbox: recorded.outbox,
    tickets: {
      openFromSignal: async (_trx, ticket) => {
        recorded.tickets.push(ticket);
        tickets += 1;
        return `T-${tickets}`;
      },
    },
    eventLog: {
      append: async (_trx, entry) => {
        recorded.logs.push(entry);
      },
    },
    silences: { active: async () => recorded.silences },
    maintenance: { active: async () => recorded.windows },
    directory,
    publicUrl: "https://nines.example.com",
    linkSecret: "test-link-secret-0123456789",
    linkTtlMs: 3_600_000,
    ticketDueMs: 3 * 86_400_000,
    groupingIntervalMs: 1_000,
    escalationIntervalMs: 1_000,
    reconcileIntervalMs: 1_000,
    now: clock.now,
  });
}

export function signal(overrides: Partial<Signal> = {}): Signal {
  return {
    source: "slo",
    service: "db",
    title: "SLO db/availability burning",
    severity: "page",
    labels: {},
    fingerprint: "fp-db-page",
    links: [],
    startsAt: T0,
    ...overrides,
  };
}
