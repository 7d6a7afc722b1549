import { readFileSync, writeFileSync } from "node:fs";
import { type Command, Option } from "commander";
import { CliUnreachableError, CliUsageError } from "../cli/errors.js";
import { clientFrom } from "../cli/global-options.js";
import { parseOutputFormat, printRows } from "../cli/output.js";
import { NinesError } from "../errors/index.js";
import type { IncidentView, PostmortemView } from "./incident-api.schemas.js";

const SEVERITIES = ["SEV1", "SEV2", "SEV3", "SEV4"];
const STATUSES = ["investigating", "identified", "mitigated", "resolved", "open"];

const collect = (value: string, previous: string[] = []) => [...previous, value];

function iso(ms: number | undefined): string {
  return ms === undefined ? "-" : new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function enc(id: string): string {
  return encodeURIComponent(id);
}

function row(i: IncidentView) {
  return {
    id: i.id,
    severity: i.severity,
    status: i.status,
    title: i.title,
    services: i.services.join(","),
    source: i.source,
    declared: iso(i.declaredAt),
    postmortem: i.postmortem
      ? `${i.postmortem.id} (${i.postmortem.status})`
      : i.postmortemRequirement?.required
        ? "required"
        : "-",
  };
}

function parseErrorBody(
  text: string,
): { error?: { code: string; message: string; details: unknown } } | null {
  try {
    return JSON.parse(text) as { error?: { code: string; message: string; details: unknown } };
  } catch {
    return null;
  }
}

/** GET returning text (the Markdown export), with the API's errors turned into NinesError. */
async function getText(command: Command, path: string): Promise<string> {
  const { url, token } = command.optsWithGlobals<{ url: string; token?: string }>();
  const base = url.replace(/\/+$/, "");
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, {
      headers: {
        accept: "text/markdown, application/json",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new CliUnreachableError(
      `cannot reach nines at ${base}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const text = await response.text();
  if (!response.ok) {
    const body = parseErrorBody(text);
    throw new NinesError(
      body?.error?.code ?? CliUnreachableError.code,
      response.status,
      body?.error?.message ?? `GET ${path} answered ${response.status}`,
      body?.error?.details,
    );
  }
  return text;
}

/** A postmortem id, or an incident id whose postmortem is meant. */
async function postmortemIdOf(command: Command, id: string): Promise<string> {
  if (/^pm-\d+$/i.test(id)) return id;
  if (/^inc-\d+$/i.test(id)) {
    const pm = await clientFrom(command).request<PostmortemView>(
      "GET",
      `/api/v1/incidents/${enc(id)}/postmortem`,
    );
    return pm.id;
  }
  throw new CliUsageError(`"${id}" is neither a postmortem id (pm-N) nor an incident id (inc-N)`);
}

/**
 * `nines incident declare|list|show|resolve` and `nines postmortem export|import`: commands on a
 * running nines through its API (`--url`/NINES_URL, `--token`/NINES_TOKEN).
 */
export function registerIncidentCommands(program: Command): void {
  const incident = program
    .command("incident")
    .description("declare, list, show and resolve incidents on a running nines");

  incident
    .command("declare")
    .description("declare an incident (you become its declarer; a page id makes its source `page`)")
    .requiredOption("--title <text>", "what is wrong, in one line")
    .addOption(
      new Option("--severity <level>", "SEV1 (most serious) to SEV4")
        .choices(SEVERITIES)
        .makeOptionMandatory(),
    )
    .requiredOption("--service <name>", "affected service (repeat for several)", collect)
    .option("--slo <id>", "affected SLO service/name (repeat; default: every SLO of the services)", collect)
    .option("--page <id>", "declare from this page")
    .option("--commander <person>", "incident commander")
    .option("--cause <tag>", "cause tag (repeat), used to link earlier postmortems", collect)
    .option("--note <text>", "first timeline note")
    .option("--output <format>", "table or json", "table")
    .action(
      async (
        options: {
          title: string;
          severity: string;
          service: string[];
          slo?: string[];
          page?: string;
          commander?: string;
          cause?: string[];
          note?: string;
          output: string;
        },
        command: Command,
      ) => {
        const format = parseOutputFormat(options.output);
        const created = await clientFrom(command).request<IncidentView>("POST", "/api/v1/incidents", {
          title: options.title,
          severity: options.severity,
          services: options.service,
          ...(options.slo ? { slos: options.slo } : {}),
          ...(options.page ? { fromPageId: options.page } : {}),
          ...(options.commander ? { commander: options.commander } : {}),
          ...(options.cause ? { causeTags: options.cause } : {}),
          ...(options.note ? { note: options.note } : {}),
        });
        if (format === "json") {
          process.stdout.write(`${JSON.stringify(created, null, 2)}\n`);
          return;
        }
        process.stdout.write(
          `declared ${created.id} (${created.severity}, ${created.services.join(", ")})\n`,
        );
        for (const r of created.relatedPostmortems) {
          process.stdout.write(
            `recurrence: ${r.incidentId} had the same cause, see postmortem ${r.postmortemId} "${r.title}"\n`,
          );
        }
      },
    );

  incident
    .command("list")
    .description("list incidents, newest first")
    .addOption(new Option("--status <status>", "only this status (open = not resolved)").choices(STATUSES))
    .option("--service <name>", "only incidents affecting this service")
    .addOption(new Option("--severity <level>", "only this severity").choices(SEVERITIES))
    .option("--output <format>", "table or json", "table")
    .action(
      async (
        options: { status?: string; service?: string; severity?: string; output: string },
        command: Command,
      ) => {
        const format = parseOutputFormat(options.output);
        const query = new URLSearchParams();
        if (options.status) query.set("status", options.status);
        if (options.service) query.set("service", options.service);
        if (options.severity) query.set("severity", options.severity);
        const qs = query.toString();
        const list = await clientFrom(command).request<IncidentView[]>(
          "GET",
          `/api/v1/incidents${qs ? `?${qs}` : ""}`,
        );
        printRows(format === "json" ? list : list.map(row), format);
      },
    );

  incident
    .command("show <id>")
    .description("show an incident with its roles, postmortem requirement and timeline (UTC)")
    .option("--output <format>", "table or json", "table")
    .action(async (id: string, options: { output: string }, command: Command) => {
      const format = parseOutputFormat(options.output);
      const detail = await clientFrom(command).request<{
        incident: IncidentView;
        timeline: Array<{ at: number; kind: string; text: string; actor?: string }>;
      }>("GET", `/api/v1/incidents/${enc(id)}`);
      if (format === "json") {
        process.stdout.write(`${JSON.stringify(detail, null, 2)}\n`);
        return;
      }
      const i = detail.incident;
      const lines = [
        `${i.id}  ${i.severity}  ${i.status}  ${i.title}`,
        `services: ${i.services.join(", ")}${i.slos.length > 0 ? `   SLOs: ${i.slos.join(", ")}` : ""}`,
        `source: ${i.source}${i.detectionRef ? ` (${i.detectionRef})` : ""}   declared by ${i.declaredBy} at ${iso(i.declaredAt)}`,
        `roles: ${
          Object.entries(i.roles)
            .map(([r, p]) => `${r} ${p}`)
            .join(", ") || "-"
        }`,
      ];
      if (i.resolvedAt !== undefined) lines.push(`resolved: ${iso(i.resolvedAt)}`);
      if (i.postmortemRequirement) {
        lines.push(
          i.postmortemRequirement.required
            ? `postmortem required (due ${iso(i.postmortemRequirement.dueAt)}): ${i.postmortemRequirement.triggers.map((t) => t.reason).join("; ")}`
            : "postmortem: not required by the rules",
        );
      }
      if (i.postmortem) lines.push(`postmortem: ${i.postmortem.id} (${i.postmortem.status})`);
      for (const r of i.relatedPostmortems)
        lines.push(`recurrence of ${r.incidentId}: postmortem ${r.postmortemId} "${r.title}"`);
      lines.push("", "timeline:");
      for (const e of detail.timeline) {
        lines.push(`  ${iso(e.at)}  ${e.kind.padEnd(15)} ${e.text}${e.actor ? ` (${e.actor})` : ""}`);
      }
      process.stdout.write(`${lines.join("\n")}\n`);
    });

  incident
    .command("resolve <id>")
    .description("resolve an incident; prints whether a postmortem is required and which rules said so")
    .option("--note <text>", "resolution note for the timeline")
    .option("--output <format>", "table or json", "table")
    .action(async (id: string, options: { note?: string; output: string }, command: Command) => {
      const format = parseOutputFormat(options.output);
      const resolved = await clientFrom(command).request<IncidentView>(
        "POST",
        `/api/v1/incidents/${enc(id)}/resolve`,
        options.note ? { note: options.note } : {},
      );
      if (format === "json") {
        process.stdout.write(`${JSON.stringify(resolved, null, 2)}\n`);
        return;
      }
      const req = resolved.postmortemRequirement;
      process.stdout.write(`resolved ${resolved.id}\n`);
      if (req?.required) {
        process.stdout.write(`postmortem required, due ${iso(req.dueAt)}:\n`);
        for (const t of req.triggers) process.stdout.write(`  ${t.ruleId}: ${t.reason}\n`);
      } else {
        process.stdout.write("no postmortem required by the rules\n");
      }
    });

  const postmortem = program.command("postmortem").description("export and import postmortems as Markdown");

  postmortem
    .command("export <id>")
    .description("write a postmortem (pm-N, or the postmortem of inc-N) as Markdown")
    .option("--out <file>", "write to this file instead of standard output")
    .action(async (id: string, options: { out?: string }, command: Command) => {
      const pmId = await postmortemIdOf(command, id);
      const markdown = await getText(command, `/api/v1/postmortems/${enc(pmId)}/markdown`);
      if (options.out) {
        writeFileSync(options.out, markdown);
        process.stderr.write(`wrote ${pmId} to ${options.out}\n`);
      } else {
        process.stdout.write(markdown);
      }
    });

  postmortem
    .command("import <id> <file>")
    .description("apply an edited Markdown export to a draft postmortem (authors only)")
    .action(async (id: string, file: string, _options: unknown, command: Command) => {
      let markdown: string;
      try {
        markdown = readFileSync(file, "utf8");
      } catch (error) {
        throw new CliUsageError(
          `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      const pmId = await postmortemIdOf(command, id);
      const result = await clientFrom(command).request<{
        postmortem: PostmortemView;
        unknownSections: string[];
        missingSections: string[];
        warnings: string[];
      }>("PUT", `/api/v1/postmortems/${enc(pmId)}/markdown`, { markdown });
      for (const s of result.unknownSections) process.stderr.write(`kept extra section "${s}"\n`);
      for (const s of result.missingSections) process.stderr.write(`section missing (left empty): ${s}\n`);
      for (const w of result.warnings) process.stderr.write(`warning: ${w}\n`);
      process.stdout.write(`imported ${result.postmortem.id} (${result.postmortem.status})\n`);
    });
}
