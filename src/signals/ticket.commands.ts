import { type Command, Option } from "commander";
import { CliUsageError } from "../cli/errors.js";
import { clientFrom } from "../cli/global-options.js";
import { parseOutputFormat, printRows } from "../cli/output.js";
import { parseDuration } from "./duration.js";
import type { TicketDetailDto, TicketDto } from "./tickets.schemas.js";

const STATUSES = ["open", "in-progress", "done", "wont-do"] as const;
const PRIORITIES = ["p1", "p2", "p3", "p4"] as const;

/** An instant from the command line: a duration from now ("2d", "36h") or a date ("2026-03-20", "2026-03-20T12:00Z"). */
export function parseWhen(text: string, option: string, now = Date.now()): number {
  const duration = parseDuration(text);
  if (duration !== undefined) return now + duration;
  const at = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(at))
    throw new CliUsageError(
      `${option} "${text}" is neither a duration (2d, 36h) nor a date (2026-03-20, 2026-03-20T12:00Z)`,
    );
  return at;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace("T", " ");
const short = (text: string, n = 60) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);

function ticketRow(t: TicketDto) {
  return {
    id: t.id,
    priority: t.priority,
    status: t.status,
    team: t.team,
    service: t.service,
    title: short(t.title),
    assignee: t.assignee,
    due: `${day(t.dueAt)}${t.overdue ? " OVERDUE" : ""}`,
  };
}

function printTicket(t: TicketDetailDto, out: (line: string) => void): void {
  out(`#${t.id} ${t.title}`);
  out(`  status    ${t.status}${t.overdue ? " (overdue)" : ""}`);
  out(`  priority  ${t.priority}`);
  out(`  team      ${t.team ?? "-"}    service ${t.service}`);
  out(`  assignee  ${t.assignee ?? "-"}`);
  out(`  due       ${day(t.dueAt)} UTC`);
  out(`  opened    ${day(t.createdAt)} UTC by ${t.createdBy}${t.rule ? ` (rule ${t.rule})` : ""}`);
  if (t.description) out(`\n${t.description}`);
  if (t.signals.length > 0) {
    out(`\nsignals (${t.signals.length}, fingerprint ${t.fingerprint ?? "-"}):`);
    for (const s of t.signals.slice(-10)) out(`  ${day(s.linkedAt)}  ${s.signalId ?? "-"}`);
  }
  if (t.comments.length > 0) {
    out("\nactivity:");
    for (const c of t.comments)
      out(`  ${day(c.at)}  ${c.author}${c.kind === "change" ? " changed" : ":"} ${c.body}`);
  }
}

/** `nines ticket list|show|update|comment`: the ticket queue of a running nines. */
export function registerTicketCommands(program: Command): void {
  const ticket = program.command("ticket").description("tickets: work to do within days, queued per team");

  ticket
    .command("list")
    .description("list tickets, most pressing first (active ones unless --status says otherwise)")
    .option("--team <team>", "only this team's queue")
    .option("--overdue", "only active tickets past their due date")
    .option("--assignee <name>", "only tickets assigned to this person")
    .addOption(
      new Option("--status <status>", "one status, or active / closed / all")
        .choices([...STATUSES, "active", "closed", "all"])
        .default("active"),
    )
    .option("--output <format>", "table or json", "table")
    .action(
      async (
        options: { team?: string; overdue?: boolean; assignee?: string; status: string; output: string },
        command: Command,
      ) => {
        const format = parseOutputFormat(options.output);
        const query = new URLSearchParams();
        if (options.team) query.set("team", options.team);
        if (options.assignee) query.set("assignee", options.assignee);
        if (options.overdue) query.set("overdue", "true");
        if (options.status !== "all") query.set("status", options.status);
        const qs = query.toString();
        const tickets = await clientFrom(command).request<TicketDto[]>(
          "GET",
          `/api/v1/tickets${qs ? `?${qs}` : ""}`,
        );
        printRows(format === "json" ? tickets : tickets.map(ticketRow), format);
      },
    );

  ticket
    .command("show <id>")
    .description("show a ticket with its activity and the signals it was raised for")
    .option("--output <format>", "text or json", "text")
    .action(async (id: string, options: { output: string }, command: Command) => {
      if (options.output !== "text" && options.output !== "json")
        throw new CliUsageError(`--output must be "text" or "json", got "${options.output}"`);
      const t = await clientFrom(command).request<TicketDetailDto>(
        "GET",
        `/api/v1/tickets/${encodeURIComponent(id)}`,
      );
      if (options.output === "json") process.stdout.write(`${JSON.stringify(t, null, 2)}\n`);
      else printTicket(t, (line) => process.stdout.write(`${line}\n`));
    });

  ticket
    .command("update <id>")
    .description(
      "change a ticket's status, assignee, priority or due date (a closed ticket can only be reopened)",
    )
    .addOption(new Option("--status <status>", "new status").choices([...STATUSES]))
    .option("--assignee <name>", "assign to this person")
    .option("--unassign", "remove the assignee")
    .addOption(new Option("--priority <priority>", "new priority").choices([...PRIORITIES]))
    .option("--due <when>", "new due date: a duration from now (2d) or a date (2026-03-20)")
    .option("-m, --comment <text>", "also add this comment")
    .action(
      async (
        id: string,
        options: {
          status?: string;
          assignee?: string;
          unassign?: boolean;
          priority?: string;
          due?: string;
          comment?: string;
        },
        command: Command,
      ) => {
        if (options.assignee !== undefined && options.unassign)
          throw new CliUsageError("give --assignee or --unassign, not both");
        const patch: Record<string, unknown> = {};
        if (options.status) patch.status = options.status;
        if (options.assignee !== undefined) patch.assignee = options.assignee;
        if (options.unassign) patch.assignee = null;
        if (options.priority) patch.priority = options.priority;
        if (options.due !== undefined) patch.dueAt = parseWhen(options.due, "--due");
        if (Object.keys(patch).length === 0 && options.comment === undefined)
          throw new CliUsageError(
            "nothing to change: give --status, --assignee, --unassign, --priority, --due or --comment",
          );
        const client = clientFrom(command);
        const path = `/api/v1/tickets/${encodeURIComponent(id)}`;
        if (Object.keys(patch).length > 0) await client.request("PATCH", path, patch);
        if (options.comment !== undefined)
          await client.request("POST", `${path}/comments`, { body: options.comment });
        const t = await client.request<TicketDetailDto>("GET", path);
        process.stdout.write(
          `#${t.id} ${t.status} ${t.priority} assignee ${t.assignee ?? "-"} due ${day(t.dueAt)}\n`,
        );
      },
    );

  ticket
    .command("comment <id> <text>")
    .description("comment on a ticket")
    .action(async (id: string, text: string, _options: unknown, command: Command) => {
      await clientFrom(command).request("POST", `/api/v1/tickets/${encodeURIComponent(id)}/comments`, {
        body: text,
      });
      process.stdout.write(`commented on #${id}\n`);
    });
}
