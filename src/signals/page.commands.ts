import { type Command, Option } from "commander";
import { CliUsageError } from "../cli/errors.js";
import { clientFrom } from "../cli/global-options.js";
import { parseOutputFormat, printRows } from "../cli/output.js";
import { parseLabelArgs } from "./label-args.js";
import type { PageView } from "./signals.schemas.js";

const STATUSES = ["open", "triggered", "acknowledged", "resolved"] as const;

function pageId(text: string): number {
  if (!/^[1-9]\d{0,15}$/.test(text))
    throw new CliUsageError(`"${text}" is not a page id (a positive number)`);
  return Number(text);
}

const iso = (ms: number | null) =>
  ms === null ? null : new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

function pageRow(p: PageView) {
  return {
    id: p.id,
    status: p.status,
    service: p.service,
    team: p.team,
    title: p.title,
    created: iso(p.createdAt),
    ackedBy: p.ackedBy,
    resolvedBy: p.resolvedBy,
  };
}

/**
 * `nines page list|ack|resolve` and `nines signal send`: act on the pages of a running nines and
 * send it signals, through its API (`--url`/NINES_URL, `--token`/NINES_TOKEN).
 */
export function registerPageCommands(program: Command): void {
  const page = program.command("page").description("pages of a running nines: list, acknowledge, resolve");

  page
    .command("list")
    .description("list pages, newest first (open ones by default)")
    .addOption(new Option("--status <status>", "which pages").choices([...STATUSES]).default("open"))
    .option("--service <service>", "only this service")
    .option("--output <format>", "table or json", "table")
    .action(async (options: { status: string; service?: string; output: string }, command: Command) => {
      const format = parseOutputFormat(options.output);
      const query = new URLSearchParams({ status: options.status });
      if (options.service) query.set("service", options.service);
      const pages = await clientFrom(command).request<PageView[]>("GET", `/api/v1/pages?${query.toString()}`);
      printRows(format === "json" ? pages : pages.map(pageRow), format);
    });

  for (const [verb, action, done] of [
    ["ack", "ack", "acknowledged"],
    ["resolve", "resolve", "resolved"],
  ] as const) {
    page
      .command(`${verb} <id>`)
      .description(`${verb === "ack" ? "acknowledge a page (stops its escalation)" : "resolve a page"}`)
      .option("--output <format>", "table or json", "table")
      .action(async (id: string, options: { output: string }, command: Command) => {
        const format = parseOutputFormat(options.output);
        const result = await clientFrom(command).request<PageView>(
          "POST",
          `/api/v1/pages/${pageId(id)}/${action}`,
        );
        if (format === "json") printRows([result], format);
        else
          process.stdout.write(
            `page ${result.id} ${result.status === done ? done : result.status}: ${result.title}\n`,
          );
      });
  }

  const signal = program.command("signal").description("send signals to a running nines");
  signal
    .command("send [labels...]")
    .description("send one signal (labels as name=value); prints its outcome and the rule that decided it")
    .requiredOption("--service <service>", "the service it concerns")
    .requiredOption("--title <title>", "what happened (also the alertname unless a label sets it)")
    .option("--source <source>", "where it comes from", "api")
    .option("--severity <severity>", "the sender's severity word", "warning")
    .option("--team <team>", "owning team")
    .option("--description <text>", "more detail")
    .option(
      "--fingerprint <key>",
      "deduplication key (derived from source, service, title and labels if unset)",
    )
    .option("--resolved", "the condition has ended")
    .option("--output <format>", "table or json", "table")
    .action(
      async (
        labelArgs: string[],
        options: {
          service: string;
          title: string;
          source: string;
          severity: string;
          team?: string;
          description?: string;
          fingerprint?: string;
          resolved?: boolean;
          output: string;
        },
        command: Command,
      ) => {
        const format = parseOutputFormat(options.output);
        let labels: Record<string, string>;
        try {
          labels = { ...parseLabelArgs(labelArgs) };
        } catch (error) {
          throw new CliUsageError(
            error instanceof Error ? error.message : String(error),
            (error as { details?: unknown }).details,
          );
        }
        const body = {
          source: options.source,
          service: options.service,
          title: options.title,
          severity: options.severity,
          labels,
          ...(options.team ? { team: options.team } : {}),
          ...(options.description ? { description: options.description } : {}),
          ...(options.fingerprint ? { fingerprint: options.fingerprint } : {}),
          ...(options.resolved ? { resolved: true } : {}),
        };
        const { results } = await clientFrom(command).request<{
          results: {
            fingerprint: string;
            outcome: string;
            rule: { path: string; name: string };
            status: string;
            duplicate: boolean;
            muted: { reason: string; by: string } | null;
            pageId: number | null;
            ticketId: string | null;
          }[];
        }>("POST", "/api/v1/signals", body);
        if (format === "json") {
          printRows(results, format);
          return;
        }
        for (const r of results) {
          const held = r.muted ? ` (held: ${r.muted.reason} by ${r.muted.by})` : "";
          const opened =
            r.pageId !== null ? ` page ${r.pageId}` : r.ticketId !== null ? ` ticket ${r.ticketId}` : "";
          process.stdout.write(
            `${r.outcome} by ${r.rule.name} (${r.rule.path})${opened}${held}${r.duplicate ? " [duplicate]" : ""}\n  fingerprint ${r.fingerprint} ${r.status}\n`,
          );
        }
      },
    );
}
