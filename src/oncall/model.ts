/**
 * Plain data of on-call: who exists, which team owns which service, and the schedules that say
 * who answers pages when (SRE book ch. 11, "Being On-Call"). Instants are epoch milliseconds;
 * wall-clock fields ("09:00", "2026-03-02") are read in the zone named beside them.
 */

/** One way to reach a person. */
export interface Contact {
  readonly kind: "email" | "sms" | "phone" | "push" | "chat" | "webhook";
  readonly address: string;
}

export interface Person {
  readonly id: string;
  readonly name: string;
  readonly contacts: readonly Contact[];
  /** The person's own zone, for display; schedules use their rotation's zone. */
  readonly timeZone?: string;
}

export interface Team {
  readonly id: string;
  readonly name: string;
  readonly members: readonly string[];
  readonly scheduleIds: readonly string[];
  readonly escalationPolicyId?: string;
}

export interface Service {
  readonly id: string;
  readonly name: string;
  /** Id of the owning team: pages for the service go to this team's on-call. */
  readonly teamId: string;
}

export type Weekday = "sun" | "mon" | "tue" | "wed" | "thu" | "fri" | "sat";

/** How long each participant's turn lasts. Days and weeks follow the wall clock; hours are elapsed time. */
export interface RotationLength {
  readonly unit: "hours" | "days" | "weeks";
  readonly count: number;
}

export interface Rotation {
  /** Person ids, in turn order; a person may appear more than once. */
  readonly participants: readonly string[];
  readonly length: RotationLength;
  /** Wall-clock time of each handoff, "HH:MM". */
  readonly handoffTime: string;
  /** IANA zone of `startDate`, `handoffTime` and the layer's restrictions. */
  readonly timeZone: string;
  /** Local date of the first handoff ("YYYY-MM-DD"); nobody is on call in this rotation before it. */
  readonly startDate: string;
}

/**
 * A recurring window during which a layer applies, in the rotation's zone: it opens on each of
 * `days` (all days when omitted) at `start` and closes at `end`, on the next day if `end` <= `start`
 * ("17:00"–"09:00" is a night). "24:00" is allowed as an end.
 */
export interface Restriction {
  readonly days?: readonly Weekday[];
  readonly start: string;
  readonly end: string;
}

export interface Layer {
  readonly id: string;
  readonly name: string;
  readonly rotation: Rotation;
  /** The layer applies only inside these windows; always when omitted or empty. */
  readonly restrictions?: readonly Restriction[];
}

/** A person replaces whoever is on call during [start, end). */
export interface Override {
  readonly id?: string;
  readonly personId: string;
  readonly start: number;
  readonly end: number;
  readonly reason?: string;
}

/**
 * Layers are listed bottom to top: where several have someone on call, the later layer wins.
 * Overrides win over every layer; among overlapping overrides the later one wins.
 */
export interface Schedule {
  readonly id: string;
  readonly name: string;
  readonly layers: readonly Layer[];
  readonly overrides: readonly Override[];
}

/** One span of the final timeline; `personId` is null where nobody is on call (a gap). */
export interface Shift {
  readonly start: number;
  readonly end: number;
  readonly personId: string | null;
}

/** Who is on call at an instant, and which part of the schedule decided it. */
export interface OnCallAnswer {
  readonly personId: string | null;
  /** Id of the layer that decided, or null for an override or a gap. */
  readonly layerId: string | null;
  readonly override: boolean;
}
