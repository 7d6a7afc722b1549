import { type Static, Type } from "typebox";
import { fieldErrors } from "../schema/field-errors.js";
import type { DestinationGuard } from "./destination-guard.js";
import { ReceiverInvalidError } from "./errors.js";

/** Shown instead of a secret; sending it back in a PUT keeps the stored value. */
export const MASK = "********";

const HttpUrl = (description: string) =>
  Type.String({
    minLength: 8,
    maxLength: 2000,
    pattern: "^[hH][tT][tT][pP][sS]?://",
    patternMessage: "must start with http:// or https://",
    description,
  });
const Headers = Type.Record(
  Type.String({ pattern: "^[A-Za-z0-9-]{1,100}$" }),
  Type.String({ maxLength: 4000 }),
  {
    description: "Extra request headers (values are secrets: masked when read).",
  },
);
const DURATION = "^([0-9]+(ms|s|m|h|d|w))+$";

export const WebhookConfig = Type.Object(
  {
    url: HttpUrl("Where the JSON body is POSTed."),
    secret: Type.Optional(
      Type.String({ minLength: 16, maxLength: 500, description: "HMAC-SHA256 key of X-Nines-Signature." }),
    ),
    headers: Type.Optional(Headers),
  },
  { additionalProperties: false },
);
export const SlackConfig = Type.Object(
  { url: HttpUrl("The Slack incoming webhook URL (a secret: masked when read).") },
  { additionalProperties: false },
);
export const PagerDutyConfig = Type.Object(
  {
    routingKey: Type.String({
      minLength: 1,
      maxLength: 200,
      description: "Integration key of an Events API v2 integration (masked when read).",
    }),
    baseUrl: Type.Optional(HttpUrl("Events API base URL (default https://events.pagerduty.com).")),
  },
  { additionalProperties: false },
);
export const AlertmanagerConfig = Type.Object(
  {
    url: HttpUrl("Alertmanager base URL; alerts are POSTed to {url}/api/v2/alerts."),
    headers: Type.Optional(Headers),
    validFor: Type.Optional(
      Type.String({
        pattern: DURATION,
        description: "endsAt of a firing alert is this far ahead (default 24h); a resolve ends it at once.",
      }),
    ),
  },
  { additionalProperties: false },
);
export const EmailSmtpConfig = Type.Object(
  {
    host: Type.String({ minLength: 1, maxLength: 255 }),
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    secure: Type.Optional(Type.Boolean()),
    startTls: Type.Optional(Type.Boolean()),
    username: Type.Optional(Type.String({ maxLength: 500 })),
    password: Type.Optional(Type.String({ maxLength: 500 })),
    from: Type.String({ minLength: 3, maxLength: 320 }),
  },
  { additionalProperties: false },
);
export const EmailConfig = Type.Object(
  {
    to: Type.Array(Type.String({ pattern: "^[^\\s<>@]+@[^\\s<>@]+$", maxLength: 320 }), {
      minItems: 1,
      maxItems: 50,
      description: "Recipients.",
    }),
    smtp: Type.Optional(EmailSmtpConfig),
  },
  { additionalProperties: false },
);

export const RECEIVER_TYPES = ["webhook", "slack", "pagerduty", "alertmanager", "email"] as const;
export type ReceiverType = (typeof RECEIVER_TYPES)[number];

const CONFIG_SCHEMAS = {
  webhook: WebhookConfig,
  slack: SlackConfig,
  pagerduty: PagerDutyConfig,
  alertmanager: AlertmanagerConfig,
  email: EmailConfig,
} as const;

export type ReceiverConfigs = {
  webhook: Static<typeof WebhookConfig>;
  slack: Static<typeof SlackConfig>;
  pagerduty: Static<typeof PagerDutyConfig>;
  alertmanager: Static<typeof AlertmanagerConfig>;
  email: Static<typeof EmailConfig>;
};

/** A type with its matching configuration. */
export type TypedConfig = {
  [K in ReceiverType]: { readonly type: K; readonly config: ReceiverConfigs[K] };
}[ReceiverType];

/** A receiver as stored: `config` holds the secrets. */
export type Receiver = {
  [K in ReceiverType]: {
    readonly name: string;
    readonly type: K;
    readonly description?: string;
    readonly config: ReceiverConfigs[K];
    readonly createdAt: number;
    readonly updatedAt: number;
    readonly updatedBy: string;
  };
}[ReceiverType];

export const RECEIVER_NAME_PATTERN = "^[a-z0-9][a-z0-9._-]{0,99}$";

function invalid(field: string, message: string): never {
  throw new ReceiverInvalidError(`${field} ${message}`, [{ path: field, message }]);
}

