import type { Command } from "commander";
import { CliUsageError } from "../cli/errors.js";
import { clientFrom } from "../cli/global-options.js";
import { parseOutputFormat, printRows } from "../cli/output.js";

type ReceiverRow = {
  name: string;
  type: string;
  description?: string;
  config: Record<string, unknown>;
  updatedAt: number;
  updatedBy: string;
};
type NotificationRow = {
  id: number;
  target: { type: string; receiverId?: string; personId?: string };
  message: { event: string; title: string; subject: { kind: string; id: string } };
  status: string;
  attempts: number;
  createdAt: number;
  nextAttemptAt: number;
  lastError?: string;
  attemptLog?: {
    attempt: number;
    at: number;
    receiver: string;
    outcome: string;
    statusCode?: number;
    error?: string;
    durationMs: number;
  }[];
};

export interface NotificationCommandIo {
  out(line: string): void;
  err(line: string): void;
}
const processIo: NotificationCommandIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
const target = (n: NotificationRow) =>
  n.target.type === "person" ? `person:${n.target.personId}` : (n.target.receiverId ?? "-");

/**
 * `nines receiver list|add|delete|test` and `nines notification list|show`: receivers and the
 * notification outbox of a running nines (`--url`/NINES_URL, `--token`/NINES_TOKEN).
 */
