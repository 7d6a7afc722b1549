export interface RatioSpecOptions {
  readonly service?: string;
  readonly name?: string;
  readonly target?: number;
  readonly team?: string;
  readonly description?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly window?: string;
}

/** A native nines/v1 SLO spec (good/total ratio SLI, rolling window) as the YAML a user writes. */
export function ratioSpec(options: RatioSpecOptions = {}): string {
  const { service = "checkout", name = "availability", target = 99.9, window = "30d" } = options;
  const labels = Object.entries(options.labels ?? {});
  return [
    "apiVersion: nines/v1",
    "kind: SLO",
    "metadata:",
    `  name: ${name}`,
    ...(labels.length > 0 ? ["  labels:", ...labels.map(([k, v]) => `    ${k}: ${v}`)] : []),
    "spec:",
    `  service: ${service}`,
    ...(options.team ? [`  team: ${options.team}`] : []),
    ...(options.description ? [`  description: ${options.description}`] : []),
    "  sli:",
    "    ratio:",
    "      count: good",
    "  objective:",
    `    target: ${target}`,
    "  window:",
    `    rolling: ${window}`,
    "",
  ].join("\n");
}
