import { Type } from "typebox";

const DURATION = "^([0-9]+(ms|s|m|h|d|w))+$";

/** SMTP server used by email receivers without their own and by people's email contacts. */
export const SmtpConfigSchema = Type.Object(
  {
    host: Type.String({ minLength: 1, description: "SMTP server host name or address." }),
    port: Type.Integer({
      minimum: 1,
      maximum: 65535,
      default: 587,
      description: "SMTP port: 25 or 587 (plain, optionally STARTTLS), 465 (TLS from the start).",
    }),
    secure: Type.Boolean({ default: false, description: "TLS from the first byte (port 465)." }),
    startTls: Type.Boolean({
      default: true,
      description: "Upgrade with STARTTLS when the server offers it.",
    }),
    username: Type.Optional(Type.String({ description: "AUTH PLAIN user name." })),
    password: Type.Optional(Type.String({ description: "AUTH PLAIN password (hidden everywhere)." })),
    from: Type.String({ minLength: 3, description: "Envelope and header sender, e.g. nines@example.com." }),
  },
  { additionalProperties: false },
);

/** The `notifications` section of nines.yaml. */
export const NotificationsConfigSchema = Type.Object(
  {
    allowedHosts: Type.Array(Type.String({ minLength: 1 }), {
      default: [],
      description:
        "Host names, addresses or CIDRs receivers may reach although they are loopback, private or link-local (comma-separated in the variable).",
    }),
    giveUpAfter: Type.String({
      pattern: DURATION,
      default: "1h",
      description: "A notification not delivered this long after it was queued is marked failed.",
    }),
    timeoutMs: Type.Integer({
      minimum: 100,
      maximum: 120_000,
      default: 10_000,
      description: "Time limit of one delivery attempt.",
    }),
    concurrency: Type.Integer({
      minimum: 1,
      maximum: 1_000,
      default: 64,
      description: "Deliveries in flight at once.",
    }),
    pollIntervalMs: Type.Integer({
      minimum: 10,
      maximum: 60_000,
      default: 200,
      description: "How often the delivery worker looks for due notifications when idle.",
    }),
    backoffBaseMs: Type.Integer({
      minimum: 10,
      default: 1_000,
      description: "First retry delay bound (full jitter: each delay is random in [0, min(cap, base·2ⁿ)]).",
    }),
    backoffCapMs: Type.Integer({
      minimum: 100,
      default: 300_000,
      description: "Longest retry delay.",
    }),
    breakerThreshold: Type.Integer({
      minimum: 1,
      default: 5,
      description: "Failed attempts in a row after which a receiver's breaker opens.",
    }),
    breakerHalfOpenMs: Type.Integer({
      minimum: 100,
      default: 30_000,
      description: "How long an open breaker waits before one probe delivery.",
    }),
    smtp: Type.Optional(SmtpConfigSchema),
  },
  { additionalProperties: false },
);
