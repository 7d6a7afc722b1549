import { DEFAULT_ROUTING_INPUT, defaultRoutingConfig } from "./default-routing.js";
import { RoutingConfigInvalidError } from "./errors.js";
import { compileRoutingConfig, type RoutingConfig } from "./routing-config.js";
import type { RoutingConfigInput } from "./routing-schema.js";
import type { SignalsStore } from "./signals.store.js";

export interface CurrentRouting {
  /** 0 for the built-in default (nothing stored yet). */
  readonly version: number;
  readonly input: RoutingConfigInput;
  readonly config: RoutingConfig;
  readonly updatedAt: number | null;
  readonly updatedBy: string | null;
}

/**
 * The routing config in force: the latest stored version, or the built-in default. Each replica
 * keeps it compiled and checks the stored version at most once per `recheckMs`, so a change made
 * through another replica applies within that time.
 */
export class RoutingRuntime {
  private cached: CurrentRouting | null = null;
  private checkedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly store: SignalsStore,
    private readonly now: () => number,
    private readonly recheckMs = 1_000,
  ) {}

  async current(): Promise<CurrentRouting> {
    const now = this.now();
    if (this.cached !== null && now - this.checkedAt < this.recheckMs) return this.cached;
    const version = await this.store.latestRoutingVersion();
    this.checkedAt = now;
    if (this.cached !== null && this.cached.version === version) return this.cached;
    const stored = version === 0 ? undefined : await this.store.latestRouting();
    if (stored === undefined) {
      this.cached = {
        version: 0,
        input: DEFAULT_ROUTING_INPUT,
        config: defaultRoutingConfig(),
        updatedAt: null,
        updatedBy: null,
      };
    } else {
      const compiled = compileRoutingConfig(stored.input);
      // A stored version was valid when saved; if a later nines refuses it, keep the previous one.
      if (compiled.config === null) {
        if (this.cached !== null) return this.cached;
        throw new RoutingConfigInvalidError(
          `stored routing version ${stored.version} is invalid`,
          compiled.errors,
        );
      }
      this.cached = {
        version: stored.version,
        input: stored.input,
        config: compiled.config,
        updatedAt: stored.at,
        updatedBy: stored.by,
      };
    }
    return this.cached;
  }

  /** Validates and stores a new version; throws NINES_ERR_SIGNALS_ROUTING_INVALID naming each field path. */
  async put(input: unknown, by: string): Promise<CurrentRouting> {
    const compiled = compileRoutingConfig(input);
    if (compiled.config === null) {
      const summary = compiled.errors.map((e) => `${e.path}: ${e.message}`).join("; ");
      throw new RoutingConfigInvalidError(`invalid routing config: ${summary}`, compiled.errors);
    }
    const now = this.now();
    const version = await this.store.saveRouting(input as RoutingConfigInput, by, now);
    this.cached = {
      version,
      input: input as RoutingConfigInput,
      config: compiled.config,
      updatedAt: now,
      updatedBy: by,
    };
    this.checkedAt = now;
    return this.cached;
  }
}
