import type { NavItem } from "../nav.js";

/** What an area of nines that this version does not ship yet shows instead of a blank page. */
export function ComingSoonPage({ item }: { item: NavItem | undefined }) {
  if (!item) {
    return (
      <section class="empty">
        <h1>Page not found</h1>
        <p>
          Nothing lives at this address. Go to the <a href="/">status page</a>.
        </p>
      </section>
    );
  }
  return (
    <section class="empty">
      <h1>{item.label}</h1>
      <p>{item.purpose}</p>
      <p class="muted">
        This area is not part of this nines version yet. The API reference at{" "}
        <a href="/api/docs" target="_blank" rel="noreferrer">
          /api/docs
        </a>{" "}
        lists what is available.
      </p>
    </section>
  );
}
