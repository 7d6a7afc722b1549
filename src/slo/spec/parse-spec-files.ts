import { LineCounter, parseAllDocuments } from "yaml";
import type { Slo } from "../model.js";
import { type NamedAlertPolicy, readAlertPolicyDocument } from "./alerting.js";
import { type Classified, classify } from "./classify-document.js";
import { type Diagnostic, type Path, sortDiagnostics } from "./diagnostic.js";
import type { ImportOptions } from "./import-options.js";
import { readNativeSlo } from "./native.js";
import { type LocatedDataSource, type LocatedSli, readOpenSloSlo } from "./openslo.js";
import { readSlothDocument } from "./sloth.js";
import { type Reporter, reporterFor, type SpecDocument } from "./spec-document.js";

/** A file handed to the parser; reading it is the caller's job. */
export interface SpecFile {
  readonly path: string;
  readonly text: string;
}

export type SpecFormat = "nines" | "openslo" | "sloth";

export interface ParseResult {
  /** Every SLO that has no error, in file order. */
  readonly slos: readonly Slo[];
  /** Named `kind: AlertPolicy` documents. */
  readonly policies: readonly NamedAlertPolicy[];
  /** Errors and warnings ordered by file, line, column. */
  readonly diagnostics: readonly Diagnostic[];
  /** Where each SLO came from, by id. */
  readonly origins: Readonly<Record<string, { readonly file: string; readonly format: SpecFormat }>>;
}

export type ParseOptions = ImportOptions;

interface Loaded {
  readonly source: SpecDocument;
  readonly r: Reporter;
  readonly c: Classified;
}

/**
 * Parses native (`nines/v1`), OpenSLO v1 and Sloth (`prometheus/v1`, `PrometheusServiceLevel`)
 * documents from several multi-document YAML files at once, so that SLOs can reference alert
 * policies, SLIs and data sources in other files. Pure and total: every problem becomes a
 * diagnostic, nothing throws.
 *
 * @example
 * const { slos, diagnostics } = parseSpecFiles([{ path: "slos/api.yaml", text }]);
 */
