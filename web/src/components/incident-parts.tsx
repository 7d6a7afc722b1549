import type { IncidentView } from "../../../src/incidents/incident-api.schemas.js";
import { When } from "./when.js";

export const SEVERITY_CLASS: Record<string, string> = {
  SEV1: "s-page",
  SEV2: "s-page",
  SEV3: "s-ticket",
  SEV4: "",
};
export const STATUS_CLASS: Record<string, string> = {
  investigating: "s-page",
  identified: "s-ticket",
  mitigated: "s-ticket",
  resolved: "s-ok",
};
/** Legal status moves (the incident state machine of src/incidents/incident-status.ts). */
export const NEXT_STATUS: Record<string, string[]> = {
  investigating: ["identified", "mitigated", "resolved"],
  identified: ["investigating", "mitigated", "resolved"],
  mitigated: ["investigating", "resolved"],
  resolved: ["investigating"],
};

export function IncidentSeverity({ severity }: { severity: string }) {
  return <span class={`state-badge ${SEVERITY_CLASS[severity] ?? ""}`}>{severity}</span>;
}

export function IncidentStatus({ status }: { status: string }) {
  return <span class={`state-badge ${STATUS_CLASS[status] ?? ""}`}>{status}</span>;
}

export interface TimelineLine {
  readonly at: number;
  readonly kind: string;
  readonly text: string;
  readonly actor?: string;
}

/** The incident timeline: UTC times in the viewer's zone (absolute UTC on hover). */
export function IncidentTimeline({ events }: { events: readonly TimelineLine[] }) {
  return (
    <table class="list" data-testid="incident-timeline">
      <thead>
        <tr>
          <th>Time</th>
          <th>Kind</th>
          <th>What happened</th>
          <th>Who</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr>
            <td style="white-space:nowrap">
              <time dateTime={new Date(e.at).toISOString()} title={new Date(e.at).toISOString()}>
                {new Date(e.at).toLocaleString()}
              </time>
            </td>
            <td class="muted">{e.kind}</td>
            <td style="white-space:pre-wrap">{e.text}</td>
            <td>{e.actor ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What the postmortem rules decided when the incident was resolved. */
export function IncidentRequirement({ incident }: { incident: IncidentView }) {
  const r = incident.postmortemRequirement;
  if (!r) return <p class="muted small">The postmortem rules run when the incident is resolved.</p>;
  if (!r.required)
    return (
      <p class="muted" data-testid="requirement">
        No postmortem required by the rules.
      </p>
    );
  return (
    <div data-testid="requirement">
      <p style="margin:0">
        <strong>Postmortem required</strong>
        {r.dueAt !== undefined ? (
          <>
            {" "}
            · due <When at={r.dueAt} />
          </>
        ) : null}
      </p>
      <ul style="margin:4px 0 0;padding-left:18px">
        {r.triggers.map((t) => (
          <li>
            <code>{t.ruleId}</code>: {t.reason}
          </li>
        ))}
      </ul>
    </div>
  );
}
