import { describe, expect, it } from "vitest";
import { isPulled } from "../../src/slo/sources/source-puller.js";
import { parseSpecFiles, toNativeYaml } from "../../src/slo/spec/index.js";

const base = (source: string) => `apiVersion: nines/v1
kind: SLO
metadata: { name: availability }
spec:
  service: checkout
  sli: { ratio: { count: good } }
  objective: { target: 99.9 }
  window: { rolling: 30d }
  source:
${source}
`;

const prometheus = (extra = "", url = "http://prometheus:9090") => `    prometheus:
      url: ${url}
      eventsQuery: sum(increase(http_requests_total{code!~"5.."}[{{window}}]))
      totalQuery: sum(increase(http_requests_total[{{window}}]))
${extra}`;

function errors(text: string) {
  return parseSpecFiles([{ path: "slos/checkout.yaml", text }])
    .diagnostics.filter((d) => d.severity === "error")
    .map((d) => ({ path: d.path, line: d.line, message: d.message }));
}

describe("spec: source.prometheus", () => {
  it("reads auth, headers and timeout into the model, with secrets only named", () => {
    const parsed = parseSpecFiles([
      {
        path: "slos/checkout.yaml",
        text: base(
          prometheus(
            `      headers: { X-Scope-OrgID: payments }
      auth: { bearer: { tokenEnv: MIMIR_TOKEN } }
      timeout: 5s`,
            "https://mimir.example.com/prometheus",
          ),
        ),
      },
    ]);
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.slos[0]!.source).toEqual({
      kind: "prometheus",
      url: "https://mimir.example.com/prometheus",
      eventsQuery: 'sum(increase(http_requests_total{code!~"5.."}[{{window}}]))',
      totalQuery: "sum(increase(http_requests_total[{{window}}]))",
      headers: { "X-Scope-OrgID": "payments" },
      auth: { kind: "bearer", tokenEnv: "MIMIR_TOKEN" },
      timeoutMs: 5_000,
    });
  });

  it("writes auth and timeout back to native YAML, which reads back to the same SLO", () => {
    const text = base(
      prometheus(`      auth: { basic: { username: nines, passwordEnv: PROM_PASSWORD } }
      timeout: 1m30s`),
    );
    const first = parseSpecFiles([{ path: "a.yaml", text }]).slos[0]!;
    const yaml = toNativeYaml(first);
    expect(yaml).toContain("passwordEnv: PROM_PASSWORD");
    expect(yaml).toContain("timeout: 1m30s");
    const again = parseSpecFiles([{ path: "b.yaml", text: yaml }]);
    expect(again.diagnostics).toEqual([]);
    expect(again.slos[0]).toEqual(first);
  });

  it("refuses a query without {{window}}, naming the field, with a hint for Sloth's {{.window}}", () => {
    const text = base(`    prometheus:
      url: http://prometheus:9090
      eventsQuery: sum(increase(http_requests_total{code!~"5.."}[{{.window}}]))
      totalQuery: sum(increase(http_requests_total[5m]))`);
    const parsed = parseSpecFiles([{ path: "slos/checkout.yaml", text }]);
    const found = parsed.diagnostics.filter((d) => d.severity === "error");
    expect(found.map((d) => d.path)).toEqual([
      "spec.source.prometheus.eventsQuery",
      "spec.source.prometheus.totalQuery",
    ]);
    expect(found[0]!.message).toMatch(/no \{\{window\}\} placeholder/);
    expect(found[0]!.hint).toMatch(/Sloth writes \{\{\.window\}\}/);
    expect(found[0]!.line).toBe(12);
    expect(parsed.slos).toEqual([]);
  });

  it("refuses a URL that is not http(s), or that carries credentials", () => {
    expect(errors(base(prometheus("", "ftp://prometheus:9090")))).toEqual([
      {
        path: "spec.source.prometheus.url",
        line: 11,
        message: '"ftp://prometheus:9090" is not an http(s) URL',
      },
    ]);
    expect(errors(base(prometheus("", "http://admin:hunter2@prometheus:9090")))).toEqual([
      {
        path: "spec.source.prometheus.url",
        line: 11,
        message: "the URL holds credentials, which would be stored and shown with the spec",
      },
    ]);
  });

  it("refuses an Authorization header: credentials go in auth, from the environment", () => {
    const found = errors(base(prometheus("      headers: { Authorization: Bearer abc }")));
    expect(found).toEqual([
      expect.objectContaining({
        path: "spec.source.prometheus.headers.Authorization",
        message: "credentials do not belong in headers: the spec is stored and shown as it is",
      }),
    ]);
    expect(errors(base(prometheus('      headers: { "bad header": x }')))[0]?.message).toBe(
      '"bad header" is not a valid HTTP header name',
    );
  });

  it("refuses auth with both or neither of bearer and basic, bad variable names, unknown fields", () => {
    expect(
      errors(
        base(prometheus("      auth: { bearer: { tokenEnv: A }, basic: { username: u, passwordEnv: B } }")),
      ),
    ).toEqual([
      expect.objectContaining({
        path: "spec.source.prometheus.auth",
        message: "set exactly one of auth.bearer or auth.basic",
      }),
    ]);
    expect(errors(base(prometheus("      auth: {}")))[0]?.path).toBe("spec.source.prometheus.auth");
    expect(errors(base(prometheus("      auth: { bearer: { tokenEnv: 1-TOKEN } }")))[0]?.path).toBe(
      "spec.source.prometheus.auth.bearer.tokenEnv",
    );
    const unknown = errors(base(prometheus("      auth: { bearer: { token: s3cret } }")));
    expect(unknown.map((d) => d.path)).toContain("spec.source.prometheus.auth.bearer.token");
  });

  it("refuses a timeout under 100ms or over 5m", () => {
    expect(errors(base(prometheus("      timeout: 10m")))).toEqual([
      expect.objectContaining({
        path: "spec.source.prometheus.timeout",
        message: "timeout 10m must be between 100ms and 5m",
      }),
    ]);
    expect(errors(base(prometheus("      timeout: 5")))[0]?.path).toBe("spec.source.prometheus.timeout");
  });
});

describe("which Prometheus-sourced SLOs are pulled", () => {
  const sloOf = (text: string) => {
    const [slo] = parseSpecFiles([{ path: "slos/checkout.yaml", text }]).slos;
    if (!slo) throw new Error("the spec did not parse");
    return slo;
  };

  it("pulls an SLO without a selector, and leaves one with a selector to remote write", () => {
    expect(isPulled(sloOf(base(prometheus())))).toBe(true);
    expect(isPulled(sloOf(base(prometheus("      selector: '{job=\"checkout\"}'"))))).toBe(false);
  });
});
