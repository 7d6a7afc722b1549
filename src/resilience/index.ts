/**
 * nines/resilience: retries with jittered backoff, retry budgets, deadlines that propagate,
 * circuit breakers and load shedding (SRE book ch. 21–22). Zero runtime dependencies.
 */

export {
  type AdaptiveLimit,
  type AimdOptions,
  aimdLimit,
  type GradientOptions,
  gradientLimit,
} from "./adaptive-limit.js";
export type { AttemptContext } from "./attempt.js";
export {
  type BackoffOptions,
  type BackoffSequence,
  DEFAULT_BACKOFF,
  type Jitter,
  startBackoff,
} from "./backoff.js";
export {
  CircuitBreaker,
  type CircuitBreakerOptions,
  type ConsecutiveStrategy,
  isBreakerFailure,
  type SamplingStrategy,
} from "./circuit-breaker.js";
export { type CancelTimer, type Clock, systemClock } from "./clock.js";
export { CRITICALITY_RANK, type Criticality, criticalityFromHeaders } from "./criticality.js";
export {
  type Deadline,
  type DeadlineSignal,
  deadlineExceeded,
  deadlineFromHeaders,
  deadlineHeaders,
  deadlineIn,
  deadlineSignal,
  earliestDeadline,
  remainingMs,
} from "./deadline.js";
export {
  AttemptTimeoutError,
  BudgetExhaustedError,
  CircuitOpenError,
  DeadlineExceededError,
  LoadShedError,
} from "./errors.js";
export {
  type AttemptEvent,
  type BackoffEvent,
  type BreakerState,
  type BreakerStateChangeEvent,
  type BudgetExhaustedEvent,
  type Listener,
  ResilienceEvents,
  type ShedEvent,
  type Unsubscribe,
} from "./events.js";
export { ninesResilience, type ResilienceFastifyOptions } from "./fastify-plugin.js";
export {
  CRITICALITY_HEADER,
  DEADLINE_HEADER,
  type HeaderSource,
  NO_RETRY_HEADER,
  readHeader,
} from "./headers.js";
export { type HttpLoadSheddingOptions, type HttpMiddleware, httpLoadShedding } from "./http-middleware.js";
export {
  LoadShedder,
  type LoadShedderOptions,
  type LoadShedErrorInstance,
  type Release,
} from "./load-shedder.js";
export { type CallOptions, createPolicy, type Policy, type PolicyOptions } from "./policy.js";
export { mulberry32, type RandomSource } from "./random.js";
export { type RetryOptions, retry } from "./retry.js";
export { parseRetryAfter } from "./retry-after.js";
export {
  createRatioBudget,
  createTokenBucketBudget,
  type RatioBudgetOptions,
  type RetryBudget,
  type TokenBucketBudgetOptions,
} from "./retry-budget.js";
export {
  classifyHttp,
  defaultClassifier,
  hasNoRetryMarker,
  isNetworkError,
  markNoRetry,
  type Outcome,
  RETRYABLE_STATUSES,
  type RetryClassifier,
  type RetryDecision,
} from "./retryable.js";
export { type RejectionResponse, rejectionResponse } from "./shed-response.js";
export { sleep } from "./sleep.js";
export { VirtualClock } from "./virtual-clock.js";
