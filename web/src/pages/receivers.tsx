import { useEffect, useState } from "preact/hooks";
import type { Static } from "typebox";
import type { NotificationSchema, ReceiverView } from "../../../src/notifications/notifications.schemas.js";
import { ApiError, api } from "../api.js";
import { When } from "../components/when.js";
import { navigate } from "../router.js";
import { useSession } from "../session.js";

type NotificationDto = Static<typeof NotificationSchema>;
type ReceiverType = ReceiverView["type"];

export const RECEIVER_TYPES: readonly ReceiverType[] = [
  "webhook",
  "slack",
  "pagerduty",
  "alertmanager",
  "email",
];
const TYPE_LABEL: Record<ReceiverType, string> = {
  webhook: "Webhook",
  slack: "Slack",
  pagerduty: "PagerDuty",
  alertmanager: "Alertmanager",
  email: "Email",
};
const MASK = "********";

/** One problem the server named by field (`config.url`, `name`, …). */
interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

/** The `details` of an API error as field problems, `body.` prefixes removed. */
export function fieldProblems(error: unknown): FieldProblem[] {
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return [];
  return (error.details as unknown[]).flatMap((d) => {
    if (typeof d !== "object" || d === null) return [];
    const { path, message } = d as { path?: unknown; message?: unknown };
    if (typeof path !== "string" || typeof message !== "string") return [];
    return [{ path: path.replace(/^body\./, "").replace(/^body$/, ""), message }];
  });
}

/** The field a problem belongs to: the longest key that is the path or a prefix of it. */
function owner(path: string, keys: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const key of keys) {
    const match = path === key || path.startsWith(`${key}.`) || path.startsWith(`${key}[`);
    if (match && (best === undefined || key.length > best.length)) best = key;
  }
  return best;
}

/** True when the session lacks the admin scope (or the server answered 403). */
const forbidden = (error: unknown) =>
  error instanceof ApiError && (error.status === 403 || error.status === 401);

/** What a receiver sends to (secrets masked as the API returns them) and how. */
export function targetOf(r: ReceiverView): { main: string; extra: string[] } {
  const c = r.config as Record<string, unknown>;
  const headers = c["headers"] && typeof c["headers"] === "object" ? Object.keys(c["headers"] as object) : [];
  const withHeaders = headers.length > 0 ? [`headers ${headers.join(", ")}`] : [];
  switch (r.type) {
    case "webhook":
      return {
        main: String(c["url"]),
        extra: [c["secret"] ? "signed (HMAC-SHA256)" : "unsigned", ...withHeaders],
      };
    case "slack":
      return { main: String(c["url"]), extra: ["incoming webhook"] };
    case "pagerduty":
      return {
        main: String(c["baseUrl"] ?? "https://events.pagerduty.com"),
        extra: [`routing key ${String(c["routingKey"])}`],
      };
    case "alertmanager":
      return {
        main: String(c["url"]),
        extra: [`valid for ${String(c["validFor"] ?? "24h")}`, ...withHeaders],
      };
    case "email": {
      const to = Array.isArray(c["to"]) ? (c["to"] as string[]).join(", ") : "";
      const smtp = c["smtp"] as { host?: string; port?: number } | undefined;
      return { main: to, extra: [`via ${smtp ? `${smtp.host}:${smtp.port}` : "notifications.smtp"}`] };
    }
  }
}

/** A delivery error without the receiver prefix and error code the worker records ("webhook answered 410: …"). */
export function shortError(error: string, receiver?: string): string {
  let text = error;
  if (receiver && text.startsWith(`${receiver}: `)) text = text.slice(receiver.length + 2);
  return text.replace(/^NINES_ERR_[A-Z_]+: /, "");
}

/** Server messages about a field's pattern, said the way a person would. */
function readable(path: string, message: string): string {
  if (!message.startsWith("must match pattern")) return message;
  if (/url$|baseUrl$/i.test(path)) return "must start with http:// or https://";
  if (path === "name")
    return "must be lower case letters, digits, . _ or - (starting with a letter or digit)";
  if (path.endsWith("validFor")) return "must be a duration such as 30m, 12h or 1d";
  if (path.startsWith("config.to")) return "must be an email address (name@example.com)";
  if (path.startsWith("config.headers")) return "header names are letters, digits and -";
  return message;
}

