import net from "node:net";
import tls from "node:tls";
import { deliveryError } from "./delivery-error.js";
import type { SocketLookup } from "./destination-guard.js";

export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  /** TLS from the first byte (port 465). */
  readonly secure: boolean;
  /** Upgrade with STARTTLS when the server offers it. */
  readonly startTls: boolean;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly from: string;
}

export interface Mail {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  /** Extra header lines (ASCII), e.g. Message-ID. */
  readonly headers?: Readonly<Record<string, string>>;
}

interface Reply {
  readonly code: number;
  readonly lines: readonly string[];
}

/** RFC 2047 encoded word for a header value that is not plain ASCII. */
function encodeHeader(value: string): string {
  const clean = value.replace(/[\r\n]+/g, " ");
  if (/^[\x20-\x7e]*$/.test(clean)) return clean;
  return `=?UTF-8?B?${Buffer.from(clean, "utf8").toString("base64")}?=`;
}

function address(value: string): string {
  if (/[\r\n<>]/.test(value)) throw deliveryError(`invalid email address "${value}"`, { permanent: true });
  return value;
}

/** The message in RFC 5322 form: headers, a base64 UTF-8 text body, CRLF line ends. */
export function formatMail(from: string, mail: Mail, date = new Date()): string {
  const headers = [
    `From: ${address(from)}`,
    `To: ${mail.to.map(address).join(", ")}`,
    `Subject: ${encodeHeader(mail.subject)}`,
    `Date: ${date.toUTCString().replace("GMT", "+0000")}`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: base64",
    ...Object.entries(mail.headers ?? {}).map(([k, v]) => `${k}: ${encodeHeader(v)}`),
  ];
  const body = (
    Buffer.from(mail.text, "utf8")
      .toString("base64")
      .match(/.{1,76}/g) ?? []
  ).join("\r\n");
  return `${headers.join("\r\n")}\r\n\r\n${body}\r\n`;
}

/** Dot-stuffing (RFC 5321 §4.5.2) and the terminating line. */
function dataBlock(message: string): string {
  return `${message.replace(/\r?\n/g, "\r\n").replace(/^\./gm, "..")}\r\n.\r\n`;
}

class SmtpConnection {
  #socket: net.Socket;
  #buffer = "";
  #lines: string[] = [];
  #waiting: { resolve: (r: Reply) => void; reject: (e: unknown) => void } | undefined;
  #error: unknown;

  constructor(socket: net.Socket) {
    this.#socket = socket;
    this.#attach(socket);
  }

  #attach(socket: net.Socket) {
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => this.#onData(chunk));
    socket.on("error", (error) => this.#fail(error));
    socket.on("close", () => this.#fail(deliveryError("SMTP connection closed", { permanent: false })));
  }

  #fail(error: unknown) {
    this.#error ??= error;
    const waiting = this.#waiting;
    this.#waiting = undefined;
    waiting?.reject(error);
  }

  #onData(chunk: string) {
    this.#buffer += chunk;
    let newline = this.#buffer.indexOf("\n");
    while (newline >= 0) {
      const line = this.#buffer.slice(0, newline).replace(/\r$/, "");
      this.#buffer = this.#buffer.slice(newline + 1);
      this.#lines.push(line);
      if (/^\d{3}(?: |$)/.test(line)) {
        const reply = { code: Number(line.slice(0, 3)), lines: this.#lines.map((l) => l.slice(4)) };
        this.#lines = [];
        const waiting = this.#waiting;
        this.#waiting = undefined;
        waiting?.resolve(reply);
      }
      newline = this.#buffer.indexOf("\n");
    }
  }

  read(): Promise<Reply> {
    if (this.#error !== undefined) return Promise.reject(this.#error);
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
    });
  }

  async command(line: string, expect: readonly number[], shown = line): Promise<Reply> {
    const reply = this.read();
    this.#socket.write(`${line}\r\n`);
    return check(await reply, expect, shown);
  }

  async upgrade(options: tls.ConnectionOptions): Promise<void> {
    const plain = this.#socket;
    plain.removeAllListeners("data");
    plain.removeAllListeners("close");
    const secure = tls.connect({ ...options, socket: plain });
    await new Promise<void>((resolve, reject) => {
      secure.once("secureConnect", () => resolve());
      secure.once("error", reject);
    });
    this.#socket = secure;
    this.#attach(secure);
  }

  write(data: string) {
    this.#socket.write(data);
  }

  close() {
    this.#socket.destroy();
  }
}

function check(reply: Reply, expect: readonly number[], command: string): Reply {
  if (expect.includes(reply.code)) return reply;
  throw deliveryError(
    `SMTP ${command.split(" ")[0]} answered ${reply.code} ${reply.lines.join(" ")}`.slice(0, 400),
    {
      status: reply.code,
      // 4yz is a transient negative reply (try again later), 5yz permanent (RFC 5321 §4.2.1).
      permanent: reply.code >= 500,
    },
  );
}

export interface SmtpSendOptions {
  readonly signal: AbortSignal;
  /** Connect-time lookup (the destination guard for user-configured SMTP hosts). */
  readonly lookup?: SocketLookup;
  /** Extra TLS options (tests trust a self-signed certificate). */
  readonly tls?: tls.ConnectionOptions;
}

/**
 * Sends one message: EHLO, STARTTLS when offered and wanted, AUTH PLAIN when a user is set,
 * MAIL FROM, RCPT TO for each recipient, DATA, QUIT. Throws a delivery error with the SMTP reply
 * code (4xx retried, 5xx permanent).
 */
export async function sendMail(
  settings: SmtpSettings,
  mail: Mail,
  options: SmtpSendOptions,
): Promise<number> {
  const connectOptions = {
    host: settings.host,
    port: settings.port,
    ...(options.lookup ? { lookup: options.lookup as unknown as net.LookupFunction } : {}),
  };
  const socket = settings.secure
    ? tls.connect({ ...connectOptions, servername: settings.host, ...options.tls })
    : net.connect(connectOptions);
  const connection = new SmtpConnection(socket);
  const abort = () => connection.close();
  options.signal.addEventListener("abort", abort, { once: true });
  try {
    if (options.signal.aborted) throw options.signal.reason;
    check(await connection.read(), [220], "greeting");
    let ehlo = await connection.command("EHLO nines", [250]);
    const offers = (word: string) => ehlo.lines.some((l) => l.toUpperCase().startsWith(word));
    if (!settings.secure && settings.startTls && offers("STARTTLS")) {
      await connection.command("STARTTLS", [220]);
      await connection.upgrade({ servername: settings.host, ...options.tls });
      ehlo = await connection.command("EHLO nines", [250]);
    }
    if (settings.username) {
      const credentials = Buffer.from(`\u0000${settings.username}\u0000${settings.password ?? ""}`).toString(
        "base64",
      );
      await connection.command(`AUTH PLAIN ${credentials}`, [235], "AUTH PLAIN [credentials]");
    }
    await connection.command(`MAIL FROM:<${address(settings.from)}>`, [250]);
    for (const to of mail.to) await connection.command(`RCPT TO:<${address(to)}>`, [250, 251]);
    await connection.command("DATA", [354]);
    const done = connection.read();
    connection.write(dataBlock(formatMail(settings.from, mail)));
    const accepted = check(await done, [250], "DATA");
    await connection.command("QUIT", [221]).catch(() => undefined);
    return accepted.code;
  } finally {
    options.signal.removeEventListener("abort", abort);
    connection.close();
  }
}
