import { existsSync, readFileSync } from "node:fs";
import { type Command, Option } from "commander";
import { CliUsageError } from "../cli/errors.js";
import { clientFrom } from "../cli/global-options.js";
import { formatTable } from "../cli/output.js";
import { isNinesError } from "../errors/index.js";
import type { FieldError } from "../schema/field-errors.js";
import type { ApplyResult, CheckView, OnCallNow, ShiftsView } from "./oncall.schemas.js";
import { formatLocated, type LocatedError, parseOncallYaml } from "./oncall-yaml.js";
import type { PageLoadView } from "./page-load.schemas.js";

/** Where commands write; tests pass their own. */
export interface OncallIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: OncallIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

const formatters = new Map<string, Intl.DateTimeFormat>();

/** "2026-03-30 09:00 GMT+2" in the given zone (the schedule's, or `--tz`). */
export function formatInstant(ms: number, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("sv-SE", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZoneName: "short",
    });
    formatters.set(timeZone, f);
  }
  return f.format(ms);
}

/** Accepts epoch ms or ISO 8601 (passed through to the API, which validates it). */
function instantArg(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (/^-?\d+$/.test(value) || !Number.isNaN(Date.parse(value))) return value;
  throw new CliUsageError(`${name} "${value}" is not an ISO 8601 time or epoch milliseconds`);
}

const output = () =>
  new Option("-o, --output <format>", "output format").choices(["table", "json"]).default("table");
const zoneOption = () =>
  new Option("--tz <zone>", "show times in this IANA zone (default: each schedule's zone)");

const query = (params: Record<string, string | undefined>) => {
  const entries = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined);
  return entries.length === 0 ? "" : `?${new URLSearchParams(entries).toString()}`;
};
const enc = encodeURIComponent;

/**
 * `nines oncall now|shifts|check|load|apply|take-over|notify-next|export`: on-call on a running nines
 * through its API (`--url`/NINES_URL, `--token`/NINES_TOKEN).
 */