interface FormState {
  name: string;
  type: ReceiverType;
  description: string;
  url: string;
  secret: string;
  headers: string;
  routingKey: string;
  baseUrl: string;
  validFor: string;
  to: string;
  ownSmtp: boolean;
  smtpHost: string;
  smtpPort: string;
  smtpSecure: boolean;
  smtpStartTls: boolean;
  smtpUsername: string;
  smtpPassword: string;
  smtpFrom: string;
}

const EMPTY: FormState = {
  name: "",
  type: "webhook",
  description: "",
  url: "",
  secret: "",
  headers: "",
  routingKey: "",
  baseUrl: "",
  validFor: "",
  to: "",
  ownSmtp: false,
  smtpHost: "",
  smtpPort: "587",
  smtpSecure: false,
  smtpStartTls: true,
  smtpUsername: "",
  smtpPassword: "",
  smtpFrom: "",
};

/** The form prefilled from a receiver as read (masked secrets stay masked: sent back, they are kept). */
function formOf(r: ReceiverView): FormState {
  const c = r.config as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  const headers = c["headers"] as Record<string, string> | undefined;
  const smtp = c["smtp"] as Record<string, unknown> | undefined;
  return {
    ...EMPTY,
    name: r.name,
    type: r.type,
    description: r.description ?? "",
    url: str(c["url"]),
    secret: str(c["secret"]),
    headers: headers
      ? Object.entries(headers)
          .map(([k, v]) => `${k}: ${v}`)
          .join("\n")
      : "",
    routingKey: str(c["routingKey"]),
    baseUrl: str(c["baseUrl"]),
    validFor: str(c["validFor"]),
    to: Array.isArray(c["to"]) ? (c["to"] as string[]).join(", ") : "",
    ownSmtp: smtp !== undefined,
    smtpHost: str(smtp?.["host"]),
    smtpPort: smtp?.["port"] !== undefined ? String(smtp["port"]) : "587",
    smtpSecure: smtp?.["secure"] === true,
    smtpStartTls: smtp?.["startTls"] !== false,
    smtpUsername: str(smtp?.["username"]),
    smtpPassword: str(smtp?.["password"]),
    smtpFrom: str(smtp?.["from"]),
  };
}

