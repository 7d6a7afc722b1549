import { isTimeZone, parseLocalDateTime } from "../oncall/index.js";
import type { FieldError } from "../schema/field-errors.js";
import { fieldErrors } from "../schema/field-errors.js";
import { parseDuration } from "./duration.js";
import { RoutingConfigInvalidError } from "./errors.js";
import type { MaintenanceWindow } from "./maintenance-window.js";
import { type Matcher, parseMatcher } from "./matcher.js";
import { type RoutingConfigInput, RoutingConfigSchema } from "./routing-schema.js";
import type { Outcome } from "./signal.js";

/** A node of the compiled routing tree, with every inherited field resolved. */
export interface Route {
  /** Field path in the config: "route", "route.routes[2].routes[0]". */
  readonly path: string;
  /** The route's name, or its path when it has none. */
  readonly name: string;
  readonly matchers: readonly Matcher[];
  readonly classify: Outcome;
  readonly receiver: string | null;
  readonly team: string | null;
  readonly escalation: string | null;
  /** Severity of the incident a page opened by this route declares; null: none (inherited like `team`). */
  readonly declareIncident: IncidentSeverity | null;
  /** Label names to group by; ["..."] groups by every label (one group per alert). */
  readonly groupBy: readonly string[];
  readonly groupWaitMs: number;
  readonly groupIntervalMs: number;
  readonly repeatIntervalMs: number;
  readonly continue: boolean;
  readonly routes: readonly Route[];
}

export interface InhibitRule {
  readonly name: string;
  readonly sourceMatchers: readonly Matcher[];
  readonly targetMatchers: readonly Matcher[];
  readonly equal: readonly string[];
}

export interface AutoResolvePolicy {
  /** Quiet period after which a signal that never sends a resolve is resolved; null = never. */
  readonly defaultMs: number | null;
  readonly bySourceMs: Readonly<Record<string, number | null>>;
}

/** The validated routing config every part of signals works with. */
export interface RoutingConfig {
  readonly route: Route;
  readonly inhibitRules: readonly InhibitRule[];
  readonly autoResolve: AutoResolvePolicy;
  readonly maintenanceWindows: readonly MaintenanceWindow[];
}

/** Severities a route's `declareIncident` may name (the incidents domain's SEV1–SEV4). */
export const INCIDENT_SEVERITIES = ["SEV1", "SEV2", "SEV3", "SEV4"] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];

/** Alertmanager's defaults for the root route. */
export const ROOT_DEFAULTS = {
  classify: "log" as Outcome,
  groupBy: ["alertname", "service"],
  groupWaitMs: 30_000,
  groupIntervalMs: 300_000,
  repeatIntervalMs: 4 * 3_600_000,
};

type RouteInput = RoutingConfigInput["route"];

/**
 * Validates and compiles a routing config. Returns every problem, each with its field path
 * ("route.routes[1].matchers[0]"), instead of the first one.
 */
