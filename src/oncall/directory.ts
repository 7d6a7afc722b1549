import type { EscalationPolicy } from "./escalation.js";
import type { Person, Schedule, Team } from "./model.js";

/**
 * Read access to on-call data for the other domains: who owns a service, how its pages escalate,
 * who is on call. Implemented over the on-call store; pure code takes the results as plain data.
 */
export interface OncallDirectory {
  /** The team that owns a service (by service name), if any. */
  teamForService(service: string): Promise<Team | undefined>;
  /** A team by id or by name. */
  team(idOrName: string): Promise<Team | undefined>;
  escalationPolicy(id: string): Promise<EscalationPolicy | undefined>;
  /** The named schedules; ids not found are absent from the map. */
  schedules(ids: readonly string[]): Promise<ReadonlyMap<string, Schedule>>;
  person(id: string): Promise<Person | undefined>;
}