export function registerOncallCommands(program: Command, io: OncallIo = processIo): void {
  const oncall = program
    .command("oncall")
    .description(
      "who is on call, schedules and their shifts, overrides and take-over, the on-call setup as YAML",
    );

  oncall
    .command("now")
    .description(
      "who is on call now (or at --at) for every team, or one team, with until when and who is next",
    )
    .option("--team <team>", "team id or name")
    .option("--at <time>", "ISO 8601 time or epoch ms (default: now)")
    .addOption(zoneOption())
    .addOption(output())
    .action(
      async (
        options: { team?: string; at?: string; tz?: string; output: "table" | "json" },
        command: Command,
      ) => {
        const result = await clientFrom(command).request<OnCallNow>(
          "GET",
          `/api/v1/oncall/now${query({ team: options.team, at: instantArg(options.at, "--at") })}`,
        );
        if (options.output === "json") return io.out(JSON.stringify(result, null, 2));
        if (result.entries.length === 0)
          return io.out("(no schedules: apply an on-call document with `nines oncall apply -f oncall.yaml`)");
        io.out(
          tableText(
            result.entries.map((e) => {
              const zone = options.tz ?? e.schedule.timeZone;
              return {
                team: e.team?.name ?? "-",
                schedule: e.schedule.id,
                onCall: e.person?.name ?? e.personId ?? "NOBODY (gap)",
                via: e.override ? "override" : (e.layer?.name ?? "-"),
                until: formatInstant(e.until, zone),
                contact: e.person?.contacts[0]?.address ?? "-",
                next: e.next ? `${e.next.name} at ${formatInstant(e.next.start, zone)}` : "-",
              };
            }),
          ),
        );
        if (result.entries.some((e) => e.personId === null)) process.exitCode = 1;
      },
    );

  oncall
    .command("shifts <schedule>")
    .description("the final timeline of a schedule, gaps included (default: the next 14 days)")
    .option("--from <time>", "ISO 8601 time or epoch ms (default: now)")
    .option("--to <time>", "ISO 8601 time or epoch ms (default: 14 days after --from)")
    .addOption(zoneOption())
    .addOption(output())
    .action(
      async (
        schedule: string,
        options: { from?: string; to?: string; tz?: string; output: "table" | "json" },
        command: Command,
      ) => {
        const view = await clientFrom(command).request<ShiftsView>(
          "GET",
          `/api/v1/schedules/${enc(schedule)}/shifts${query({
            from: instantArg(options.from, "--from"),
            to: instantArg(options.to, "--to"),
          })}`,
        );
        if (options.output === "json") return io.out(JSON.stringify(view, null, 2));
        const zone = options.tz ?? view.schedule.timeZone;
        const names = new Map(view.people.map((p) => [p.id, p.name]));
        const layers = new Map(view.layers.map((l) => [l.id, l.name]));
        io.out(`${view.schedule.name} (${view.schedule.id}), times in ${zone}`);
        io.out(
          tableText(
            view.shifts.map((s) => ({
              start: formatInstant(s.start, zone),
              end: formatInstant(s.end, zone),
              onCall: s.personId === null ? "NOBODY (gap)" : (names.get(s.personId) ?? s.personId),
              via: s.override ? "override" : s.layerId === null ? "-" : (layers.get(s.layerId) ?? s.layerId),
            })),
          ),
        );
      },
    );

  oncall
    .command("check <schedule>")
    .description("gaps (nobody on call) and unequal load over the next weeks; exit 1 when there are any")
    .option("--weeks <n>", "weeks to look ahead", "4")
    .option("--tolerance <fraction>", "allowed deviation from the mean hours, e.g. 0.25", "0.25")
    .option("--from <time>", "ISO 8601 time or epoch ms (default: now)")
    .addOption(zoneOption())
    .addOption(output())
    .action(
      async (
        schedule: string,
        options: { weeks: string; tolerance: string; from?: string; tz?: string; output: "table" | "json" },
        command: Command,
      ) => {
        if (!/^\d+$/.test(options.weeks))
          throw new CliUsageError(`--weeks must be a whole number, got "${options.weeks}"`);
        if (!(Number(options.tolerance) >= 0))
          throw new CliUsageError(`--tolerance must be a non-negative number`);
        const client = clientFrom(command);
        const check = await client.request<CheckView>(
          "GET",
          `/api/v1/schedules/${enc(schedule)}/check${query({
            weeks: options.weeks,
            tolerance: options.tolerance,
            from: instantArg(options.from, "--from"),
          })}`,
        );
        if (options.output === "json") io.out(JSON.stringify(check, null, 2));
        else {
          const zone = options.tz ?? "UTC";
          io.out(
            `${check.ok ? "ok" : "problems"}: ${check.gaps.length} gap(s), ${check.imbalances.length} imbalance(s) over ${check.weeks} week(s)`,
          );
          for (const g of check.gaps)
            io.out(
              `  gap        ${formatInstant(g.start, zone)} → ${formatInstant(g.end, zone)} (${((g.end - g.start) / 3_600_000).toFixed(1)} h)`,
            );
          for (const i of check.imbalances)
            io.out(
              `  imbalance  ${i.personId}: ${i.hours.toFixed(1)} h vs mean ${i.meanHours.toFixed(1)} h (${i.deviation > 0 ? "+" : ""}${(i.deviation * 100).toFixed(0)}%)`,
            );
          io.out(
            tableText(
              Object.entries(check.hoursByPerson).map(([person, hours]) => ({
                person,
                hours: hours.toFixed(1),
              })),
            ),
          );
        }
        if (!check.ok) process.exitCode = 1;
      },
    );

  oncall
    .command("load <schedule>")
    .description(
      "pages per shift of a schedule (default: the last 28 days) against the SRE book's guide of two per 12 hours; exit 1 when a shift is above it",
    )
    .option("--from <time>", "ISO 8601 time or epoch ms (default: 28 days before --to)")
    .option("--to <time>", "ISO 8601 time or epoch ms (default: now)")
    .option("--json", "print the answer as JSON (same as -o json)")
    .addOption(zoneOption())
    .addOption(output())
    .action(
      async (
        schedule: string,
        options: { from?: string; to?: string; json?: boolean; tz?: string; output: "table" | "json" },
        command: Command,
      ) => {
        const load = await clientFrom(command).request<PageLoadView>(
          "GET",
          `/api/v1/schedules/${enc(schedule)}/page-load${query({
            from: instantArg(options.from, "--from"),
            to: instantArg(options.to, "--to"),
          })}`,
        );
        if (options.json || options.output === "json") io.out(JSON.stringify(load, null, 2));
        else {
          const zone = options.tz ?? load.schedule.timeZone;
          io.out(
            `${load.schedule.name} (${load.schedule.id}), times in ${zone}: ${load.totalPages} page(s), ${load.overloadedShifts} shift(s) above ${load.guide.pagesPer12Hours} per 12 h${load.unattended > 0 ? `, ${load.unattended} in gaps` : ""}${load.truncated ? " (truncated)" : ""}`,
          );
          io.out(
            tableText(
              load.shifts.map((s) => ({
                start: formatInstant(s.start, zone),
                end: formatInstant(s.end, zone),
                onCall: s.name ?? "NOBODY (gap)",
                pages: s.pages,
                limit: s.limit,
                flag: s.overloaded ? "ABOVE GUIDE" : "",
              })),
            ),
          );
          io.out("");
          io.out(
            tableText(
              load.people.map((p) => ({
                person: p.name,
                shifts: p.shifts,
                hours: p.hours.toFixed(1),
                pages: p.pages,
                per12h: p.pagesPer12Hours.toFixed(2),
                aboveGuide: p.overloadedShifts,
              })),
            ),
          );
        }
        if (load.overloadedShifts > 0) process.exitCode = 1;
      },
    );

  oncall
    .command("apply")
    .description(
      "apply an on-call document (people, teams, services, schedules, escalation policies) to a running nines, all or nothing",
    )
    .requiredOption("-f, --file <file>", "YAML or JSON document")
    .option("--prune", "delete objects the document does not name")
    .option("--dry-run", "validate on the server without storing")
    .action(async (options: { file: string; prune?: boolean; dryRun?: boolean }, command: Command) => {
      if (!existsSync(options.file)) throw new CliUsageError(`${options.file}: no such file`);
      const parsed = parseOncallYaml(readFileSync(options.file, "utf8"));
      if (parsed.errors.length > 0) {
        for (const e of parsed.errors) io.err(formatLocated(options.file, e));
        process.exitCode = 1;
        return;
      }
      try {
        const result = await clientFrom(command).request<ApplyResult>(
          "PUT",
          `/api/v1/oncall/config${query({
            prune: options.prune ? "true" : undefined,
            dryRun: options.dryRun ? "true" : undefined,
          })}`,
          parsed.value ?? {},
        );
        for (const r of result.results)
          io.out(`${r.kind}/${r.id} ${r.outcome}${result.dryRun ? " (dry run)" : ""}`);
      } catch (error) {
        const details = isNinesError(error) ? (error.details as FieldError[] | null) : null;
        if (!Array.isArray(details) || details.length === 0 || typeof details[0]?.path !== "string")
          throw error;
        io.err(`error ${(error as { code: string }).code}`);
        for (const e of parsed.locate(details as LocatedError[])) io.err(formatLocated(options.file, e));
        process.exitCode = 1;
      }
    });

  oncall
    .command("export")
    .description("print the on-call setup of a running nines as a document `oncall apply` takes (JSON)")
    .action(async (_options: unknown, command: Command) => {
      io.out(JSON.stringify(await clientFrom(command).request("GET", "/api/v1/oncall/config"), null, 2));
    });

  oncall
    .command("take-over <schedule>")
    .description('emergency take-over: "I take this shift now" until the end of the shift under way')
    .requiredOption("--person <id>", "your person id")
    .option("--reason <text>", "why, for the audit log and the schedule")
    .action(async (schedule: string, options: { person: string; reason?: string }, command: Command) => {
      const result = await clientFrom(command).request<{
        override: { personId: string; start: number; end: number };
        replaced: string | null;
      }>("POST", `/api/v1/schedules/${enc(schedule)}/take-over`, {
        personId: options.person,
        ...(options.reason === undefined ? {} : { reason: options.reason }),
      });
      io.out(
        `${result.override.personId} is on call for ${schedule} until ${new Date(result.override.end).toISOString()}${
          result.replaced === null ? " (there was a gap)" : ` (replacing ${result.replaced})`
        }`,
      );
    });

  oncall
    .command("notify-next <schedule>")
    .description("notify the next person on call for a schedule (queued in the notification outbox)")
    .option("--message <text>", "a note for them")
    .action(async (schedule: string, options: { message?: string }, command: Command) => {
      const result = await clientFrom(command).request<{
        personId: string | null;
        name: string | null;
        start: number | null;
        notified: boolean;
      }>(
        "POST",
        `/api/v1/schedules/${enc(schedule)}/notify-next`,
        options.message ? { message: options.message } : {},
      );
      if (result.personId === null || result.start === null) {
        io.out(`nobody else is on call for ${schedule} in the next 62 days`);
        process.exitCode = 1;
        return;
      }
      io.out(
        `${result.name} (${result.personId}) is next, from ${new Date(result.start).toISOString()}${result.notified ? "; notified" : ""}`,
      );
    });
}

function tableText(rows: readonly Record<string, unknown>[]): string {
  return formatTable(rows).trimEnd();
}