export function compileRoutingConfig(
  input: unknown,
): { config: RoutingConfig; errors: [] } | { config: null; errors: FieldError[] } {
  const shapeErrors = fieldErrors(RoutingConfigSchema, input);
  if (shapeErrors.length > 0) return { config: null, errors: shapeErrors };
  const raw = input as RoutingConfigInput;
  const errors: FieldError[] = [];
  const matchersAt = (list: readonly string[] | undefined, path: string): Matcher[] =>
    (list ?? []).flatMap((text, i) => {
      try {
        return [parseMatcher(text)];
      } catch (e) {
        errors.push({ path: `${path}[${i}]`, message: (e as Error).message });
        return [];
      }
    });
  const durationAt = (value: string | number | undefined, path: string, inherited: number): number => {
    if (value === undefined) return inherited;
    const ms = parseDuration(value);
    if (ms === undefined) {
      errors.push({ path, message: `"${value}" is not a duration (e.g. 30s, 5m, 4h)` });
      return inherited;
    }
    return ms;
  };
  const severityAt = (
    value: string | undefined,
    path: string,
    inherited: IncidentSeverity | null,
  ): IncidentSeverity | null => {
    if (value === undefined) return inherited;
    if ((INCIDENT_SEVERITIES as readonly string[]).includes(value)) return value as IncidentSeverity;
    errors.push({
      path,
      message: `"${value}" is not an incident severity: use one of ${INCIDENT_SEVERITIES.join(", ")}`,
    });
    return inherited;
  };
  const compile = (r: RouteInput, path: string, parent: Route | null): Route => {
    const base = parent ?? {
      classify: ROOT_DEFAULTS.classify,
      receiver: null,
      team: null,
      escalation: null,
      declareIncident: null,
      groupBy: ROOT_DEFAULTS.groupBy,
      groupWaitMs: ROOT_DEFAULTS.groupWaitMs,
      groupIntervalMs: ROOT_DEFAULTS.groupIntervalMs,
      repeatIntervalMs: ROOT_DEFAULTS.repeatIntervalMs,
    };
    if (parent === null && (r.matchers?.length ?? 0) > 0) {
      errors.push({
        path: `${path}.matchers`,
        message: "the root route matches every signal and cannot have matchers",
      });
    }
    const node: Route = {
      path,
      name: r.name ?? path,
      matchers: matchersAt(r.matchers, `${path}.matchers`),
      classify: r.classify ?? base.classify,
      receiver: r.receiver ?? base.receiver,
      team: r.team ?? base.team,
      escalation: r.escalation ?? base.escalation,
      declareIncident: severityAt(r.declareIncident, `${path}.declareIncident`, base.declareIncident),
      groupBy: r.groupBy ?? base.groupBy,
      groupWaitMs: durationAt(r.groupWait, `${path}.groupWait`, base.groupWaitMs),
      groupIntervalMs: durationAt(r.groupInterval, `${path}.groupInterval`, base.groupIntervalMs),
      repeatIntervalMs: durationAt(r.repeatInterval, `${path}.repeatInterval`, base.repeatIntervalMs),
      continue: r.continue ?? false,
      routes: [],
    };
    if (node.groupIntervalMs <= 0 && r.groupInterval !== undefined) {
      errors.push({ path: `${path}.groupInterval`, message: "must be longer than 0" });
    }
    return {
      ...node,
      routes: (r.routes ?? []).map((child, i) => compile(child as RouteInput, `${path}.routes[${i}]`, node)),
    };
  };
  const route = compile(raw.route, "route", null);
  // declareIncident only acts on pages: set where nothing at or below classifies as page, it is a mistake.
  const opensPages = (r: Route): boolean => r.classify === "page" || r.routes.some(opensPages);
  const checkDeclare = (r: Route, input: RouteInput): void => {
    if (input.declareIncident !== undefined && !opensPages(r)) {
      errors.push({
        path: `${r.path}.declareIncident`,
        message: `has no effect: neither this route nor any route below it classifies as page (it classifies as ${r.classify})`,
      });
    }
    r.routes.forEach((child, i) => {
      checkDeclare(child, (input.routes ?? [])[i] as RouteInput);
    });
  };
  checkDeclare(route, raw.route);
  const names = new Map<string, string>();
  const walk = (r: Route): void => {
    const other = names.get(r.name);
    if (other !== undefined && r.name !== r.path)
      errors.push({ path: `${r.path}.name`, message: `duplicate route name "${r.name}" (also ${other})` });
    names.set(r.name, r.path);
    r.routes.forEach(walk);
  };
  walk(route);
  const inhibitRules = (raw.inhibitRules ?? []).map((rule, i) => ({
    name: rule.name ?? `inhibitRules[${i}]`,
    sourceMatchers: matchersAt(rule.sourceMatchers, `inhibitRules[${i}].sourceMatchers`),
    targetMatchers: matchersAt(rule.targetMatchers, `inhibitRules[${i}].targetMatchers`),
    equal: rule.equal ?? [],
  }));
  const quiet = (value: string | number | undefined, path: string): number | null =>
    value === undefined || value === "off" ? null : durationAt(value, path, 0);
  const bySourceMs: Record<string, number | null> = {};
  for (const [source, value] of Object.entries(raw.autoResolve?.bySource ?? {})) {
    bySourceMs[source] = quiet(value, `autoResolve.bySource.${source}`);
  }
  const autoResolve = { defaultMs: quiet(raw.autoResolve?.default, "autoResolve.default"), bySourceMs };
  const maintenanceWindows = (raw.maintenanceWindows ?? []).map((w, i): MaintenanceWindow => {
    const path = `maintenanceWindows[${i}]`;
    if (!isTimeZone(w.timeZone))
      errors.push({ path: `${path}.timeZone`, message: `unknown time zone "${w.timeZone}"` });
    const start = parseLocalDateTime(w.start);
    const end = parseLocalDateTime(w.end);
    if (start === undefined)
      errors.push({ path: `${path}.start`, message: "must be a local time YYYY-MM-DDTHH:MM" });
    if (end === undefined)
      errors.push({ path: `${path}.end`, message: "must be a local time YYYY-MM-DDTHH:MM" });
    if (start !== undefined && end !== undefined) {
      if (end <= start) errors.push({ path: `${path}.end`, message: "must be after start" });
      else if (w.recurrence === "weekly" && end - start > 7 * 86_400_000) {
        errors.push({ path: `${path}.end`, message: "a weekly window cannot last longer than a week" });
      }
    }
    return {
      id: w.id ?? path,
      service: w.service,
      timeZone: w.timeZone,
      start: w.start,
      end: w.end,
      recurrence: w.recurrence ?? "none",
      outcomes: w.outcomes ?? ["page", "ticket", "log"],
      ...(w.comment === undefined ? {} : { comment: w.comment }),
    };
  });
  if (errors.length > 0) return { config: null, errors };
  return { config: { route, inhibitRules, autoResolve, maintenanceWindows }, errors: [] };
}

/** Like {@link compileRoutingConfig} but throws NINES_ERR_SIGNALS_ROUTING_INVALID with every field error. */
export function parseRoutingConfig(input: unknown): RoutingConfig {
  const result = compileRoutingConfig(input);
  if (result.config === null) {
    const summary = result.errors.map((e) => `${e.path}: ${e.message}`).join("; ");
    throw new RoutingConfigInvalidError(`invalid routing config: ${summary}`, result.errors);
  }
  return result.config;
}
