import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  destinationGuard,
  embeddedIpv4,
  isBlockedAddress,
  type LookupFunction,
} from "../../src/notifications/destination-guard.js";
import { guardedHttp } from "../../src/notifications/http-post.js";
import { type FakeServer, startFakeServer } from "./fake-receivers.js";

describe("which addresses receivers may reach", () => {
  it.each([
    "127.0.0.1",
    "127.5.6.7",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "0.0.0.0",
    "100.64.0.1",
    "::1",
    "::",
    "fe80::1",
    "fd00:ec2::254",
    "fc00::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:169.254.169.254",
    "::ffff:a9fe:a9fe",
    "64:ff9b::a9fe:a9fe",
    "2002:7f00:1::",
    "::127.0.0.1",
    "255.255.255.255",
    "224.0.0.1",
  ])("blocks %s", (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  it.each(["8.8.8.8", "1.1.1.1", "172.32.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])(
    "allows %s",
    (address) => {
      expect(isBlockedAddress(address)).toBe(false);
    },
  );

  it("reads the IPv4 address inside mapped, NAT64 and 6to4 forms", () => {
    expect(embeddedIpv4("::ffff:10.0.0.1")).toBe("10.0.0.1");
    expect(embeddedIpv4("64:ff9b::0a00:0001")).toBe("10.0.0.1");
    expect(embeddedIpv4("2002:0a00:0001::")).toBe("10.0.0.1");
    expect(embeddedIpv4("2606:4700::1")).toBeUndefined();
  });
});

describe("the guard at connect time", () => {
  let server: FakeServer;
  beforeAll(async () => {
    server = await startFakeServer(({ path }) =>
      path === "/redirect" ? { status: 302, headers: { location: `${server.url}/landed` } } : { status: 200 },
    );
  });
  afterAll(async () => {
    await server.close();
  });
  const post = (allowedHosts: string[], url: string, lookup?: LookupFunction) => {
    const http = guardedHttp(destinationGuard({ allowedHosts, ...(lookup ? { lookup } : {}) }), {
      timeoutMs: 5_000,
    });
    return http.post(url, "{}", {}).finally(() => http.close());
  };

  it("refuses 127.0.0.1 by default and nothing reaches the server", async () => {
    const before = server.requests.length;
    await expect(post([], `${server.url}/x`)).rejects.toMatchObject({
      code: "NINES_ERR_NOTIFY_DESTINATION_BLOCKED",
    });
    expect(server.requests.length).toBe(before);
  });

  it("refuses a host name that resolves to loopback (localhost)", async () => {
    await expect(post([], `http://localhost:${server.port}/x`)).rejects.toMatchObject({
      code: "NINES_ERR_NOTIFY_DESTINATION_BLOCKED",
    });
  });

  it("refuses a public-looking name whose DNS answer is private (rebinding)", async () => {
    const rebinding = (
      _host: string,
      cb: (e: Error | null, a: { address: string; family: number }[]) => void,
    ) => cb(null, [{ address: "10.0.0.7", family: 4 }]);
    await expect(post([], "http://hooks.example.com/x", rebinding)).rejects.toMatchObject({
      code: "NINES_ERR_NOTIFY_DESTINATION_BLOCKED",
      details: { host: "hooks.example.com", addresses: ["10.0.0.7"] },
    });
  });

  it("connects only to the allowed address when a name resolves to a private and an allowlisted one", async () => {
    const mixed = (_host: string, cb: (e: Error | null, a: { address: string; family: number }[]) => void) =>
      cb(null, [
        { address: "169.254.169.254", family: 4 },
        { address: "127.0.0.1", family: 4 },
      ]);
    const answer = await post(["127.0.0.1/32"], `http://receiver.test:${server.port}/mixed`, mixed);
    expect(answer.status).toBe(200);
    expect(server.requests.at(-1)!.path).toBe("/mixed");
  });

  it("allows loopback with the allowlist (address or host name)", async () => {
    expect((await post(["127.0.0.1"], `${server.url}/ok`)).status).toBe(200);
    expect((await post(["localhost"], `http://localhost:${server.port}/ok`)).status).toBe(200);
  });

  it("does not follow redirects", async () => {
    const answer = await post(["127.0.0.1"], `${server.url}/redirect`);
    expect(answer.status).toBe(302);
    expect(server.requests.some((r) => r.path === "/landed")).toBe(false);
  });
});