/** "Name: value" lines → headers; a line without a colon is a problem for `config.headers`. */
function parseHeaders(text: string): Record<string, string> | string {
  const headers: Record<string, string> = {};
  for (const line of text.split("\n").map((l) => l.trim())) {
    if (line === "") continue;
    const colon = line.indexOf(":");
    if (colon <= 0) return `line "${line}" is not "Name: value"`;
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** The API `config` for the form's type; optional fields left empty are omitted. */
function configOf(f: FormState): { config: Record<string, unknown> } | { problem: FieldProblem } {
  const config = rawConfig(f);
  return "path" in config ? { problem: config as unknown as FieldProblem } : { config };
}

function rawConfig(f: FormState): Record<string, unknown> {
  const opt = (key: string, value: string) => (value.trim() ? { [key]: value.trim() } : {});
  const headers = f.headers.trim() ? parseHeaders(f.headers) : undefined;
  if (typeof headers === "string") return { path: "config.headers", message: headers };
  const withHeaders = headers ? { headers } : {};
  switch (f.type) {
    case "webhook":
      return { url: f.url.trim(), ...opt("secret", f.secret), ...withHeaders };
    case "slack":
      return { url: f.url.trim() };
    case "pagerduty":
      return { routingKey: f.routingKey.trim(), ...opt("baseUrl", f.baseUrl) };
    case "alertmanager":
      return { url: f.url.trim(), ...withHeaders, ...opt("validFor", f.validFor) };
    case "email": {
      const to = f.to.split(/[\s,;]+/).filter((s) => s !== "");
      if (!f.ownSmtp) return { to };
      const port = /^\d+$/.test(f.smtpPort.trim()) ? Number(f.smtpPort.trim()) : f.smtpPort;
      return {
        to,
        smtp: {
          host: f.smtpHost.trim(),
          port,
          secure: f.smtpSecure,
          startTls: f.smtpStartTls,
          ...opt("username", f.smtpUsername),
          ...(f.smtpPassword ? { password: f.smtpPassword } : {}),
          from: f.smtpFrom.trim(),
        },
      };
    }
  }
}

const FIELD_KEYS = [
  "name",
  "type",
  "description",
  "config",
  "config.url",
  "config.secret",
  "config.headers",
  "config.routingKey",
  "config.baseUrl",
  "config.validFor",
  "config.to",
  "config.smtp",
  "config.smtp.host",
  "config.smtp.port",
  "config.smtp.username",
  "config.smtp.password",
  "config.smtp.from",
] as const;

function Field(props: {
  label: string;
  field: string;
  errors: Record<string, string[]>;
  hint?: string;
  children: (a11y: Record<string, string | boolean | undefined>) => preact.ComponentChildren;
  wide?: boolean;
}) {
  const problems = props.errors[props.field] ?? [];
  const id = `rf-${props.field.replace(/\W/g, "-")}`;
  const describedBy = [problems.length ? `${id}-error` : "", props.hint ? `${id}-hint` : ""]
    .filter(Boolean)
    .join(" ");
  return (
    <div class={`field${props.wide ? " wide" : ""}${problems.length ? " invalid" : ""}`}>
      <label for={id}>{props.label}</label>
      {props.children({
        id,
        "aria-invalid": problems.length > 0 ? true : undefined,
        "aria-describedby": describedBy || undefined,
      })}
      {props.hint ? (
        <span class="field-hint" id={`${id}-hint`}>
          {props.hint}
        </span>
      ) : null}
      {problems.length ? (
        <span class="field-error" id={`${id}-error`} role="alert" data-testid={`error-${props.field}`}>
          ▲ {props.field} {problems.join("; ")}
        </span>
      ) : null}
    </div>
  );
}

/** Create or edit one receiver; the server's field errors are shown next to their field. */
function ReceiverForm({
  editing,
  onSaved,
  onCancel,
}: {
  editing: ReceiverView | undefined;
  onSaved: (name: string) => void;
  onCancel: () => void;
}) {
  const [f, setF] = useState<FormState>(editing ? formOf(editing) : EMPTY);
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [general, setGeneral] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<FormState>) => setF({ ...f, ...patch });
  const text = (key: keyof FormState) => ({
    value: f[key] as string,
    onInput: (e: Event) => set({ [key]: (e.target as HTMLInputElement).value }),
  });

  const show = (problems: FieldProblem[], fallback: string) => {
    const byField: Record<string, string[]> = {};
    const loose: string[] = [];
    for (const p of problems) {
      const key = owner(p.path, FIELD_KEYS);
      if (key) byField[key] = [...(byField[key] ?? []), readable(p.path, p.message)];
      else loose.push(`${p.path} ${p.message}`.trim());
    }
    setErrors(byField);
    setGeneral(
      loose.length > 0 || Object.keys(byField).length === 0 ? loose.join("; ") || fallback : undefined,
    );
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const built = configOf(f);
    if ("problem" in built) {
      show([built.problem], "");
      return;
    }
    const { config } = built;
    setBusy(true);
    try {
      const body = {
        type: f.type,
        ...(f.description.trim() ? { description: f.description.trim() } : {}),
        config,
      };
      if (editing) await api("PUT", `/api/v1/receivers/${encodeURIComponent(editing.name)}`, body);
      else await api("POST", "/api/v1/receivers", { name: f.name.trim(), ...body });
      setErrors({});
      setGeneral(undefined);
      onSaved(editing?.name ?? f.name.trim());
    } catch (err) {
      if (forbidden(err)) show([], `${(err as Error).message} — changing receivers needs an admin session.`);
      else show(fieldProblems(err), (err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const secretHint = (value: string) =>
    value === MASK || value.endsWith(`/${MASK}`) ? "Stored secret; leave as is to keep it." : undefined;
  const hasUrl = f.type === "webhook" || f.type === "slack" || f.type === "alertmanager";
  const urlHint: Record<string, string> = {
    webhook: "http or https; the JSON body is POSTed here.",
    slack: "The incoming-webhook URL (kept secret: only its host is shown later).",
    alertmanager: "Base URL; alerts go to {url}/api/v2/alerts.",
  };

  return (
    <form class="card receiver-form" onSubmit={submit} data-testid="receiver-form" noValidate>
      <h2 style="margin:0">{editing ? `Edit ${editing.name}` : "New receiver"}</h2>
      <div class="form-grid">
        <Field
          label="Name"
          field="name"
          errors={errors}
          hint="Lower case, digits, . _ - (routing rules use it)."
        >
          {(a) => (
            <input {...a} {...text("name")} disabled={editing !== undefined} placeholder="payments-hook" />
          )}
        </Field>
        <Field label="Type" field="type" errors={errors}>
          {(a) => (
            <select
              {...a}
              value={f.type}
              onChange={(e) => set({ type: (e.target as HTMLSelectElement).value as ReceiverType })}
            >
              {RECEIVER_TYPES.map((t) => (
                <option value={t}>{TYPE_LABEL[t]}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Description" field="description" errors={errors} wide>
          {(a) => <input {...a} {...text("description")} placeholder="Who reads it and why" />}
        </Field>
        {hasUrl ? (
          <Field
            label="URL"
            field="config.url"
            errors={errors}
            hint={secretHint(f.url) ?? urlHint[f.type]}
            wide
          >
            {(a) => (
              <input
                {...a}
                {...text("url")}
                inputMode="url"
                placeholder={
                  f.type === "slack"
                    ? "https://hooks.slack.com/services/T000/B000/XXXX"
                    : f.type === "alertmanager"
                      ? "http://alertmanager:9093"
                      : "https://hooks.example.com/nines"
                }
              />
            )}
          </Field>
        ) : null}
        {f.type === "webhook" ? (
          <Field
            label="Signing secret"
            field="config.secret"
            errors={errors}
            hint={secretHint(f.secret) ?? "Optional, ≥ 16 characters: signs X-Nines-Signature (HMAC-SHA256)."}
          >
            {(a) => <input {...a} {...text("secret")} type="password" autoComplete="off" />}
          </Field>
        ) : null}
        {f.type === "pagerduty" ? (
          <>
            <Field
              label="Routing key"
              field="config.routingKey"
              errors={errors}
              hint={secretHint(f.routingKey) ?? "Integration key of an Events API v2 integration."}
            >
              {(a) => <input {...a} {...text("routingKey")} type="password" autoComplete="off" />}
            </Field>
            <Field label="Events API base URL" field="config.baseUrl" errors={errors} hint="Optional.">
              {(a) => <input {...a} {...text("baseUrl")} placeholder="https://events.pagerduty.com" />}
            </Field>
          </>
        ) : null}
        {f.type === "alertmanager" ? (
          <Field
            label="Valid for"
            field="config.validFor"
            errors={errors}
            hint="How far ahead a firing alert's endsAt is (default 24h)."
          >
            {(a) => <input {...a} {...text("validFor")} placeholder="24h" size={8} />}
          </Field>
        ) : null}
        {f.type === "webhook" || f.type === "alertmanager" ? (
          <Field
            label="Extra headers"
            field="config.headers"
            errors={errors}
            hint='One "Name: value" a line, e.g. Authorization: Bearer …; values are kept secret.'
            wide
          >
            {(a) => <textarea {...a} {...text("headers")} rows={2} />}
          </Field>
        ) : null}
        {f.type === "email" ? (
          <>
            <Field
              label="Recipients"
              field="config.to"
              errors={errors}
              hint="Addresses, comma-separated."
              wide
            >
              {(a) => <input {...a} {...text("to")} placeholder="payments-oncall@example.com" />}
            </Field>
            <div class="field wide">
              <label>
                <input
                  type="checkbox"
                  checked={f.ownSmtp}
                  onChange={(e) => set({ ownSmtp: (e.target as HTMLInputElement).checked })}
                />{" "}
                Own SMTP server (otherwise notifications.smtp)
              </label>
            </div>
            {f.ownSmtp ? (
              <>
                <Field label="SMTP host" field="config.smtp.host" errors={errors}>
                  {(a) => <input {...a} {...text("smtpHost")} placeholder="smtp.example.com" />}
                </Field>
                <Field label="SMTP port" field="config.smtp.port" errors={errors}>
                  {(a) => <input {...a} {...text("smtpPort")} size={6} />}
                </Field>
                <Field label="From" field="config.smtp.from" errors={errors}>
                  {(a) => <input {...a} {...text("smtpFrom")} placeholder="nines@example.com" />}
                </Field>
                <Field label="SMTP user" field="config.smtp.username" errors={errors}>
                  {(a) => <input {...a} {...text("smtpUsername")} autoComplete="off" />}
                </Field>
                <Field
                  label="SMTP password"
                  field="config.smtp.password"
                  errors={errors}
                  hint={secretHint(f.smtpPassword)}
                >
                  {(a) => <input {...a} {...text("smtpPassword")} type="password" autoComplete="off" />}
                </Field>
                <div class="field">
                  <label>
                    <input
                      type="checkbox"
                      checked={f.smtpSecure}
                      onChange={(e) => set({ smtpSecure: (e.target as HTMLInputElement).checked })}
                    />{" "}
                    TLS from the start (465)
                  </label>
                  <label>
                    <input
                      type="checkbox"
                      checked={f.smtpStartTls}
                      onChange={(e) => set({ smtpStartTls: (e.target as HTMLInputElement).checked })}
                    />{" "}
                    STARTTLS when offered
                  </label>
                </div>
              </>
            ) : null}
          </>
        ) : null}
      </div>
      {errors["config"] ? (
        <p class="error" role="alert">
          config {errors["config"].join("; ")}
        </p>
      ) : null}
      {general ? (
        <p class="error" role="alert" data-testid="receiver-form-error">
          {general}
        </p>
      ) : null}
      <div class="form-actions">
        <button type="submit" disabled={busy}>
          {editing ? "Save receiver" : "Create receiver"}
        </button>
        <button type="button" class="ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

const STATUS_ICON: Record<NotificationDto["status"], string> = { pending: "○", delivered: "✓", failed: "✕" };
export const STATUS_CLASS: Record<NotificationDto["status"], string> = {
  pending: "s-no-data",
  delivered: "s-ok",
  failed: "s-page",
};

/** A notification's state as colour, icon and word. */
export function StatusBadge({ status }: { status: NotificationDto["status"] }) {
  return (
    <span class={`state-badge ${STATUS_CLASS[status]}`}>
      <span aria-hidden="true">{STATUS_ICON[status]}</span> {status}
    </span>
  );
}

/** The test just sent to a receiver, followed until it is delivered or failed. */
function TestResult({
  receiver,
  subject,
  onSettled,
}: {
  receiver: string;
  subject: string;
  onSettled: () => void;
}) {
  const [n, setN] = useState<NotificationDto | undefined>(undefined);
  useEffect(() => {
    let stop = false;
    let tries = 0;
    const poll = async () => {
      try {
        const [found] = await api<NotificationDto[]>(
          "GET",
          `/api/v1/notifications?subject=${encodeURIComponent(subject)}&limit=1`,
        );
        if (!stop && found) setN(found);
        if (found !== undefined && found.status !== "pending") {
          if (!stop) onSettled();
          return;
        }
      } catch {
        // keep polling a little; the link below still leads to the audit log
      }
      if (!stop && ++tries < 60) setTimeout(poll, 1000);
    };
    poll();
    return () => {
      stop = true;
    };
  }, [subject]);
  return (
    <div class="card test-result" data-testid="test-result" role="status">
      Test notification queued to <strong>{receiver}</strong> (subject <code>{subject}</code>).{" "}
      {n ? (
        <>
          <StatusBadge status={n.status} />
          {n.status === "pending"
            ? n.attempts > 0
              ? ` after ${n.attempts} attempt${n.attempts === 1 ? "" : "s"}, retrying`
              : " — waiting for the delivery worker"
            : ""}
          {n.lastError && n.status !== "delivered" ? (
            <span class={n.status === "failed" ? "s-page" : "muted"}>
              {" "}
              · {shortError(n.lastError, receiver)}
            </span>
          ) : null}{" "}
          ·{" "}
          <a href={`/notifications/${n.id}`} data-testid="test-audit-link">
            audit record #{n.id}
          </a>
        </>
      ) : (
        <a href={`/notifications?subject=${encodeURIComponent(subject)}`}>audit log</a>
      )}
    </div>
  );
}

/** A receiver's newest notification: delivered, retrying or failed, and when. */
function LastSent({ receiver, n }: { receiver: string; n: NotificationDto | null | undefined }) {
  if (n === undefined) return <span class="muted">…</span>;
  if (n === null) return <span class="muted">none yet</span>;
  return (
    <>
      <a href={`/notifications/${n.id}`} class="plain">
        <StatusBadge status={n.status} />
      </a>{" "}
      <When at={n.deliveredAt ?? n.failedAt ?? n.createdAt} />
      {n.lastError && n.status !== "delivered" ? (
        <div class={n.status === "failed" ? "s-page clamp" : "muted clamp"} title={n.lastError}>
          {shortError(n.lastError, receiver)}
        </div>
      ) : null}
    </>
  );
}

/** Sub-navigation between the receivers and the notification audit log. */
export function NotificationTabs({ current }: { current: "receivers" | "notifications" }) {
  return (
    <nav class="range-picker tabs" aria-label="Notifications">
      <a
        href="/receivers"
        class={`button small${current === "receivers" ? "" : " ghost"}`}
        aria-current={current === "receivers" ? "page" : undefined}
      >
        Receivers
      </a>
      <a
        href="/notifications"
        class={`button small${current === "notifications" ? "" : " ghost"}`}
        aria-current={current === "notifications" ? "page" : undefined}
      >
        Audit log
      </a>
    </nav>
  );
}

/** Receivers: list with masked targets, create/edit per type, delete with confirmation, send a test. */
export function ReceiversPage({ query }: { query: URLSearchParams }) {
  const editName = query.get("edit") ?? "";
  const creating = query.get("new") !== null;
  const { session } = useSession();
  const [receivers, setReceivers] = useState<ReceiverView[] | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [confirming, setConfirming] = useState<string | undefined>(undefined);
  const [test, setTest] = useState<{ receiver: string; subject: string } | undefined>(undefined);
  const [busy, setBusy] = useState<string | undefined>(undefined);
  const [lastSent, setLastSent] = useState<Record<string, NotificationDto | null>>({});

  /** The newest notification of each receiver: is it working? */
  const loadLastSent = (list: readonly ReceiverView[]) =>
    Promise.all(
      list.map((r) =>
        api<NotificationDto[]>(
          "GET",
          `/api/v1/notifications?receiver=${encodeURIComponent(r.name)}&limit=1`,
        ).then(
          ([n]) => [r.name, n ?? null] as const,
          () => [r.name, null] as const,
        ),
      ),
    ).then((pairs) => setLastSent(Object.fromEntries(pairs)));
  const load = () =>
    api<ReceiverView[]>("GET", "/api/v1/receivers").then(
      (list) => {
        setReceivers(list);
        setError(undefined);
        loadLastSent(list);
      },
      (err: Error) => setError(`Could not load receivers: ${err.message}. Reload the page to retry.`),
    );
  useEffect(() => {
    load();
  }, []);

  const isAdmin = session?.scope === "admin";
  const adminNeeded =
    session === undefined || isAdmin
      ? undefined
      : session.authenticated
        ? `Signed in as ${session.name} with the ${session.scope} scope: creating, changing, deleting and testing receivers needs an admin session.`
        : "Not signed in: creating, changing, deleting and testing receivers needs an admin session.";
  const failWrite = (err: unknown, what: string) =>
    setError(
      forbidden(err)
        ? `Could not ${what}: ${(err as Error).message}. This needs an admin session — sign in with an admin token.`
        : `Could not ${what}: ${(err as Error).message}`,
    );

  const remove = async (name: string) => {
    setBusy(name);
    try {
      await api("DELETE", `/api/v1/receivers/${encodeURIComponent(name)}`);
      setConfirming(undefined);
      if (test?.receiver === name) setTest(undefined);
      await load();
    } catch (err) {
      failWrite(err, `delete ${name}`);
    } finally {
      setBusy(undefined);
    }
  };
  const sendTest = async (name: string) => {
    setBusy(name);
    setTest(undefined);
    try {
      const { subject } = await api<{ count: number; subject: string }>(
        "POST",
        "/api/v1/notifications/test",
        {
          receiver: name,
        },
      );
      setTest({ receiver: name, subject });
      setError(undefined);
    } catch (err) {
      failWrite(err, `send a test to ${name}`);
    } finally {
      setBusy(undefined);
    }
  };

  const editing = receivers?.find((r) => r.name === editName);
  const formOpen = creating || editing !== undefined;
  const closeForm = () => navigate("/receivers");

  return (
    <section>
      <h1>Receivers</h1>
      <NotificationTabs current="receivers" />
      <p class="muted">
        Where pages, tickets and their changes are sent. Routing rules and escalation policies name a
        receiver; every delivery is recorded in the <a href="/notifications">audit log</a>. Secrets are never
        shown.
      </p>
      {adminNeeded ? (
        <p class="notice" role="note" data-testid="admin-needed">
          {adminNeeded} <a href="/sign-in?next=/receivers">Sign in with an admin token</a>.
        </p>
      ) : null}
      {!formOpen ? (
        <p>
          <button type="button" onClick={() => navigate("/receivers?new")} disabled={!isAdmin}>
            New receiver
          </button>
        </p>
      ) : (
        <ReceiverForm
          key={editName || "new"}
          editing={editing}
          onSaved={() => {
            closeForm();
            load();
          }}
          onCancel={closeForm}
        />
      )}
      {error ? (
        <p class="error" role="alert" data-testid="receivers-error">
          {error}
        </p>
      ) : null}
      {test ? (
        <TestResult
          key={test.subject}
          receiver={test.receiver}
          subject={test.subject}
          onSettled={() => receivers && loadLastSent(receivers)}
        />
      ) : null}
      {receivers === undefined ? (
        <p class="muted">Loading receivers…</p>
      ) : receivers.length === 0 ? (
        <p class="muted empty" data-testid="no-receivers">
          No receivers yet. Create one above, or with{" "}
          <code>nines receiver add oncall-hook --type webhook --endpoint https://…</code>.
        </p>
      ) : (
        <table class="list" data-testid="receivers">
          <thead>
            <tr>
              <th>Name</th>
              <th>Type</th>
              <th>Target</th>
              <th>Last notification</th>
              <th>Updated</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {receivers.map((r) => (
              <tr data-testid={`receiver-${r.name}`}>
                <td>
                  <strong>{r.name}</strong>
                  {r.description ? <div class="small muted">{r.description}</div> : null}
                </td>
                <td>{TYPE_LABEL[r.type]}</td>
                <td class="target">
                  <code>{targetOf(r).main}</code>
                  <div class="small muted">{targetOf(r).extra.join(" · ")}</div>
                </td>
                <td class="small" data-testid={`last-${r.name}`}>
                  <LastSent receiver={r.name} n={lastSent[r.name]} />
                </td>
                <td class="small">
                  <When at={r.updatedAt} />
                  <div class="muted">by {r.updatedBy}</div>
                </td>
                <td class="row-actions">
                  {confirming === r.name ? (
                    <span class="confirm" role="alertdialog" aria-label={`Delete ${r.name}?`}>
                      Delete {r.name}? Rules naming it stop notifying.{" "}
                      <button
                        type="button"
                        class="small danger"
                        disabled={busy === r.name}
                        onClick={() => remove(r.name)}
                      >
                        Delete
                      </button>{" "}
                      <button type="button" class="small ghost" onClick={() => setConfirming(undefined)}>
                        Keep
                      </button>
                    </span>
                  ) : (
                    <>
                      <button
                        type="button"
                        class="small"
                        disabled={!isAdmin || busy === r.name}
                        onClick={() => sendTest(r.name)}
                      >
                        Send test
                      </button>{" "}
                      <a
                        href={`/notifications?receiver=${encodeURIComponent(r.name)}`}
                        class="button small ghost"
                      >
                        History
                      </a>{" "}
                      <button
                        type="button"
                        class="small ghost"
                        disabled={!isAdmin}
                        onClick={() => navigate(`/receivers?edit=${encodeURIComponent(r.name)}`)}
                      >
                        Edit
                      </button>{" "}
                      <button
                        type="button"
                        class="small ghost"
                        disabled={!isAdmin}
                        onClick={() => setConfirming(r.name)}
                      >
                        Delete…
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