function checkUrl(value: string, field: string, guard: DestinationGuard | undefined) {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    invalid(field, "is not a URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") invalid(field, "must be an http or https URL");
  if (url.username || url.password) invalid(field, "must not carry credentials (use headers)");
  if (guard) {
    try {
      guard.checkLiteral(url.hostname, field);
    } catch {
      invalid(
        field,
        `points at ${url.hostname}, a loopback, private, link-local or metadata address not in notifications.allowedHosts`,
      );
    }
  }
}

/**
 * Validates a receiver's type and configuration, with every problem named by field
 * (`config.url`, `config.routingKey`, …). URLs must be http(s), without credentials, and not an
 * address literal the destination guard refuses (names are checked again at connect time).
 */
export function validateReceiverConfig(
  type: string,
  config: unknown,
  guard?: DestinationGuard,
): ReceiverConfigs[ReceiverType] {
  if (!(RECEIVER_TYPES as readonly string[]).includes(type))
    invalid("type", `must be one of ${RECEIVER_TYPES.join(", ")}`);
  const schema = CONFIG_SCHEMAS[type as ReceiverType];
  const errors = fieldErrors(schema, config);
  if (errors.length > 0) {
    const details = errors.map((e) => ({ path: e.path ? `config.${e.path}` : "config", message: e.message }));
    throw new ReceiverInvalidError(
      `invalid ${type} receiver: ${details.map((d) => `${d.path} ${d.message}`).join("; ")}`,
      details,
    );
  }
  const typed = config as Record<string, unknown>;
  for (const key of ["url", "baseUrl"])
    if (typeof typed[key] === "string") checkUrl(typed[key], `config.${key}`, guard);
  return config as ReceiverConfigs[ReceiverType];
}

function maskUrl(value: string): string {
  try {
    const url = new URL(value);
    return `${url.protocol}//${url.host}/${MASK}`;
  } catch {
    return MASK;
  }
}

const maskHeaders = (headers: Record<string, string> | undefined) =>
  headers ? Object.fromEntries(Object.keys(headers).map((k) => [k, MASK])) : undefined;

/** The configuration with every secret replaced by {@link MASK} (Slack URLs keep only their host). */
export function maskConfig(receiver: TypedConfig): Record<string, unknown> {
  switch (receiver.type) {
    case "webhook": {
      const { secret, headers, ...rest } = receiver.config;
      return {
        ...rest,
        ...(secret ? { secret: MASK } : {}),
        ...(headers ? { headers: maskHeaders(headers) } : {}),
      };
    }
    case "slack":
      return { url: maskUrl(receiver.config.url) };
    case "pagerduty":
      return { ...receiver.config, routingKey: MASK };
    case "alertmanager": {
      const { headers, ...rest } = receiver.config;
      return { ...rest, ...(headers ? { headers: maskHeaders(headers) } : {}) };
    }
    case "email": {
      const { smtp, ...rest } = receiver.config;
      if (!smtp) return rest;
      const { password, ...server } = smtp;
      return { ...rest, smtp: { ...server, ...(password ? { password: MASK } : {}) } };
    }
  }
}

/**
 * Puts stored secrets back where an update sent {@link MASK} (or a masked Slack URL), so a
 * configuration read with GET can be edited and sent back without knowing the secrets.
 */
export function unmaskConfig(type: string, incoming: unknown, stored: TypedConfig | undefined): unknown {
  if (!stored || stored.type !== type || typeof incoming !== "object" || incoming === null) return incoming;
  const next = structuredClone(incoming) as Record<string, unknown>;
  const old = stored.config as Record<string, unknown>;
  const restore = (target: Record<string, unknown>, source: Record<string, unknown>, key: string) => {
    const value = target[key];
    if (typeof value === "string" && (value === MASK || value.endsWith(`/${MASK}`)) && key in source)
      target[key] = source[key];
  };
  for (const key of ["secret", "url", "routingKey"]) restore(next, old, key);
  const headers = next["headers"];
  const oldHeaders = old["headers"];
  if (
    typeof headers === "object" &&
    headers !== null &&
    typeof oldHeaders === "object" &&
    oldHeaders !== null
  )
    for (const key of Object.keys(headers))
      restore(headers as Record<string, unknown>, oldHeaders as Record<string, unknown>, key);
  const smtp = next["smtp"];
  const oldSmtp = old["smtp"];
  if (typeof smtp === "object" && smtp !== null && typeof oldSmtp === "object" && oldSmtp !== null)
    restore(smtp as Record<string, unknown>, oldSmtp as Record<string, unknown>, "password");
  return next;
}
