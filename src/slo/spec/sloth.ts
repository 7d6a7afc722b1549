/**
 * Reads Sloth specs: `version: prometheus/v1` files and Kubernetes `PrometheusServiceLevel`
 * resources (`apiVersion: sloth.slok.dev/v1`, same fields in camelCase). Sloth SLOs have a 30-day
 * rolling window and the Workbook's four alert lines; `{{.window}}` becomes `{{window}}`.
 */
import { type Static, type TSchema, Type } from "typebox";
import { defaultAlertPolicy, REFERENCE_WINDOW_MS } from "../alert-policy.js";
import type { AlertLine, Severity, Slo } from "../model.js";
import { checkAlertLines, checkSloWarnings, checkTargetPercent } from "./checks.js";
import type { Path } from "./diagnostic.js";
import { type ImportOptions, importPrometheusUrl } from "./import-options.js";
import { LABEL_NAME_PATTERN, NAME_PATTERN } from "./native-schema.js";
import { asSchemaNode, checkSchema, type SchemaNode } from "./schema-check.js";
import type { Reporter } from "./spec-document.js";

type Casing = "snake" | "camel";

const StringMap = Type.Record(Type.String(), Type.String());
const LabelMap = Type.Record(Type.String({ pattern: LABEL_NAME_PATTERN }), Type.String(), {
  additionalProperties: false,
  description: 'Prometheus label names: letters, digits and "_", not starting with a digit.',
});

function alertSchema() {
  return Type.Object(
    {
      disable: Type.Optional(Type.Boolean()),
      labels: Type.Optional(LabelMap),
      annotations: Type.Optional(StringMap),
    },
    { additionalProperties: false },
  );
}

function sloSchema(c: Casing) {
  const k = (snake: string, camel: string) => (c === "snake" ? snake : camel);
  const events: Record<string, TSchema> = {
    [k("error_query", "errorQuery")]: Type.String({ minLength: 1 }),
    [k("total_query", "totalQuery")]: Type.String({ minLength: 1 }),
  };
  const alerting: Record<string, TSchema> = {
    name: Type.Optional(Type.String({ minLength: 1 })),
    labels: Type.Optional(LabelMap),
    annotations: Type.Optional(StringMap),
    [k("page_alert", "pageAlert")]: Type.Optional(alertSchema()),
    [k("ticket_alert", "ticketAlert")]: Type.Optional(alertSchema()),
  };
  return Type.Object(
    {
      name: Type.String({ pattern: NAME_PATTERN }),
      objective: Type.Number(),
      description: Type.Optional(Type.String()),
      labels: Type.Optional(LabelMap),
      sli: Type.Object(
        {
          events: Type.Optional(Type.Object(events, { additionalProperties: false })),
          raw: Type.Optional(Type.Unknown()),
          plugin: Type.Optional(Type.Unknown()),
        },
        { additionalProperties: false },
      ),
      alerting: Type.Optional(Type.Object(alerting, { additionalProperties: false })),
    },
    { additionalProperties: false },
  );
}

const SlothFileSchema = Type.Object(
  {
    version: Type.Literal("prometheus/v1"),
    service: Type.String({ pattern: NAME_PATTERN }),
    labels: Type.Optional(LabelMap),
    slos: Type.Array(sloSchema("snake"), { minItems: 1 }),
  },
  { additionalProperties: false },
);