export function registerNotificationCommands(program: Command, io: NotificationCommandIo = processIo): void {
  const receiver = program.command("receiver").description("receivers notifications are delivered to");

  receiver
    .command("list")
    .description("list receivers (secrets masked)")
    .option("--output <format>", "table or json", "table")
    .action(async (options: { output: string }, command: Command) => {
      const format = parseOutputFormat(options.output);
      const rows = await clientFrom(command).request<ReceiverRow[]>("GET", "/api/v1/receivers");
      printRows(
        format === "json"
          ? rows
          : rows.map((r) => ({
              name: r.name,
              type: r.type,
              target: String(
                r.config["url"] ??
                  r.config["baseUrl"] ??
                  (r.config["to"] as string[] | undefined)?.join(",") ??
                  "-",
              ),
              updated: iso(r.updatedAt),
              by: r.updatedBy,
            })),
        format,
      );
    });

  receiver
    .command("add <name>")
    .description("create a receiver (admin token): webhook, slack, pagerduty, alertmanager or email")
    .requiredOption("--type <type>", "webhook, slack, pagerduty, alertmanager or email")
    .option("--endpoint <url>", "webhook, Slack or Alertmanager URL (config.url; --url is the nines server)")
    .option("--secret <secret>", "webhook HMAC secret (at least 16 characters)")
    .option("--routing-key <key>", "PagerDuty Events API v2 integration key")
    .option("--base-url <url>", "PagerDuty Events API base URL")
    .option("--to <addresses...>", "email recipients")
    .option("--config <json>", "any other settings, as a JSON object (merged with the options above)")
    .option("--description <text>", "what the receiver is for")
    .action(
      async (
        name: string,
        options: {
          type: string;
          endpoint?: string;
          secret?: string;
          routingKey?: string;
          baseUrl?: string;
          to?: string[];
          config?: string;
          description?: string;
        },
        command: Command,
      ) => {
        let extra: Record<string, unknown> = {};
        if (options.config) {
          try {
            extra = JSON.parse(options.config) as Record<string, unknown>;
          } catch {
            throw new CliUsageError("--config must be a JSON object");
          }
          if (typeof extra !== "object" || extra === null || Array.isArray(extra))
            throw new CliUsageError("--config must be a JSON object");
        }
        const config = {
          ...extra,
          ...(options.endpoint ? { url: options.endpoint } : {}),
          ...(options.secret ? { secret: options.secret } : {}),
          ...(options.routingKey ? { routingKey: options.routingKey } : {}),
          ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
          ...(options.to ? { to: options.to } : {}),
        };
        const created = await clientFrom(command).request<ReceiverRow>("POST", "/api/v1/receivers", {
          name,
          type: options.type,
          config,
          ...(options.description ? { description: options.description } : {}),
        });
        io.out(`created receiver ${created.name} (${created.type})`);
      },
    );

  receiver
    .command("delete <name>")
    .description("delete a receiver (admin token)")
    .action(async (name: string, _options: unknown, command: Command) => {
      await clientFrom(command).request("DELETE", `/api/v1/receivers/${encodeURIComponent(name)}`);
      io.out(`deleted receiver ${name}`);
    });

  receiver
    .command("test <name>")
    .description(
      "send a test notification through the outbox and wait for the receiver's answer (exit 1 if it fails)",
    )
    .option("--event <event>", "trigger, acknowledge or resolve", "trigger")
    .option("--wait <seconds>", "how long to wait for delivery", "30")
    .action(async (name: string, options: { event: string; wait: string }, command: Command) => {
      const waitMs = Number(options.wait) * 1000;
      if (!Number.isFinite(waitMs) || waitMs < 0)
        throw new CliUsageError("--wait must be a number of seconds");
      const client = clientFrom(command);
      const { subject } = await client.request<{ subject: string }>("POST", "/api/v1/notifications/test", {
        receiver: name,
        event: options.event,
      });
      const deadline = Date.now() + waitMs;
      let current: NotificationRow | undefined;
      for (;;) {
        const [found] = await client.request<NotificationRow[]>(
          "GET",
          `/api/v1/notifications?subject=${encodeURIComponent(subject)}&limit=1`,
        );
        current = found;
        if (current?.status !== "pending" || Date.now() >= deadline) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      if (!current) throw new CliUsageError(`the test notification ${subject} was not found`);
      const detail = await client.request<NotificationRow>("GET", `/api/v1/notifications/${current.id}`);
      for (const a of detail.attemptLog ?? [])
        io.out(
          `attempt ${a.attempt} ${iso(a.at)} ${a.receiver} ${a.outcome}${a.statusCode !== undefined ? ` ${a.statusCode}` : ""} ${Math.round(a.durationMs)} ms${a.error ? `: ${a.error}` : ""}`,
        );
      io.out(`notification ${detail.id} to ${name}: ${detail.status}`);
      if (detail.status !== "delivered") {
        if (detail.lastError) io.err(detail.lastError);
        process.exitCode = 1;
      }
    });

  const notification = program
    .command("notification")
    .description("the notification outbox: who was notified, when and how");

  notification
    .command("list")
    .description("list notifications, newest first")
    .option("--subject <subject>", 'kind or kind:id, e.g. "page:42"')
    .option("--status <status>", "pending, delivered or failed")
    .option("--receiver <name>", "receiver name or person id")
    .option("--limit <n>", "at most this many", "50")
    .option("--output <format>", "table or json", "table")
    .action(
      async (
        options: { subject?: string; status?: string; receiver?: string; limit: string; output: string },
        command: Command,
      ) => {
        const format = parseOutputFormat(options.output);
        const query = new URLSearchParams({ limit: options.limit });
        if (options.subject) query.set("subject", options.subject);
        if (options.status) query.set("status", options.status);
        if (options.receiver) query.set("receiver", options.receiver);
        const rows = await clientFrom(command).request<NotificationRow[]>(
          "GET",
          `/api/v1/notifications?${query}`,
        );
        printRows(
          format === "json"
            ? rows
            : rows.map((n) => ({
                id: n.id,
                created: iso(n.createdAt),
                event: n.message.event,
                subject: `${n.message.subject.kind}:${n.message.subject.id}`,
                to: target(n),
                status: n.status,
                attempts: n.attempts,
                error: n.lastError ?? "",
              })),
          format,
        );
      },
    );

  notification
    .command("show <id>")
    .description("one notification with every delivery attempt")
    .option("--output <format>", "table or json", "table")
    .action(async (id: string, options: { output: string }, command: Command) => {
      const format = parseOutputFormat(options.output);
      if (!/^\d+$/.test(id)) throw new CliUsageError(`"${id}" is not a notification id`);
      const n = await clientFrom(command).request<NotificationRow>("GET", `/api/v1/notifications/${id}`);
      if (format === "json") return printRows([n as unknown as Record<string, unknown>], format);
      io.out(
        `notification ${n.id}: ${n.message.event} ${n.message.subject.kind}:${n.message.subject.id} to ${target(n)}, ${n.status}`,
      );
      printRows(
        (n.attemptLog ?? []).map((a) => ({
          attempt: a.attempt,
          at: iso(a.at),
          receiver: a.receiver,
          outcome: a.outcome,
          status: a.statusCode ?? "",
          ms: Math.round(a.durationMs),
          error: a.error ?? "",
        })),
        format,
      );
    });
}
