/**
 * A pull-based NDJSON stream over keyset pages (time, id): the next page is read only when
 * the client has taken the previous one, so an export of a million lines holds one page in
 * memory. Rows whose line is null are skipped; at most `limit` lines are written.
 */
export interface Cursor {
  at: number;
  id: string;
}

export interface PagedNdjsonSource<Row> {
  limit: number;
  page: (after: Cursor) => Promise<Row[]>;
  cursor: (row: Row) => Cursor;
  line: (row: Row) => Promise<unknown>;
}

export function pagedNdjson<Row>(src: PagedNdjsonSource<Row>): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  let after: Cursor = { at: -1, id: "" };
  let emitted = 0;
  return new ReadableStream<Uint8Array>({
    // Reads pages until one yields a line (or the rows run out): a pull that enqueues nothing
    // and does not close is never called again, and the client would wait forever.
    async pull(controller) {
      for (;;) {
        const rows = emitted >= src.limit ? [] : await src.page(after);
        if (rows.length === 0) return controller.close();
        const lines: string[] = [];
        for (const row of rows) {
          after = src.cursor(row);
          const value = emitted < src.limit ? await src.line(row) : null;
          if (value !== null && value !== undefined) {
            lines.push(JSON.stringify(value));
            emitted++;
          }
        }
        if (lines.length) return controller.enqueue(enc.encode(`${lines.join("\n")}\n`));
      }
    },
  });
}
