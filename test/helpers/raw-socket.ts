// A raw TCP client for protocol-level tests: write bytes, read what the server sends back and
// whether it closed the connection.

import net from "node:net";

export class RawClient {
  private data = "";
  closed = false;
  private waiters: (() => void)[] = [];
  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding("latin1");
    socket.on("data", (d: string) => {
      this.data += d;
      this.wake();
    });
    socket.on("close", () => {
      this.closed = true;
      this.wake();
    });
    socket.on("error", () => {});
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, "127.0.0.1", () => resolve(new RawClient(s)));
      s.once("error", reject);
    });
  }

  write(bytes: string): void {
    this.socket.write(Buffer.from(bytes, "latin1"));
  }

  /** Resolves with everything received once `done` holds for it (or the socket closed). */
  async readUntil(done: (data: string) => boolean, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this.data) && !this.closed) {
      if (Date.now() > deadline) throw new Error(`timed out; received ${JSON.stringify(this.data)}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 50);
      });
    }
    return this.data;
  }

  /** Waits until the server closes the connection. */
  async waitClosed(timeoutMs = 5000): Promise<string> {
    return this.readUntil(() => false, timeoutMs).catch(() => {
      throw new Error(`server did not close; received ${JSON.stringify(this.data)}`);
    });
  }

  end(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
