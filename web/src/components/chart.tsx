import { useEffect, useRef, useState } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

export interface ChartSeries {
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly color: string;
  /** Dashed: thresholds and objectives. */
  readonly dashed?: boolean;
}

export interface ChartMarker {
  readonly at: number;
  readonly label: string;
}

export interface ChartProps {
  readonly title: string;
  readonly unit: string;
  /** Unix ms of each point. */
  readonly times: readonly number[];
  readonly series: readonly ChartSeries[];
  readonly markers?: readonly ChartMarker[];
  readonly format?: (value: number) => string;
  readonly yRange?: [number | null, number | null];
}

/** The page's theme, so that charts redraw with its colours when it changes. */
function useTheme(): string | undefined {
  const [theme, setTheme] = useState(document.documentElement.dataset["theme"]);
  useEffect(() => {
    const observer = new MutationObserver(() => setTheme(document.documentElement.dataset["theme"]));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    return () => observer.disconnect();
  }, []);
  return theme;
}

const cssVar = (name: string) =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim() || "#888";

/** A time-series panel (uPlot) with units, a legend, thresholds, annotation markers and a table view. */
export function Chart(props: ChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [asTable, setAsTable] = useState(false);
  const theme = useTheme();
  const format = props.format ?? ((v: number) => v.toFixed(3));

  useEffect(() => {
    if (asTable || !ref.current) return;
    const element = ref.current;
    const text = cssVar("--text");
    const grid = cssVar("--border");
    const markers = props.markers ?? [];
    const options: uPlot.Options = {
      width: element.clientWidth || 600,
      height: 220,
      scales: { x: { time: true }, y: props.yRange ? { range: props.yRange as uPlot.Range.MinMax } : {} },
      axes: [
        { stroke: text, grid: { stroke: grid, width: 1 } },
        {
          stroke: text,
          grid: { stroke: grid, width: 1 },
          label: props.unit,
          values: (_u, ticks) => ticks.map(format),
          size: 70,
        },
      ],
      series: [
        { label: "time", value: (_u, v) => (v == null ? "—" : new Date(v * 1000).toLocaleString()) },
        ...props.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: s.dashed ? 1.5 : 2,
          dash: s.dashed ? [6, 4] : undefined,
          value: (_u: uPlot, v: number | null) => (v == null ? "—" : format(v)),
          spanGaps: false,
        })),
      ],
      hooks: {
        draw: [
          (u) => {
            const ctx = u.ctx;
            ctx.save();
            ctx.strokeStyle = cssVar("--warn");
            ctx.fillStyle = cssVar("--warn");
            ctx.lineWidth = 1.5;
            ctx.font = `${12 * devicePixelRatio}px system-ui`;
            for (const m of markers) {
              const x = Math.round(u.valToPos(m.at / 1000, "x", true));
              if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
              ctx.beginPath();
              ctx.moveTo(x, u.bbox.top);
              ctx.lineTo(x, u.bbox.top + u.bbox.height);
              ctx.stroke();
              ctx.fillText(m.label, x + 4, u.bbox.top + 14 * devicePixelRatio);
            }
            ctx.restore();
          },
        ],
      },
    };
    const data = [
      props.times.map((t) => t / 1000),
      ...props.series.map((s) => [...s.values]),
    ] as uPlot.AlignedData;
    const plot = new uPlot(options, data, element);
    const resize = new ResizeObserver(() => plot.setSize({ width: element.clientWidth, height: 220 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [asTable, theme, props.times, props.series, props.markers]);

  return (
    <figure class="chart">
      <figcaption>
        <span class="chart-title">{props.title}</span>
        <button type="button" class="ghost small" onClick={() => setAsTable(!asTable)} aria-pressed={asTable}>
          {asTable ? "Show chart" : "Show table"}
        </button>
      </figcaption>
      {asTable ? (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th>Time</th>
                {props.series.map((s) => (
                  <th>{`${s.label} (${props.unit})`}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.times.map((t, i) => (
                <tr>
                  <td>
                    <time dateTime={new Date(t).toISOString()}>{new Date(t).toLocaleString()}</time>
                  </td>
                  {props.series.map((s) => (
                    <td>{s.values[i] == null ? "—" : format(s.values[i]!)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <div ref={ref} class="chart-canvas" />
      )}
    </figure>
  );
}
