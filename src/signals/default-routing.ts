import { parseRoutingConfig, type RoutingConfig } from "./routing-config.js";
import type { RoutingConfigInput } from "./routing-schema.js";

/**
 * The routing nines starts with: its own SLO alert lines decide (a page line pages, a ticket line
 * opens a ticket), everything else is logged, and tickets for a service are held while a page for
 * the same service fires.
 */
export const DEFAULT_ROUTING_INPUT: RoutingConfigInput = {
  route: {
    name: "default",
    classify: "log",
    groupBy: ["alertname", "service"],
    groupWait: "30s",
    groupInterval: "5m",
    repeatInterval: "4h",
    routes: [
      { name: "slo-page", matchers: ['source="slo"', 'severity="page"'], classify: "page" },
      {
        name: "slo-ticket",
        matchers: ['source="slo"', 'severity="ticket"'],
        classify: "ticket",
        repeatInterval: "24h",
      },
    ],
  },
  inhibitRules: [
    {
      name: "page-holds-tickets",
      sourceMatchers: ['class="page"'],
      targetMatchers: ['class="ticket"'],
      equal: ["service"],
    },
  ],
  autoResolve: { default: "off", bySource: { api: "24h" } },
};

/** {@link DEFAULT_ROUTING_INPUT}, compiled. */
export function defaultRoutingConfig(): RoutingConfig {
  return parseRoutingConfig(DEFAULT_ROUTING_INPUT);
}
