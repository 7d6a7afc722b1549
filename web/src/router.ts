import { useEffect, useState } from "preact/hooks";

/** The current location; every view has a stable URL, filters live in the query string. */
export function useLocation(): URL {
  const [url, setUrl] = useState(() => new URL(window.location.href));
  useEffect(() => {
    const update = () => setUrl(new URL(window.location.href));
    window.addEventListener("popstate", update);
    window.addEventListener("nines:navigate", update);
    return () => {
      window.removeEventListener("popstate", update);
      window.removeEventListener("nines:navigate", update);
    };
  }, []);
  return url;
}

/** Client-side navigation without a page reload. */
export function navigate(to: string): void {
  window.history.pushState(null, "", to);
  window.dispatchEvent(new Event("nines:navigate"));
}

/** Intercepts clicks on same-origin links so that navigation stays inside the app. */
export function onLinkClick(event: MouseEvent): void {
  const anchor = (event.target as HTMLElement).closest("a");
  if (!anchor || anchor.target || event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0)
    return;
  const href = anchor.getAttribute("href");
  if (!href?.startsWith("/") || href.startsWith("/api/")) return;
  event.preventDefault();
  navigate(href);
}
