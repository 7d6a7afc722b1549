/**
 * A minimal HTTP/1.1 keep-alive client on a raw TCP socket, for load generators that share the
 * machine with the server they measure: writing prebuilt request bytes and reading only the
 * status line and Content-Length costs a fraction of node:http's client (as wrk and autocannon
 * do), which leaves the CPU to the server. One request at a time per connection (no pipelining).
 */
import { connect, type Socket } from "node:net";

export interface RawResponse {
  readonly status: number;
  readonly body: string;
}

const HEAD_END = Buffer.from("\r\n\r\n");
const EMPTY = Buffer.alloc(0);

export class RawHttpConnection {
  private readonly socket: Socket;
  private pending: Buffer = Buffer.alloc(0);
  private waiting: { resolve: (r: RawResponse) => void; reject: (e: Error) => void } | undefined;
  private readonly ready: Promise<void>;

  constructor(url: URL) {
    this.socket = connect({ host: url.hostname, port: Number(url.port), noDelay: true });
    this.ready = new Promise((resolve, reject) => {
      this.socket.once("connect", resolve);
      this.socket.once("error", reject);
    });
    this.socket.on("data", (chunk: Buffer) => this.read(chunk));
    this.socket.on("error", (error) => this.fail(error));
    this.socket.on("close", () => this.fail(new Error("the server closed the connection")));
  }

  /** Sends a request whose head (ending in a blank line) and body are already bytes. */
  async send(head: Buffer, body: Buffer = EMPTY): Promise<RawResponse> {
    await this.ready;
    if (this.waiting) throw new Error("one request at a time per connection");
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.cork();
      this.socket.write(head);
      if (body.length > 0) this.socket.write(body);
      this.socket.uncork();
    });
  }

  close(): void {
    this.socket.removeAllListeners("close");
    this.socket.destroy();
  }

  private read(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const headEnd = this.pending.indexOf(HEAD_END);
    if (headEnd < 0) return;
    const head = this.pending.subarray(0, headEnd).toString("latin1");
    const status = Number(head.slice(9, 12));
    const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!length) {
      this.fail(new Error(`response without Content-Length (status ${status}): ${head.slice(0, 200)}`));
      return;
    }
    const end = headEnd + HEAD_END.length + Number(length[1]);
    if (this.pending.length < end) return;
    const body = this.pending.subarray(headEnd + HEAD_END.length, end).toString("utf8");
    this.pending = this.pending.subarray(end);
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.resolve({ status, body });
  }

  private fail(error: Error): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.reject(error);
  }
}

/** The head of a GET, or of a POST with a JSON body of `length` bytes. */
export function requestHead(
  method: "GET" | "POST",
  url: URL,
  length = 0,
  headers: Record<string, string> = {},
): Buffer {
  const lines = [
    `${method} ${url.pathname}${url.search} HTTP/1.1`,
    `Host: ${url.host}`,
    ...(method === "POST" ? ["Content-Type: application/json", `Content-Length: ${length}`] : []),
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1");
}
