import type { SignalsStore } from "../signals/signals.store.js";
import type { PageTimes } from "./page-load.js";

/** `PageTimes` over the signals store's `pages` table (by page creation time). */
export function signalsPageTimes(store: Pick<SignalsStore, "pageTimes">): PageTimes {
  return {
    async pagesFor(owners, from, to, limit) {
      const rows = await store.pageTimes(owners, from, to, limit);
      return rows.map((r) => ({ at: r.createdAt, id: String(r.id), service: r.service }));
    },
  };
}
