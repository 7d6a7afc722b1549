/**
 * Counts failed authentications per client address in a sliding minute, so that guessing
 * tokens gets 429 after `maxPerMinute` failures. In memory: a restart forgives, which is fine
 * against guessing 256-bit secrets; the limit is about noise and abuse, not entropy.
 */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxPerMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until the address may try again, or 0 when it is not limited. */
  retryAfterSeconds(address: string): number {
    const recent = this.recent(address);
    if (recent.length < this.maxPerMinute) return 0;
    return Math.max(1, Math.ceil((recent[0]! + 60_000 - this.now()) / 1000));
  }

  recordFailure(address: string): void {
    const recent = this.recent(address);
    recent.push(this.now());
    this.failures.set(address, recent);
    if (this.failures.size > 10_000) this.prune();
  }

  private recent(address: string): number[] {
    const cutoff = this.now() - 60_000;
    return (this.failures.get(address) ?? []).filter((t) => t > cutoff);
  }

  private prune(): void {
    for (const address of this.failures.keys()) {
      if (this.recent(address).length === 0) this.failures.delete(address);
    }
  }
}
