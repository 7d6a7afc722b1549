import type { Command } from "commander";
import { CliUsageError } from "../cli/errors.js";
import { clientFrom } from "../cli/global-options.js";
import { parseOutputFormat, printRows } from "../cli/output.js";
import { parseDuration } from "./duration.js";
import type { LogPageDto } from "./event-log.schemas.js";
import { parseWhen } from "./ticket.commands.js";

const collect = (value: string, previous: string[]) => [...previous, value];

/** `nines log search`: the event log of a running nines. */
export function registerEventLogCommands(program: Command): void {
  const log = program.command("log").description("the event log: signals kept for analysis");

  log
    .command("search [words...]")
    .description(
      'search the event log, newest first (nines log search --service db -m env=prod --since 6h "disk")',
    )
    .option("--service <service>", "only this service")
    .option(
      "-m, --match <matcher>",
      'label matcher, repeatable: env=prod, severity!=info, zone=~"eu-.*"',
      collect,
      [],
    )
    .option("--since <duration>", "from this long ago (1h, 2d)")
    .option("--from <when>", "from this date (2026-03-20T10:00Z)")
    .option("--to <when>", "until this date")
    .option("--limit <n>", "entries per page (1-1000)", "100")
    .option("--cursor <cursor>", "continue after a previous page")
    .option("--output <format>", "table or json", "table")
    .action(
      async (
        words: string[],
        options: {
          service?: string;
          match: string[];
          since?: string;
          from?: string;
          to?: string;
          limit: string;
          cursor?: string;
          output: string;
        },
        command: Command,
      ) => {
        const format = parseOutputFormat(options.output);
        if (options.since !== undefined && options.from !== undefined)
          throw new CliUsageError("give --since or --from, not both");
        const query = new URLSearchParams();
        if (options.service) query.set("service", options.service);
        for (const m of options.match) query.append("match", m);
        if (words.length > 0) query.set("q", words.join(" "));
        if (options.since !== undefined) {
          const ms = parseDuration(options.since);
          if (ms === undefined)
            throw new CliUsageError(`--since "${options.since}" is not a duration (1h, 2d)`);
          query.set("from", String(Date.now() - ms));
        }
        if (options.from !== undefined) query.set("from", String(parseWhen(options.from, "--from")));
        if (options.to !== undefined) query.set("to", String(parseWhen(options.to, "--to")));
        if (!/^\d+$/.test(options.limit))
          throw new CliUsageError(`--limit "${options.limit}" is not a number`);
        query.set("limit", options.limit);
        if (options.cursor) query.set("cursor", options.cursor);
        const page = await clientFrom(command).request<LogPageDto>("GET", `/api/v1/logs?${query}`);
        if (format === "json") {
          process.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
          return;
        }
        printRows(
          page.entries.map((e) => ({
            at: new Date(e.at).toISOString().replace("T", " ").slice(0, 19),
            service: e.service,
            source: e.source,
            title: e.title,
            labels: Object.entries(e.labels)
              .map(([k, v]) => `${k}=${v}`)
              .join(" "),
          })),
          format,
        );
        if (page.nextCursor) process.stderr.write(`more: --cursor ${page.nextCursor}\n`);
      },
    );
}
