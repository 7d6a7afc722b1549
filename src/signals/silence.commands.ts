import { type Command, Option } from "commander";
import { CliUsageError } from "../cli/errors.js";
import { clientFrom } from "../cli/global-options.js";
import { parseOutputFormat, printRows } from "../cli/output.js";
import type { SilenceDto } from "./silences.schemas.js";
import { parseWhen } from "./ticket.commands.js";

const when = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace("T", " ");

/** `nines silence add|list|expire`, like amtool's silence commands. */
export function registerSilenceCommands(program: Command): void {
  const silence = program.command("silence").description("silences: mute matching signals for a while");

  silence
    .command("add <matchers...>")
    .description("silence signals matching every matcher (service=db 'env=~\"prod|staging\"' severity!=info)")
    .option("-d, --duration <duration>", "how long, from the start (30m, 2h, 1d)")
    .option("--start <when>", "start: a date (2026-03-20T22:00Z) or a duration from now; default now")
    .option("--end <when>", "end instead of --duration: a date or a duration from now")
    .requiredOption("-c, --comment <text>", "why (required)")
    .option("--output <format>", "text or json", "text")
    .action(
      async (
        matchers: string[],
        options: { duration?: string; start?: string; end?: string; comment: string; output: string },
        command: Command,
      ) => {
        if ((options.duration === undefined) === (options.end === undefined))
          throw new CliUsageError("give exactly one of --duration or --end");
        const body: Record<string, unknown> = { matchers, comment: options.comment };
        if (options.start !== undefined) body.startsAt = parseWhen(options.start, "--start");
        if (options.end !== undefined) body.endsAt = parseWhen(options.end, "--end");
        if (options.duration !== undefined) body.duration = options.duration;
        const s = await clientFrom(command).request<SilenceDto>("POST", "/api/v1/silences", body);
        process.stdout.write(
          options.output === "json"
            ? `${JSON.stringify(s, null, 2)}\n`
            : `${s.id} ${s.state} until ${when(s.endsAt)} UTC: ${s.matchers.join(", ")}\n`,
        );
      },
    );

  silence
    .command("list")
    .description("list silences with their state (active and pending unless --state says otherwise)")
    .addOption(
      new Option("--state <state>", "pending, active, expired or all").choices([
        "pending",
        "active",
        "expired",
        "all",
      ]),
    )
    .option("--output <format>", "table or json", "table")
    .action(async (options: { state?: string; output: string }, command: Command) => {
      const format = parseOutputFormat(options.output);
      const client = clientFrom(command);
      const get = (state?: string) =>
        client.request<SilenceDto[]>("GET", `/api/v1/silences${state ? `?state=${state}` : ""}`);
      const silences =
        options.state === undefined
          ? [...(await get("active")), ...(await get("pending"))]
          : await get(options.state === "all" ? undefined : options.state);
      printRows(
        format === "json"
          ? silences
          : silences.map((s) => ({
              id: s.id,
              state: s.state,
              matchers: s.matchers.join(" "),
              starts: when(s.startsAt),
              ends: when(s.endsAt),
              by: s.createdBy,
              comment: s.comment,
            })),
        format,
      );
    });

  silence
    .command("expire <ids...>")
    .description("end silences now")
    .action(async (ids: string[], _options: unknown, command: Command) => {
      const client = clientFrom(command);
      for (const id of ids) {
        const s = await client.request<SilenceDto>("DELETE", `/api/v1/silences/${encodeURIComponent(id)}`);
        process.stdout.write(`${s.id} expired\n`);
      }
    });
}
