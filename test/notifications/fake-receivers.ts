import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { createServer as createNetServer, type Socket } from "node:net";
import { Value } from "typebox/value";
import { PostableAlertsSchema } from "../../src/prometheus/alertmanager/postable-alert.js";

export interface ReceivedRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly json: unknown;
  readonly status: number;
}

export type Responder = (request: {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: unknown;
}) =>
  | { status: number; body?: unknown; headers?: Record<string, string> }
  | Promise<{ status: number; body?: unknown; headers?: Record<string, string> }>;

export interface FakeServer {
  readonly url: string;
  readonly port: number;
  readonly requests: ReceivedRequest[];
  /** Replaces how the server answers. */
  respond(responder: Responder): void;
  close(): Promise<void>;
}

/** A local HTTP server on 127.0.0.1 that records each request and answers through `responder`. */
export async function startFakeServer(responder: Responder): Promise<FakeServer> {
  let current = responder;
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const answer = await current({ path: req.url ?? "", headers: req.headers, body, json });
      requests.push({ path: req.url ?? "", headers: req.headers, body, json, status: answer.status });
      const text = typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body ?? {});
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
      res.end(text);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    respond(next) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * PagerDuty Events API v2 as documented (developer.pagerduty.com, "Send an Alert Event"): routing_key
 * and event_action (trigger | acknowledge | resolve) required; dedup_key ≤ 255 and required for
 * acknowledge/resolve; a trigger needs payload.summary (≤ 1024), payload.source and payload.severity
 * (critical | error | warning | info); timestamp ISO 8601; links [{href, text}]. Answers 202 or 400.
 */
export function pagerDutyProblems(json: unknown): string[] {
  const problems: string[] = [];
  if (typeof json !== "object" || json === null) return ["body is not a JSON object"];
  const event = json as Record<string, unknown>;
  const allowed = new Set([
    "routing_key",
    "event_action",
    "dedup_key",
    "payload",
    "images",
    "links",
    "client",
    "client_url",
  ]);
  for (const key of Object.keys(event)) if (!allowed.has(key)) problems.push(`unknown field ${key}`);
  if (typeof event["routing_key"] !== "string" || event["routing_key"] === "")
    problems.push("routing_key is required");
  const action = event["event_action"];
  if (action !== "trigger" && action !== "acknowledge" && action !== "resolve")
    problems.push("event_action must be trigger, acknowledge or resolve");
  const dedup = event["dedup_key"];
  if (dedup !== undefined && (typeof dedup !== "string" || dedup.length > 255))
    problems.push("dedup_key must be a string of at most 255 characters");
  if (action !== "trigger" && typeof dedup !== "string")
    problems.push("dedup_key is required to acknowledge/resolve");
  if (action === "trigger") {
    const payload = event["payload"] as Record<string, unknown> | undefined;
    if (typeof payload !== "object" || payload === null) problems.push("payload is required for trigger");
    else {
      const summary = payload["summary"];
      if (typeof summary !== "string" || summary.length === 0 || summary.length > 1024)
        problems.push("payload.summary must be 1..1024 characters");
      if (typeof payload["source"] !== "string" || payload["source"] === "")
        problems.push("payload.source is required");
      if (!["critical", "error", "warning", "info"].includes(payload["severity"] as string))
        problems.push("payload.severity must be critical, error, warning or info");
      const ts = payload["timestamp"];
      if (ts !== undefined && (typeof ts !== "string" || Number.isNaN(Date.parse(ts))))
        problems.push("payload.timestamp must be ISO 8601");
      const details = payload["custom_details"];
      if (details !== undefined && (typeof details !== "object" || details === null))
        problems.push("payload.custom_details must be an object");
    }
  }
  const links = event["links"];
  if (links !== undefined) {
    if (!Array.isArray(links)) problems.push("links must be an array");
    else
      for (const l of links as Record<string, unknown>[])
        if (typeof l["href"] !== "string") problems.push("links[].href is required");
  }
  return problems;
}

export async function startFakePagerDuty(): Promise<FakeServer> {
  return startFakeServer(({ path, json, headers }) => {
    if (path !== "/v2/enqueue") return { status: 404, body: { status: "not found" } };
    if (!String(headers["content-type"]).startsWith("application/json"))
      return { status: 400, body: { status: "invalid event", message: "content-type" } };
    const problems = pagerDutyProblems(json);
    if (problems.length > 0)
      return {
        status: 400,
        body: { status: "invalid event", message: "Event object is invalid", errors: problems },
      };
    return {
      status: 202,
      body: {
        status: "success",
        message: "Event processed",
        dedup_key: (json as { dedup_key?: string }).dedup_key,
      },
    };
  });
}

/**
 * Slack incoming webhooks (api.slack.com, "Sending messages using incoming webhooks" and Block Kit
 * reference): JSON with `text` and/or `blocks` (≤ 50); header = plain_text ≤ 150; section text
 * ≤ 3000 and ≤ 10 fields of ≤ 2000; actions ≤ 25 elements, buttons with plain_text ≤ 75 and url
 * ≤ 3000; context ≤ 10 elements. Answers 200 "ok" or 400 "invalid_blocks"/"no_text".
 */
