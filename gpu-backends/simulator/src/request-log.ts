/** Ring buffer of recent request bodies, so gateway tests can assert what the upstream received. */
export interface LoggedRequest {
  seq: number;
  time: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

export class RequestLog {
  private readonly items: LoggedRequest[] = [];
  private seq = 0;

  constructor(private readonly capacity: number) {}

  add(method: string, path: string, rawHeaders: Record<string, string | string[] | undefined>, body: unknown): void {
    if (this.capacity === 0) return;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(rawHeaders)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
    this.items.push({ seq: ++this.seq, time: Date.now(), method, path, headers, body });
    if (this.items.length > this.capacity) this.items.shift();
  }

  list(): LoggedRequest[] {
    return [...this.items];
  }

  clear(): void {
    this.items.length = 0;
  }
}
