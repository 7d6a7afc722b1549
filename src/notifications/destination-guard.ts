import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP } from "node:net";
import { DestinationBlockedError } from "./errors.js";

/**
 * Where receivers may connect: user-configured URLs must not reach nines' own host, the private
 * network or a cloud metadata service (server-side request forgery). Addresses are checked after
 * DNS resolution, on the address the socket actually connects to, so a name that resolves (or
 * re-resolves, DNS rebinding) to a private address is refused as well.
 */

/** Ranges refused unless allowlisted: RFC 6890 special-purpose blocks that are not the public internet. */
const BLOCKED_V4: readonly (readonly [string, number])[] = [
  ["0.0.0.0", 8], // "this network", includes 0.0.0.0
  ["10.0.0.0", 8], // RFC 1918
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local, includes 169.254.169.254 (cloud metadata)
  ["172.16.0.0", 12], // RFC 1918
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.168.0.0", 16], // RFC 1918
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, includes 255.255.255.255
];
const BLOCKED_V6: readonly (readonly [string, number])[] = [
  ["::", 128], // unspecified
  ["::1", 128], // loopback
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
  ["2001:db8::", 32], // documentation
  ["100::", 64], // discard
];

const blocked = new BlockList();
for (const [net, prefix] of BLOCKED_V4) blocked.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of BLOCKED_V6) blocked.addSubnet(net, prefix, "ipv6");

/** The 16 bytes of an IPv6 address (which must be valid). */
function ipv6Bytes(address: string): Uint8Array {
  let text = address.split("%")[0]!.toLowerCase();
  const bytes = new Uint8Array(16);
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const parts = v4[1]!.split(".").map(Number);
    text = `${text.slice(0, v4.index)}${((parts[0]! << 8) | parts[1]!).toString(16)}:${((parts[2]! << 8) | parts[3]!).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const groups =
    tail === undefined
      ? headGroups
      : [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill("0"), ...tailGroups];
  groups.forEach((g, i) => {
    const value = Number.parseInt(g || "0", 16);
    bytes[i * 2] = value >> 8;
    bytes[i * 2 + 1] = value & 0xff;
  });
  return bytes;
}

/**
 * The IPv4 address an IPv6 address carries, for the forms that reach IPv4 hosts: IPv4-mapped
 * (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002::/16).
 */
export function embeddedIpv4(address: string): string | undefined {
  const b = ipv6Bytes(address);
  const zeros = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const quad = (i: number) => `${b[i]}.${b[i + 1]}.${b[i + 2]}.${b[i + 3]}`;
  if (zeros(0, 10) && b[10] === 0xff && b[11] === 0xff) return quad(12);
  if (zeros(0, 12) && !zeros(12, 16) && !(zeros(12, 15) && b[15] === 1)) return quad(12);
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(4, 12)) return quad(12);
  if (b[0] === 0x20 && b[1] === 0x02) return quad(2);
  return undefined;
}

/** True for an address receivers may not reach by default (loopback, private, link-local, metadata, …). */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, "ipv4");
  if (family !== 6) return true;
  const v4 = embeddedIpv4(address);
  if (v4 !== undefined && blocked.check(v4, "ipv4")) return true;
  return blocked.check(address.split("%")[0]!, "ipv6");
}

export type LookupFunction = (
  hostname: string,
  callback: (error: Error | null, addresses: readonly LookupAddress[]) => void,
) => void;

const systemLookup: LookupFunction = (hostname, callback) =>
  dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) => callback(error, addresses ?? []));

export interface DestinationGuardOptions {
  /** Host names (exact), addresses and CIDRs that may be reached although blocked by default. */
  readonly allowedHosts?: readonly string[];
  /** Name resolution (tests substitute one that answers private addresses). */
  readonly lookup?: LookupFunction;
}

/** The connect-time lookup for `http.request`/`tls.connect`: `(hostname, options, callback)`. */
export type SocketLookup = (
  hostname: string,
  options: { all?: boolean; family?: number | string },
  callback: (...args: unknown[]) => void,
) => void;

export interface DestinationGuard {
  /** Throws {@link DestinationBlockedError} when `host` is an address literal that may not be reached. */
  checkLiteral(host: string, field?: string): void;
  /** True when the host may be reached (the name itself is allowlisted or the address is not blocked). */
  allowsAddress(host: string, address: string): boolean;
  /** Resolves like `dns.lookup`, dropping addresses that may not be reached; fails when none remains. */
  readonly lookup: SocketLookup;
}

function blockedError(host: string, addresses: readonly string[], field?: string) {
  const where = field ? `${field}: ` : "";
  return new DestinationBlockedError(
    `${where}${host} resolves to ${addresses.join(", ") || "no address"}, a loopback, private, link-local or metadata address; add it to notifications.allowedHosts to allow it`,
    { host, addresses, ...(field ? { field } : {}) },
  );
}

/** Builds the guard from the allowlist. */
export function destinationGuard(options: DestinationGuardOptions = {}): DestinationGuard {
  const names = new Set<string>();
  const allowed = new BlockList();
  for (const entry of options.allowedHosts ?? []) {
    const [net, prefix] = entry.split("/");
    const family = isIP(net ?? "");
    if (family === 0) names.add(entry.toLowerCase().replace(/\.$/, ""));
    else if (prefix === undefined) allowed.addAddress(net!, family === 4 ? "ipv4" : "ipv6");
    else allowed.addSubnet(net!, Number(prefix), family === 4 ? "ipv4" : "ipv6");
  }
  const resolve = options.lookup ?? systemLookup;

  const addressAllowed = (address: string) => {
    const family = isIP(address);
    if (family === 0) return false;
    const type = family === 4 ? "ipv4" : "ipv6";
    if (allowed.check(address.split("%")[0]!, type)) return true;
    const v4 = family === 6 ? embeddedIpv4(address) : undefined;
    if (v4 !== undefined && allowed.check(v4, "ipv4")) return true;
    return !isBlockedAddress(address);
  };
  const nameAllowed = (host: string) => names.has(host.toLowerCase().replace(/\.$/, ""));

  return {
    checkLiteral(host, field) {
      const bare = host.replace(/^\[|\]$/g, "");
      if (isIP(bare) !== 0 && !nameAllowed(bare) && !addressAllowed(bare))
        throw blockedError(bare, [bare], field);
    },
    allowsAddress(host, address) {
      return nameAllowed(host) || addressAllowed(address);
    },
    lookup(hostname, lookupOptions, callback) {
      const bare = hostname.replace(/^\[|\]$/g, "");
      const answer = (addresses: readonly LookupAddress[]) => {
        const wanted = Number(lookupOptions.family ?? 0);
        const usable = addresses.filter(
          (a) => (wanted === 0 || a.family === wanted) && (nameAllowed(bare) || addressAllowed(a.address)),
        );
        if (usable.length === 0)
          return callback(
            blockedError(
              bare,
              addresses.map((a) => a.address),
            ),
          );
        if (lookupOptions.all) return callback(null, usable);
        return callback(null, usable[0]!.address, usable[0]!.family);
      };
      const family = isIP(bare);
      if (family !== 0) return answer([{ address: bare, family }]);
      resolve(bare, (error, addresses) => {
        if (error) return callback(error);
        answer(addresses);
      });
    },
  };
}
