/**
 * A minimal protobuf wire writer for the few OTLP messages we send (span-protobuf.ts): varints,
 * fixed64, doubles, UTF-8 strings and length-delimited submessages, into one growable buffer
 * that is reused from request to request (a request's bytes are sliced out once).
 *
 * A submessage's length is not known before its content is written, so `begin` reserves one
 * byte for it and `end` writes it, moving the content right in the rare case the length needs
 * more than one byte (a submessage of 128 bytes or more): no sizing pass, no per-message
 * buffers as general-purpose writers (protobufjs' fork/join) allocate.
 */

const TWO_32 = 2 ** 32;
const utf8 = new TextEncoder();

export const WireType = { VARINT: 0, I64: 1, LEN: 2, I32: 5 } as const;

export class ProtoWriter {
  buf: Uint8Array;
  private view: DataView;
  pos = 0;

  constructor(initial = 4096) {
    this.buf = new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Takes what was written as its own bytes and starts over (the buffer is kept). */
  take(): Uint8Array {
    const out = this.buf.slice(0, this.pos);
    this.pos = 0;
    return out;
  }

  tag(field: number, wire: number): void {
    this.uint32((field << 3) | wire);
  }

  uint32(v: number): void {
    this.ensure(5);
    while (v > 127) {
      this.buf[this.pos++] = (v & 127) | 128;
      v >>>= 7;
    }
    this.buf[this.pos++] = v;
  }

  /** int64 as a varint (two's complement for negatives): any safe integer. */
  int64(v: number): void {
    let hi = Math.floor(v / TWO_32) >>> 0;
    let lo = v >>> 0;
    if (hi === 0) {
      this.uint32(lo);
      return;
    }
    this.ensure(10);
    while (hi) {
      this.buf[this.pos++] = (lo & 127) | 128;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    this.uint32(lo);
  }

  /** fixed64 from its two 32-bit halves. */
  fixed64(hi: number, lo: number): void {
    this.ensure(8);
    this.view.setUint32(this.pos, lo, true);
    this.view.setUint32(this.pos + 4, hi, true);
    this.pos += 8;
  }

  /**
   * Unix nanoseconds of a time in ms since the epoch (fractions kept to the nanosecond), exact:
   * ms × 10^6 is past 2^53, so it is put together in 32-bit halves rather than in one double.
   */
  unixNanos(ms: number): void {
    const whole = Math.floor(ms);
    const frac = Math.min(999_999, Math.round((ms - whole) * 1e6));
    const high = Math.floor(whole / 65536); // whole = high × 2^16 + low
    const x = high * 1e6; // < 2^45: exact
    const hiX = Math.floor(x / 65536);
    const low = (whole - high * 65536) * 1e6 + frac + (x - hiX * 65536) * 65536; // < 2^38: exact
    const carry = Math.floor(low / TWO_32);
    this.fixed64(hiX + carry, low - carry * TWO_32);
  }

  double(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }

  /** Length-prefixed UTF-8; ASCII (nearly every string we send) is copied without an encoder call. */
  string(s: string): void {
    const n = s.length;
    this.ensure(5 + n * 3);
    const start = this.begin();
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 128) break;
      this.buf[this.pos++] = c;
    }
    // Lone surrogates become U+FFFD, as protobuf strings must be valid UTF-8.
    if (i < n) this.pos += utf8.encodeInto(s.slice(i), this.buf.subarray(this.pos)).written;
    this.end(start);
  }

  /** UTF-8 bytes of `s` with no length prefix (JSON text appended to a batch). */
  text(s: string): void {
    this.ensure(s.length * 3);
    this.pos += utf8.encodeInto(s, this.buf.subarray(this.pos)).written;
  }

  /** A string field: its tag, then the string. */
  stringField(field: number, s: string): void {
    this.tag(field, WireType.LEN);
    this.string(s);
  }

  /** Lower-case hex (our ids) as raw bytes. */
  hexBytes(hex: string): void {
    const n = hex.length >> 1;
    this.ensure(5 + n);
    this.uint32(n);
    for (let i = 0; i < n; i++) this.buf[this.pos++] = (nibble(hex.charCodeAt(2 * i)) << 4) | nibble(hex.charCodeAt(2 * i + 1));
  }

  /** Bytes already encoded (a field with its tag), copied as they are. */
  raw(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /** Reserves a submessage's length byte; pass the result to `end`. */
  begin(): number {
    this.ensure(1);
    return this.pos++;
  }

  end(start: number): void {
    const len = this.pos - start - 1;
    if (len < 128) {
      this.buf[start] = len;
      return;
    }
    const size = varintSize(len);
    this.ensure(size - 1);
    this.buf.copyWithin(start + size, start + 1, this.pos);
    this.pos += size - 1;
    let v = len;
    let at = start;
    while (v > 127) {
      this.buf[at++] = (v & 127) | 128;
      v >>>= 7;
    }
    this.buf[at] = v;
  }
}

export function varintSize(v: number): number {
  let n = 1;
  while (v > 127) {
    v >>>= 7;
    n++;
  }
  return n;
}

function nibble(c: number): number {
  // 0-9, a-f, A-F; anything else is not one of our ids and reads as 0.
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return 0;
}
