import type { ShiftsView } from "../../../src/oncall/oncall.schemas.js";

const HOUR_MS = 3_600_000;
const PALETTE = ["#1f5fbf", "#13743a", "#8e3fae", "#a65300", "#00747a", "#b3245f", "#5b4a9e", "#4d5a66"];

/** A stable colour per person of the schedule (by their place in the sorted list of people). */
export function personColour(view: ShiftsView, personId: string): string {
  const i = view.people.findIndex((p) => p.id === personId);
  return PALETTE[Math.max(i, 0) % PALETTE.length]!;
}

const viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
const dayLabel = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short" });
const shortDayLabel = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric" });
const timeLabel = new Intl.DateTimeFormat(undefined, {
  weekday: "short",
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** "Mon 30 Mar, 09:00" in the viewer's zone. */
export function localTime(ms: number): string {
  return timeLabel.format(ms);
}

/** "Mon 30 Mar, 09:00 – Tue 31 Mar, 09:00 (your zone); 07:00Z – 07:00Z UTC" for hover titles. */
function spanTitle(name: string, start: number, end: number, extra = ""): string {
  const utc = (ms: number) => new Date(ms).toISOString().replace(":00.000Z", "Z").replace("T", " ");
  const hours = ((end - start) / HOUR_MS).toFixed(1).replace(/\.0$/, "");
  return `${name}${extra}: ${localTime(start)} – ${localTime(end)} (${viewerZone}, ${hours} h); UTC ${utc(start)} – ${utc(end)}`;
}

interface Bar {
  readonly start: number;
  readonly end: number;
  readonly label: string;
  readonly title: string;
  readonly colour?: string;
  readonly kind: "shift" | "gap" | "override";
}

/** Midnights (viewer's zone) inside [from, to), for the day grid. */
function midnights(from: number, to: number): number[] {
  const out: number[] = [];
  const d = new Date(from);
  d.setHours(0, 0, 0, 0);
  if (d.getTime() < from) d.setDate(d.getDate() + 1);
  while (d.getTime() < to) {
    out.push(d.getTime());
    d.setDate(d.getDate() + 1);
  }
  return out;
}

function Row({
  label,
  sub,
  bars,
  view,
  testId,
}: {
  label: string;
  sub?: string;
  bars: Bar[];
  view: ShiftsView;
  testId: string;
}) {
  const span = view.to - view.from;
  return (
    <div class="cal-row" data-testid={testId}>
      <div class="cal-label">
        <strong>{label}</strong>
        {sub ? <span class="small muted">{sub}</span> : null}
      </div>
      <div class="cal-track">
        {midnights(view.from, view.to).map((m) => (
          <span class="cal-gridline" style={{ left: `${((m - view.from) / span) * 100}%` }} />
        ))}
        {bars.map((b) => (
          <span
            class={`cal-bar cal-${b.kind}`}
            data-kind={b.kind}
            title={b.title}
            style={{
              left: `${((b.start - view.from) / span) * 100}%`,
              width: `${((b.end - b.start) / span) * 100}%`,
              ...(b.colour ? { background: b.colour } : {}),
            }}
          >
            <span class="cal-bar-text">{b.label}</span>
          </span>
        ))}
        {Date.now() >= view.from && Date.now() < view.to ? (
          <span class="cal-now" style={{ left: `${((Date.now() - view.from) / span) * 100}%` }} title="now" />
        ) : null}
      </div>
    </div>
  );
}

/**
 * A schedule over a range: one row per layer (bottom layer first, as written), the overrides, and
 * the final timeline with gaps highlighted. Times are the viewer's; hover shows UTC.
 */
export function OncallCalendar({ view, compact = false }: { view: ShiftsView; compact?: boolean }) {
  const names = new Map(view.people.map((p) => [p.id, p.name]));
  const name = (id: string) => names.get(id) ?? id;
  const span = view.to - view.from;
  const days = midnights(view.from, view.to);
  return (
    <div class="cal" data-testid="oncall-calendar">
      <div class="cal-row cal-head">
        <div class="cal-label" />
        <div class="cal-track">
          {days.map((m) => (
            <span class="cal-day" style={{ left: `${((m - view.from) / span) * 100}%` }}>
              {(compact ? shortDayLabel : dayLabel).format(m)}
            </span>
          ))}
        </div>
      </div>
      {view.layers.map((layer) => (
        <Row
          testId={`layer-${layer.id}`}
          label={layer.name}
          sub={`layer ${layer.id} · ${layer.timeZone}`}
          view={view}
          bars={layer.spans.map((s) => ({
            ...s,
            label: name(s.personId),
            title: spanTitle(name(s.personId), s.start, s.end, ` (${layer.name})`),
            colour: personColour(view, s.personId),
            kind: "shift" as const,
          }))}
        />
      ))}
      <Row
        testId="overrides"
        label="Overrides"
        sub={view.overrides.length === 0 ? "none in this range" : `${view.overrides.length} in this range`}
        view={view}
        bars={view.overrides.map((o) => ({
          start: Math.max(o.start, view.from),
          end: Math.min(o.end, view.to),
          label: `${name(o.personId)}${o.reason ? ` — ${o.reason}` : ""}`,
          title: spanTitle(name(o.personId), o.start, o.end, ` (override${o.reason ? `: ${o.reason}` : ""})`),
          colour: personColour(view, o.personId),
          kind: "override" as const,
        }))}
      />
      <Row
        testId="final"
        label="On call"
        sub="final: overrides over layers, higher layers first"
        view={view}
        bars={view.shifts.map((s) =>
          s.personId === null
            ? {
                start: s.start,
                end: s.end,
                label: "gap",
                title: spanTitle("Nobody on call", s.start, s.end),
                kind: "gap" as const,
              }
            : {
                start: s.start,
                end: s.end,
                label: name(s.personId),
                title: spanTitle(name(s.personId), s.start, s.end, s.override ? " (override)" : ""),
                colour: personColour(view, s.personId),
                kind: s.override ? ("override" as const) : ("shift" as const),
              },
        )}
      />
    </div>
  );
}
