import { type Clock, systemClock } from "./clock.js";

/**
 * A retry budget shared by all calls to one backend (SRE book ch. 22, "Limit retries per
 * server"): when it is spent, failures are returned at once instead of retried.
 */
export interface RetryBudget {
  /** An original call (not a retry) starts. */
  recordRequest(): void;
  /** An attempt succeeded. */
  recordSuccess(): void;
  /** An attempt failed with a retryable (overload-like) failure. */
  recordFailure(): void;
  /** Spends one retry if the budget allows it. */
  tryRetry(): boolean;
}

/** gRPC retry throttling (gRFC A6): `maxTokens` (default 10) and `tokenRatio` (default 0.1). */
export interface TokenBucketBudgetOptions {
  readonly maxTokens?: number;
  readonly tokenRatio?: number;
}

/**
 * gRPC-style throttling: the bucket starts full; each failure takes 1 token, each success adds
 * `tokenRatio`; retries are allowed only while more than half the tokens are left.
 * @example const budget = createTokenBucketBudget({ maxTokens: 10, tokenRatio: 0.1 });
 */
export function createTokenBucketBudget(options: TokenBucketBudgetOptions = {}): RetryBudget & {
  readonly tokens: number;
} {
  const maxTokens = options.maxTokens ?? 10;
  const tokenRatio = options.tokenRatio ?? 0.1;
  let tokens = maxTokens;
  return {
    get tokens() {
      return tokens;
    },
    recordRequest() {},
    recordSuccess() {
      tokens = Math.min(maxTokens, tokens + tokenRatio);
    },
    recordFailure() {
      tokens = Math.max(0, tokens - 1);
    },
    tryRetry() {
      return tokens > maxTokens / 2;
    },
  };
}

/** Finagle's RetryBudget: a share of requests that may be retries, plus a floor of retries per second. */
export interface RatioBudgetOptions {
  /** Retries allowed per original request, 0.2 = 20% (Finagle's default). */
  readonly percentCanRetry?: number;
  /** Retries always allowed per second even at low traffic (Finagle's default: 10). */
  readonly minRetriesPerSecond?: number;
  /** How long a deposit counts (Finagle's default: 10 s). */
  readonly ttlMs?: number;
  readonly clock?: Clock;
}

const BUCKETS = 10;

/**
 * Finagle-style budget over a sliding window of `ttlMs` (10 buckets): within the window,
 * retries ≤ percentCanRetry × requests + minRetriesPerSecond × ttl.
 * @example const budget = createRatioBudget({ percentCanRetry: 0.1, minRetriesPerSecond: 1 });
 */
export function createRatioBudget(
  options: RatioBudgetOptions = {},
): RetryBudget & { readonly balance: number } {
  const percent = options.percentCanRetry ?? 0.2;
  const ttlMs = options.ttlMs ?? 10_000;
  const reserve = (options.minRetriesPerSecond ?? 10) * (ttlMs / 1000);
  const clock = options.clock ?? systemClock;
  const bucketMs = ttlMs / BUCKETS;
  const requests = new Float64Array(BUCKETS);
  const retries = new Float64Array(BUCKETS);
  let current = Math.floor(clock.now() / bucketMs);
  let totalRequests = 0;
  let totalRetries = 0;

  const rotate = () => {
    const now = Math.floor(clock.now() / bucketMs);
    if (now === current) return;
    const steps = Math.min(BUCKETS, now - current);
    for (let s = 1; s <= steps; s++) {
      const i = (current + s) % BUCKETS;
      totalRequests -= requests[i]!;
      totalRetries -= retries[i]!;
      requests[i] = 0;
      retries[i] = 0;
    }
    current = now;
  };
  const balance = () => reserve + percent * totalRequests - totalRetries;

  return {
    get balance() {
      rotate();
      return balance();
    },
    recordRequest() {
      rotate();
      requests[current % BUCKETS]! += 1;
      totalRequests += 1;
    },
    recordSuccess() {},
    recordFailure() {},
    tryRetry() {
      rotate();
      if (balance() < 1) return false;
      retries[current % BUCKETS]! += 1;
      totalRetries += 1;
      return true;
    },
  };
}