export function parseSpecFiles(files: readonly SpecFile[], options: ParseOptions = {}): ParseResult {
  const diagnostics: Diagnostic[] = [];
  const loaded: Loaded[] = [];
  for (const file of files) loadFile(file, diagnostics, loaded);

  const policies = new Map<string, NamedAlertPolicy>();
  const slis = new Map<string, LocatedSli>();
  const dataSources = new Map<string, LocatedDataSource>();
  for (const { r, c } of loaded) {
    guard(r, () => {
      if (c.kind === "native-policy") {
        const policy = readAlertPolicyDocument(c.value, r);
        if (policy === undefined) return;
        const first = policies.get(policy.name);
        if (first !== undefined)
          r.error(
            ["metadata", "name"],
            `alert policy "${policy.name}" is already defined in ${first.file}`,
            "rename one of them",
          );
        else policies.set(policy.name, policy);
      } else if (c.kind === "openslo-sli") {
        if (slis.has(c.value.metadata.name))
          r.error(["metadata", "name"], `SLI "${c.value.metadata.name}" is defined twice`);
        else slis.set(c.value.metadata.name, { spec: c.value.spec, r, path: ["spec"] });
      } else if (c.kind === "openslo-datasource") {
        if (dataSources.has(c.value.metadata.name))
          r.error(["metadata", "name"], `DataSource "${c.value.metadata.name}" is defined twice`);
        else dataSources.set(c.value.metadata.name, { value: c.value, r });
      }
    });
  }

  const slos: Slo[] = [];
  const origins: Record<string, { file: string; format: SpecFormat }> = {};
  const firstSeen = new Map<string, string>();
  /** Records that `id` is defined in r.file; reports and answers false when it already was. */
  const claim = (id: string, r: Reporter, path: Path): boolean => {
    const first = firstSeen.get(id);
    if (first !== undefined) {
      r.error(
        path,
        `SLO "${id}" is already defined in ${first}`,
        "service/name must be unique across all files: rename one",
      );
      return false;
    }
    firstSeen.set(id, r.file);
    return true;
  };
  const keep = (slo: Slo, r: Reporter, format: SpecFormat) => {
    origins[slo.id] = { file: r.file, format };
    slos.push(slo);
  };
  const add = (found: readonly Slo[], r: Reporter, format: SpecFormat, namePath: (i: number) => Path) => {
    found.forEach((slo, i) => {
      if (claim(slo.id, r, namePath(i))) keep(slo, r, format);
    });
  };
  for (const { r, c } of loaded) {
    guard(r, () => {
      if (c.kind === "native-slo") {
        const v = c.value;
        const [service, name, namePath] =
          "spec" in v
            ? [v.spec.service, v.metadata.name, ["metadata", "name"]]
            : [v.service, v.name, ["name"]];
        // Claimed before reading, so a duplicate is reported even when the first copy has errors.
        if (!claim(`${service}/${name}`, r, namePath)) return;
        const slo = readNativeSlo(v, r, policies);
        if (slo !== undefined) keep(slo, r, "nines");
      } else if (c.kind === "openslo-slo") {
        add(readOpenSloSlo(c.value, r, { slis, dataSources, options }), r, "openslo", () => [
          "metadata",
          "name",
        ]);
      } else if (c.kind === "sloth") {
        const kind = c.k8s ? "k8s" : "file";
        const found = readSlothDocument(c.value as Parameters<typeof readSlothDocument>[0], kind, r, options);
        const base: Path = c.k8s ? ["spec", "slos"] : ["slos"];
        const names = c.value as { spec?: { slos: { name: string }[] }; slos?: { name: string }[] };
        const list = (c.k8s ? names.spec?.slos : names.slos) ?? [];
        add(found, r, "sloth", (i) => [
          ...base,
          Math.max(
            0,
            list.findIndex((s) => s.name === found[i]?.name),
          ),
          "name",
        ]);
      }
    });
  }
  return { slos, policies: [...policies.values()], diagnostics: sortDiagnostics(diagnostics), origins };
}

function guard(r: Reporter, fn: () => void): void {
  try {
    fn();
  } catch (error) {
    r.error(
      [],
      `internal error while reading this document: ${error instanceof Error ? error.message : String(error)}`,
      "please report this with the file",
    );
  }
}

function loadFile(file: SpecFile, diagnostics: Diagnostic[], loaded: Loaded[]): void {
  const lineCounter = new LineCounter();
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(file.text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  } catch (error) {
    diagnostics.push({
      severity: "error",
      file: file.path,
      line: 1,
      column: 1,
      path: "",
      message: `cannot parse YAML: ${String(error)}`,
    });
    return;
  }
  let index = 0;
  for (const doc of docs) {
    const position = index++;
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const at = lineCounter.linePos(e.pos[0]);
        diagnostics.push({
          severity: "error",
          file: file.path,
          line: at.line,
          column: at.col,
          path: "",
          message: `YAML: ${firstLine(e.message)}`,
        });
      }
      continue;
    }
    for (const w of doc.warnings) {
      const at = lineCounter.linePos(w.pos[0]);
      diagnostics.push({
        severity: "warning",
        file: file.path,
        line: at.line,
        column: at.col,
        path: "",
        message: `YAML: ${firstLine(w.message)}`,
      });
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (error) {
      const at = lineCounter.linePos(doc.range?.[0] ?? 0);
      diagnostics.push({
        severity: "error",
        file: file.path,
        line: at.line,
        column: at.col,
        path: "",
        message: `YAML: ${error instanceof Error ? firstLine(error.message) : String(error)}`,
      });
      continue;
    }
    const source: SpecDocument = { file: file.path, index: position, doc, lineCounter, value };
    const r = reporterFor(source, diagnostics);
    let c: Classified = { kind: "skip" };
    guard(r, () => {
      c = classify(value, r);
    });
    if (c.kind !== "skip") loaded.push({ source, r, c });
  }
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}