const SlothK8sSchema = Type.Object(
  {
    apiVersion: Type.Literal("sloth.slok.dev/v1"),
    kind: Type.Literal("PrometheusServiceLevel"),
    metadata: Type.Object(
      {
        name: Type.Optional(Type.String()),
        namespace: Type.Optional(Type.String()),
        labels: Type.Optional(StringMap),
        annotations: Type.Optional(StringMap),
      },
      { additionalProperties: false },
    ),
    spec: Type.Object(
      {
        service: Type.String({ pattern: NAME_PATTERN }),
        labels: Type.Optional(LabelMap),
        slos: Type.Array(sloSchema("camel"), { minItems: 1 }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

interface SlothAlert {
  readonly disable?: boolean;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

/** The Sloth SLO fields, with camelCase or snake_case keys read into one shape. */
interface SlothSlo {
  readonly name: string;
  readonly objective: number;
  readonly description?: string;
  readonly labels?: Record<string, string>;
  readonly sli: {
    readonly events?: Record<string, string>;
    readonly raw?: unknown;
    readonly plugin?: unknown;
  };
  readonly alerting?: Record<string, unknown>;
}

export type SlothSchemaKind = "file" | "k8s";

/** Schema-checks a Sloth document; returns problems with paths relative to the document. */
export function checkSlothSchema(value: unknown, kind: SlothSchemaKind) {
  return checkSchema(value, asSchemaNode(kind === "file" ? SlothFileSchema : SlothK8sSchema) as SchemaNode);
}

type SlothFile = Static<typeof SlothFileSchema>;
type SlothK8s = Static<typeof SlothK8sSchema>;

/** Converts a schema-checked Sloth document into SLOs, reporting unsupported features. */
export function readSlothDocument(
  value: SlothFile | SlothK8s,
  kind: SlothSchemaKind,
  r: Reporter,
  options: ImportOptions,
): Slo[] {
  const url = importPrometheusUrl(options, r, kind === "file" ? ["version"] : ["apiVersion"]);
  const c: Casing = kind === "file" ? "snake" : "camel";
  const k = (snake: string, camel: string) => (c === "snake" ? snake : camel);
  const body = "spec" in value ? value.spec : value;
  const base: Path = kind === "file" ? [] : ["spec"];
  const out: Slo[] = [];
  body.slos.forEach((raw, i) => {
    const slo = raw as SlothSlo;
    const path: Path = [...base, "slos", i];
    const before = r.errorCount();
    if (slo.sli.raw !== undefined)
      r.error(
        [...path, "sli", "raw"],
        "Sloth raw error-ratio SLIs are not supported: nines needs error and total counts",
        `rewrite it as sli.events with ${k("error_query", "errorQuery")} and ${k("total_query", "totalQuery")}`,
      );
    if (slo.sli.plugin !== undefined)
      r.error(
        [...path, "sli", "plugin"],
        "Sloth SLI plugins are not supported",
        "expand the plugin into sli.events queries",
      );
    if (slo.sli.events === undefined && slo.sli.raw === undefined && slo.sli.plugin === undefined)
      r.error(
        [...path, "sli"],
        "sli needs events",
        `set sli.events.${k("error_query", "errorQuery")} and ${k("total_query", "totalQuery")}`,
      );
    const objective = checkTargetPercent(slo.objective, r, [...path, "objective"]);
    if (objective === undefined || slo.sli.events === undefined || r.errorCount() > before) return;
    const errorQuery = toNinesPlaceholder(slo.sli.events[k("error_query", "errorQuery")] ?? "");
    const totalQuery = toNinesPlaceholder(slo.sli.events[k("total_query", "totalQuery")] ?? "");
    for (const [field, q] of [
      [k("error_query", "errorQuery"), errorQuery],
      [k("total_query", "totalQuery"), totalQuery],
    ] as const)
      if (!q.includes("{{window}}"))
        r.error(
          [...path, "sli", "events", field],
          "query has no {{.window}} placeholder",
          "Sloth queries use [{{.window}}] as the range",
        );
    if (r.errorCount() > before) return;

    const window = { kind: "rolling", lengthMs: REFERENCE_WINDOW_MS } as const;
    const alerting = slo.alerting ?? {};
    const page = alerting[k("page_alert", "pageAlert")] as SlothAlert | undefined;
    const ticket = alerting[k("ticket_alert", "ticketAlert")] as SlothAlert | undefined;
    const wideLabels = alerting.labels as Record<string, string> | undefined;
    const wideAnnotations = alerting.annotations as Record<string, string> | undefined;
    const policy = defaultAlertPolicy(window, objective);
    const bySeverity: Record<Severity, SlothAlert | undefined> = { page, ticket };
    const lines: AlertLine[] = policy.lines.map((line) => {
      const extra = bySeverity[line.severity];
      const labels = { ...wideLabels, ...extra?.labels };
      const annotations = { ...wideAnnotations, ...extra?.annotations };
      return {
        ...line,
        enabled: extra?.disable !== true,
        ...(Object.keys(labels).length > 0 ? { labels } : {}),
        ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      };
    });
    const checked = checkAlertLines(lines, objective, window.lengthMs, r, () => [...path, "objective"], true);
    checkSloWarnings(objective, window.lengthMs, checked, r, [...path, "objective"], [...path, "alerting"]);
    const labels = { ...body.labels, ...slo.labels };
    const alertName = alerting.name as string | undefined;
    out.push({
      id: `${body.service}/${slo.name}`,
      service: body.service,
      name: slo.name,
      description: slo.description ?? "",
      team: labels.owner ?? labels.team ?? "",
      labels,
      sli: { kind: "ratio", count: "bad" },
      source: { kind: "prometheus", url, eventsQuery: errorQuery, totalQuery, headers: {} },
      objective,
      window,
      budgeting: { method: "occurrences" },
      alerting: { ...policy, lines: checked, ...(alertName !== undefined ? { alertName } : {}) },
      annotations: { "nines.dev/imported-from": `sloth:${r.file}` },
    });
  });
  return out;
}

/**
 * Sloth's Go template placeholder `{{.window}}` (any spacing) → nines' `{{window}}`, and
 * `rate(` → `increase(`: Sloth only needs the ratio, nines also needs event counts (minEvents).
 */
export function toNinesPlaceholder(query: string): string {
  return query.replace(/\{\{\s*\.window\s*\}\}/g, "{{window}}").replace(/\brate\(/g, "increase(");
}
