import { describe, expect, it } from "vitest";
import { classifyMappings } from "./memory-regions";

/** One smaps entry: only the header and Rss lines matter to the classifier. */
const entry = (start: bigint, end: bigint, perms: string, rssKb: number, path = "") =>
  `${start.toString(16)}-${end.toString(16)} ${perms} 00000000 00:00 0 ${path}\nSize: ${(end - start) / 1024n} kB\nRss: ${rssKb} kB\nPss: ${rssKb} kB\n`;

const GIB = 1n << 30n;
const MIB = 1n << 20n;

describe("classifyMappings", () => {
  it("splits a workerd-like process into V8 heaps, native arenas, code, files and the rest", () => {
    const cage = 0x345000000000n;
    const arena = 0x529f80000000n;
    const smaps = [
      // The pointer-compression cage: one 4 GiB reservation, committed in pieces.
      entry(cage, cage + 3n * MIB, "---p", 0),
      entry(cage + 3n * MIB, cage + 40n * MIB, "rw-p", 30 * 1024),
      entry(cage + 40n * MIB, cage + 4n * GIB, "---p", 0),
      // A tcmalloc region: 1 GiB-aligned, 1 GiB long, used from the top.
      entry(arena, arena + GIB - 100n * MIB, "---p", 0),
      entry(arena + GIB - 100n * MIB, arena + GIB, "rw-p", 90 * 1024),
      entry(0x385c4e417000n, 0x385c50817000n, "rwxp", 17 * 1024),
      entry(0x557b98576000n, 0x557b9b91f000n, "r-xp", 39 * 1024, "/usr/bin/workerd"),
      entry(0x7ffc00000000n, 0x7ffc00021000n, "rw-p", 1024, "[stack]"),
      // An anonymous mapping that is neither (thread stacks, small mmaps).
      entry(0x7f2326720000n, 0x7f2327760000n, "rw-p", 6 * 1024),
    ].join("");
    expect(classifyMappings(smaps)).toEqual({ v8HeapMb: 30, nativeMb: 90, codeMb: 17, filesMb: 39, otherMb: 7 });
  });

  it("does not count two adjacent unaligned mappings as a native region", () => {
    const base = 0x7f0000100000n;
    const smaps = entry(base, base + GIB / 2n, "---p", 0) + entry(base + GIB / 2n, base + GIB, "rw-p", 2048);
    expect(classifyMappings(smaps)).toMatchObject({ nativeMb: 0, otherMb: 2 });
  });
});
