import { createHmac, timingSafeEqual } from "node:crypto";

export type PageAction = "ack" | "resolve";

/** What a one-click link asks: act on a page, until an instant, optionally on behalf of a person. */
export interface PageLinkClaim {
  readonly pageId: number;
  readonly action: PageAction;
  /** Epoch ms after which the link is refused. */
  readonly expires: number;
  /** The person the link was sent to (recorded as who acknowledged), if any. */
  readonly by?: string;
}

/** HMAC-SHA256 (hex) over page id, action, expiry and person, with the server's link secret. */
export function signPageLink(secret: string, claim: PageLinkClaim): string {
  return createHmac("sha256", secret)
    .update(`nines-page-link\n${claim.pageId}\n${claim.action}\n${claim.expires}\n${claim.by ?? ""}`)
    .digest("hex");
}

/** True when `sig` is the claim's signature (constant-time compare) and the link has not expired. */
export function verifyPageLink(secret: string, claim: PageLinkClaim, sig: string, now: number): boolean {
  if (!/^[0-9a-f]{64}$/.test(sig) || !(now < claim.expires)) return false;
  const expected = Buffer.from(signPageLink(secret, claim), "hex");
  return timingSafeEqual(expected, Buffer.from(sig, "hex"));
}

/** The absolute one-click URL for a claim: `GET {base}/api/v1/pages/{id}/{action}?expires=…&sig=…`. */
export function pageLinkUrl(baseUrl: string, secret: string, claim: PageLinkClaim): string {
  const query = new URLSearchParams({ expires: String(claim.expires) });
  if (claim.by !== undefined) query.set("by", claim.by);
  query.set("sig", signPageLink(secret, claim));
  return `${baseUrl.replace(/\/+$/, "")}/api/v1/pages/${claim.pageId}/${claim.action}?${query.toString()}`;
}
