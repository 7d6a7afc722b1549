/** The subset of Grafana's dashboard JSON model (schemaVersion 39) that nines writes. */
export interface GrafanaTarget {
  readonly refId: string;
  readonly expr: string;
  readonly legendFormat: string;
  readonly datasource: GrafanaDatasourceRef;
}

export interface GrafanaDatasourceRef {
  readonly type: "prometheus";
  readonly uid: string;
}

export interface GrafanaGridPos {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface GrafanaPanel {
  readonly id: number;
  readonly type: "timeseries" | "stat" | "row";
  readonly title: string;
  readonly gridPos: GrafanaGridPos;
  readonly datasource?: GrafanaDatasourceRef;
  readonly targets?: readonly GrafanaTarget[];
  readonly fieldConfig?: unknown;
  readonly options?: unknown;
  readonly description?: string;
  readonly collapsed?: boolean;
  readonly panels?: readonly GrafanaPanel[];
}

export interface GrafanaDashboard {
  readonly uid: string;
  readonly title: string;
  readonly tags: readonly string[];
  readonly schemaVersion: number;
  readonly version: number;
  readonly editable: boolean;
  readonly time: { readonly from: string; readonly to: string };
  readonly refresh: string;
  readonly timezone: string;
  readonly templating: { readonly list: readonly unknown[] };
  readonly annotations: { readonly list: readonly unknown[] };
  readonly panels: readonly GrafanaPanel[];
}
