export interface NavItem {
  readonly path: string;
  readonly label: string;
  /** What the area is for, shown when it has nothing to show yet. */
  readonly purpose: string;
}

/** The domains of nines, in the order an on-call engineer reaches for them. */
export const NAV: readonly NavItem[] = [
  { path: "/", label: "Status", purpose: "Health of this nines server." },
  { path: "/slos", label: "SLOs", purpose: "Service level objectives, error budgets and burn rates." },
  { path: "/alerts", label: "Alerts", purpose: "SLO alerts and alerts received from Alertmanager." },
  { path: "/pages", label: "Pages", purpose: "Open pages to acknowledge or resolve; actionability." },
  { path: "/routing", label: "Routing", purpose: "How signals become pages, tickets or logs." },
  { path: "/tickets", label: "Tickets", purpose: "Work to do within days, per team." },
  { path: "/logs", label: "Logs", purpose: "The event log: signals kept for analysis." },
  { path: "/silences", label: "Silences", purpose: "Silences and maintenance windows." },
  { path: "/oncall", label: "On-call", purpose: "Who is on call now, schedules and escalation." },
  { path: "/receivers", label: "Receivers", purpose: "Where notifications go; send a test." },
  { path: "/notifications", label: "Notifications", purpose: "Who was notified, when, how." },
  { path: "/incidents", label: "Incidents", purpose: "Incidents, blameless postmortems and action items." },
  { path: "/rollouts", label: "Rollouts", purpose: "Staged rollouts gated by the error budget." },
  { path: "/toil", label: "Toil", purpose: "Operational work against the 50% cap." },
  { path: "/meeting", label: "Meeting", purpose: "The weekly production meeting agenda." },
  { path: "/training", label: "Training", purpose: "Learning paths and Wheel of Misfortune sessions." },
  { path: "/capacity", label: "Capacity", purpose: "Demand forecasts and headroom." },
  { path: "/reports", label: "Reports", purpose: "Service reliability reports." },
];