export function slackProblems(json: unknown): string[] {
  const problems: string[] = [];
  if (typeof json !== "object" || json === null) return ["invalid_payload"];
  const body = json as { text?: unknown; blocks?: unknown };
  if (typeof body.text !== "string" && body.blocks === undefined) problems.push("no_text");
  if (body.blocks !== undefined) {
    if (!Array.isArray(body.blocks) || body.blocks.length > 50)
      return [...problems, "invalid_blocks: blocks"];
    for (const [i, block] of (body.blocks as Record<string, unknown>[]).entries()) {
      const text = block["text"] as { type?: string; text?: string } | undefined;
      switch (block["type"]) {
        case "header":
          if (text?.type !== "plain_text" || !text.text || text.text.length > 150)
            problems.push(`invalid_blocks: blocks[${i}] header text must be plain_text ≤ 150`);
          break;
        case "section": {
          if (
            text &&
            (!text.text || text.text.length > 3000 || !["mrkdwn", "plain_text"].includes(text.type ?? ""))
          )
            problems.push(`invalid_blocks: blocks[${i}] section text`);
          const fields = block["fields"] as { type?: string; text?: string }[] | undefined;
          if (!text && !fields) problems.push(`invalid_blocks: blocks[${i}] section needs text or fields`);
          if (fields && (fields.length > 10 || fields.some((f) => !f.text || f.text.length > 2000)))
            problems.push(`invalid_blocks: blocks[${i}] fields`);
          break;
        }
        case "actions": {
          const elements = block["elements"] as Record<string, unknown>[];
          if (!Array.isArray(elements) || elements.length === 0 || elements.length > 25)
            problems.push(`invalid_blocks: blocks[${i}] elements`);
          for (const e of elements ?? []) {
            const label = e["text"] as { type?: string; text?: string } | undefined;
            if (
              e["type"] !== "button" ||
              label?.type !== "plain_text" ||
              !label.text ||
              label.text.length > 75
            )
              problems.push(`invalid_blocks: blocks[${i}] button`);
            if (
              e["url"] !== undefined &&
              (typeof e["url"] !== "string" || (e["url"] as string).length > 3000)
            )
              problems.push(`invalid_blocks: blocks[${i}] button url`);
          }
          break;
        }
        case "context": {
          const elements = block["elements"] as unknown[];
          if (!Array.isArray(elements) || elements.length === 0 || elements.length > 10)
            problems.push(`invalid_blocks: blocks[${i}] context`);
          break;
        }
        default:
          problems.push(`invalid_blocks: blocks[${i}] type ${String(block["type"])}`);
      }
    }
  }
  return problems;
}

export async function startFakeSlack(): Promise<FakeServer> {
  return startFakeServer(({ json }) => {
    const problems = slackProblems(json);
    return problems.length > 0 ? { status: 400, body: problems[0] } : { status: 200, body: "ok" };
  });
}

/** A webhook endpoint that verifies X-Nines-Signature with the shared secret (401 when it does not match). */
export async function startSignedWebhook(secret: string): Promise<FakeServer> {
  return startFakeServer(({ headers, body }) => {
    const timestamp = String(headers["x-nines-timestamp"] ?? "");
    const signature = String(headers["x-nines-signature"] ?? "");
    const expected = `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
    const ok =
      signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
    return ok ? { status: 204 } : { status: 401, body: { error: "bad signature" } };
  });
}

/** Alertmanager's POST /api/v2/alerts: the body must be a postableAlerts array with labels. */
export async function startFakeAlertmanager(): Promise<FakeServer> {
  return startFakeServer(({ path, json }) => {
    if (path !== "/api/v2/alerts") return { status: 404 };
    if (!Value.Check(PostableAlertsSchema, json)) return { status: 400, body: "invalid postable alerts" };
    const alerts = json as { labels: Record<string, string> }[];
    if (
      alerts.some(
        (a) =>
          Object.keys(a.labels).length === 0 ||
          Object.keys(a.labels).some((k) => !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k)),
      )
    )
      return { status: 400, body: "invalid label name" };
    return { status: 200 };
  });
}

export interface ReceivedMail {
  readonly from: string;
  readonly to: string[];
  readonly data: string;
  readonly auth?: string;
}

/** A minimal SMTP server (EHLO, AUTH PLAIN, MAIL, RCPT, DATA, QUIT) that keeps what it receives. */
export async function startFakeSmtp(options: { rejectRcpt?: number } = {}) {
  const mails: ReceivedMail[] = [];
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.setEncoding("utf8");
    let buffer = "";
    let inData = false;
    let from = "";
    let to: string[] = [];
    let data: string[] = [];
    let auth: string | undefined;
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply("220 fake.smtp ESMTP");
    socket.on("data", (chunk: string) => {
      buffer += chunk;
      let i = buffer.indexOf("\r\n");
      while (i >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 2);
        i = buffer.indexOf("\r\n");
        if (inData) {
          if (line === ".") {
            inData = false;
            mails.push({ from, to, data: data.join("\r\n"), ...(auth ? { auth } : {}) });
            data = [];
            reply("250 2.0.0 queued");
          } else data.push(line.startsWith("..") ? line.slice(1) : line);
          continue;
        }
        const verb = line.split(" ")[0]!.toUpperCase();
        if (verb === "EHLO") {
          socket.write("250-fake.smtp\r\n250-AUTH PLAIN\r\n250 8BITMIME\r\n");
        } else if (verb === "AUTH") {
          auth = Buffer.from(line.split(" ")[2] ?? "", "base64").toString("utf8");
          reply("235 2.7.0 ok");
        } else if (verb === "MAIL") {
          from = /<(.*)>/.exec(line)?.[1] ?? "";
          to = [];
          reply("250 ok");
        } else if (verb === "RCPT") {
          if (options.rejectRcpt) reply(`${options.rejectRcpt} no such user`);
          else {
            to.push(/<(.*)>/.exec(line)?.[1] ?? "");
            reply("250 ok");
          }
        } else if (verb === "DATA") {
          inData = true;
          reply("354 go ahead");
        } else if (verb === "QUIT") {
          reply("221 bye");
          socket.end();
        } else reply("502 5.5.1 unrecognized command");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    port,
    mails,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
