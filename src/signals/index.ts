export {
  type ActionabilityReport,
  type AlertActionability,
  actionabilityReport,
  type ReviewedPage,
} from "./actionability.js";
export { quietPeriodMs, resolvesAt } from "./auto-resolve.js";
export {
  type Classification,
  classifyLabels,
  classifySignal,
  type DecidingRule,
  matchRoutes,
} from "./classify.js";
export { DEFAULT_ROUTING_INPUT, defaultRoutingConfig } from "./default-routing.js";
export { parseDuration } from "./duration.js";
export * from "./errors.js";
export {
  type AlertGroup,
  type ClassifiedSignal,
  EMPTY_GROUPING_STATE,
  type GroupedAlert,
  type GroupingInput,
  type GroupingOutput,
  type GroupingState,
  type GroupNotification,
  type MutedAlert,
  stepGrouping,
} from "./grouping.js";
export { type FiringAlert, inhibitedBy, inhibitionIndex } from "./inhibition.js";
export { parseLabelArgs } from "./label-args.js";
export { activeMaintenance, inMaintenance, type MaintenanceWindow } from "./maintenance-window.js";
export {
  formatMatcher,
  LABEL_NAME,
  type Matcher,
  type MatchOp,
  matcher,
  matches,
  matchesAll,
  parseMatcher,
} from "./matcher.js";
export {
  type AutoResolvePolicy,
  compileRoutingConfig,
  type InhibitRule,
  parseRoutingConfig,
  ROOT_DEFAULTS,
  type Route,
  type RoutingConfig,
} from "./routing-config.js";
export { type RoutingConfigInput, RoutingConfigSchema } from "./routing-schema.js";
export {
  fingerprintOf,
  type Labels,
  OUTCOMES,
  type Outcome,
  type Signal,
  type SignalLink,
  signalLabels,
} from "./signal.js";
export { type SignalInput, SignalInputSchema, toSignal } from "./signal-input.js";
export {
  createSilence,
  expireSilence,
  isSilenced,
  type Silence,
  type SilenceInput,
  type SilenceState,
  silencedBy,
  silenceState,
} from "./silence.js";
export {
  checkRouteExpectation,
  type RouteMatchSummary,
  type RouteTestResult,
  testRoute,
} from "./test-route.js";
