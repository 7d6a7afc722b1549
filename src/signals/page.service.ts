import type { Kysely } from "kysely";
import type { Database } from "../db/database.js";
import type { NotificationOutbox } from "../notifications/notification.js";
import { type ActionabilityReport, actionabilityReport } from "./actionability.js";
import { PageLinkInvalidError, PageNotFoundError, PageStateConflictError } from "./page-errors.js";
import { type PageAction, type PageLinkClaim, pageLinkUrl, verifyPageLink } from "./page-links.js";
import { pageEventIntents } from "./page-messages.js";
import type { PageStatus, SignalsStore, StoredPage } from "./signals.store.js";

export interface PageServiceDeps {
  readonly db: Kysely<Database>;
  readonly store: SignalsStore;
  readonly outbox: NotificationOutbox;
  readonly now: () => number;
  /** The HMAC key of one-click links. */
  readonly linkSecret: string;
  /** Absolute base URL of nines for links in notifications. */
  readonly publicUrl: string;
  readonly linkTtlMs: number;
}

/**
 * What people do with pages: acknowledge (stops the escalation), resolve, and once resolved say
 * whether it was actionable. Each change and its notifications commit in one transaction.
 */
export class PageService {
  constructor(private readonly deps: PageServiceDeps) {}

  list(filter: { status?: PageStatus[]; service?: string; limit?: number } = {}): Promise<StoredPage[]> {
    return this.deps.store.pages(filter);
  }

  async get(id: number): Promise<StoredPage> {
    const page = await this.deps.store.page(id);
    if (page === undefined) throw new PageNotFoundError(`no page ${id}`, { id });
    return page;
  }

  /** Acknowledges a triggered page; acknowledging it again changes nothing. */
  async acknowledge(id: number, by: string): Promise<StoredPage> {
    return this.transition(id, "acknowledge", by);
  }

  /** Resolves an open page; resolving it again changes nothing. */
  async resolve(id: number, by: string): Promise<StoredPage> {
    return this.transition(id, "resolve", by);
  }

  /** Marks a resolved page actionable or not, with the reason (kept for the actionability report). */
  async review(id: number, actionable: boolean, reason: string | undefined, by: string): Promise<StoredPage> {
    return this.deps.db.transaction().execute(async (trx) => {
      const page = await this.deps.store.page(id, trx);
      if (page === undefined) throw new PageNotFoundError(`no page ${id}`, { id });
      if (page.status !== "resolved") {
        throw new PageStateConflictError(`page ${id} is ${page.status}: only a resolved page is reviewed`, {
          id,
          status: page.status,
        });
      }
      await trx
        .updateTable("pages")
        .set({ actionable: actionable ? 1 : 0, actionable_reason: reason?.trim() || null, reviewed_by: by })
        .where("id", "=", id)
        .execute();
      return (await this.deps.store.page(id, trx)) as StoredPage;
    });
  }

  /** Share of non-actionable pages per alert among the pages reviewed since `since`. */
  async actionability(since: number): Promise<ActionabilityReport> {
    const pages = await this.deps.store.reviewedPages(since);
    return actionabilityReport(
      pages.map((p) => ({
        alert: p.labels["alertname"] ?? p.title,
        actionable: p.actionable === true,
        ...(p.actionableReason === null ? {} : { reason: p.actionableReason }),
      })),
    );
  }

  /** Signed one-click acknowledge and resolve URLs for a person (or anyone, without `by`). */
  links(pageId: number, by?: string): { acknowledgeUrl: string; resolveUrl: string } {
    const expires = this.deps.now() + this.deps.linkTtlMs;
    const claim = (action: PageAction): PageLinkClaim => ({
      pageId,
      action,
      expires,
      ...(by === undefined ? {} : { by }),
    });
    return {
      acknowledgeUrl: pageLinkUrl(this.deps.publicUrl, this.deps.linkSecret, claim("ack")),
      resolveUrl: pageLinkUrl(this.deps.publicUrl, this.deps.linkSecret, claim("resolve")),
    };
  }

  /** Carries out a one-click link after checking its signature and expiry (403 otherwise). */
  async followLink(claim: PageLinkClaim, sig: string): Promise<StoredPage> {
    if (!verifyPageLink(this.deps.linkSecret, claim, sig, this.deps.now())) {
      throw new PageLinkInvalidError("this link is invalid or has expired");
    }
    const by = claim.by ?? "one-click link";
    return claim.action === "ack" ? this.acknowledge(claim.pageId, by) : this.resolve(claim.pageId, by);
  }

  private async transition(id: number, event: "acknowledge" | "resolve", by: string): Promise<StoredPage> {
    const now = this.deps.now();
    return this.deps.db.transaction().execute(async (trx) => {
      const page = await this.deps.store.page(id, trx);
      if (page === undefined) throw new PageNotFoundError(`no page ${id}`, { id });
      if (event === "acknowledge") {
        if (page.status === "acknowledged") return page;
        if (page.status === "resolved") {
          throw new PageStateConflictError(`page ${id} is already resolved`, { id, status: page.status });
        }
      } else if (page.status === "resolved") return page;
      const set =
        event === "acknowledge"
          ? { status: "acknowledged", acked_at: now, acked_by: by, escalation_next_at: null }
          : {
              status: "resolved",
              resolved_at: now,
              resolved_by: by,
              escalation_next_at: null,
              ...(page.ackedAt === null ? { acked_at: now, acked_by: by } : {}),
            };
      const updated = await trx
        .updateTable("pages")
        .set(set)
        .where("id", "=", id)
        .where("status", "=", page.status)
        .executeTakeFirst();
      const after = (await this.deps.store.page(id, trx)) as StoredPage;
      if (Number(updated.numUpdatedRows) === 0) return after;
      const intents = pageEventIntents(after, event, await this.deps.store.sentKeys(id, trx));
      if (intents.length > 0) await this.deps.outbox.enqueue(trx, intents);
      return after;
    });
  }
}
