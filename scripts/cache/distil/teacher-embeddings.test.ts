import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { TEACHER_DIMS, TeacherCache, teacherEmbeddings } from "./teacher-embeddings";

describe("TeacherCache", () => {
  const dir = mkdtempSync(join(tmpdir(), "teacher-cache-"));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps vectors by text across reloads, the last record of a text winning", async () => {
    const file = join(dir, "t.bin");
    const one = new Float32Array(TEACHER_DIMS).fill(0.5);
    const cache = new TeacherCache(file);
    cache.put("The ferry leaves at noon.", one);
    cache.put("The ferry leaves at noon.", one.map((x) => -x));
    cache.put("Bring a warm coat.", one);
    expect(statSync(file).size).toBe(3 * (32 + 4 * TEACHER_DIMS));
    const reloaded = new TeacherCache(file);
    expect(reloaded.get("The ferry leaves at noon.")?.[0]).toBe(-0.5);
    expect(reloaded.get("the ferry leaves at noon.")).toBeUndefined();
    // Every text cached: the teacher is not loaded.
    const vs = await teacherEmbeddings(["Bring a warm coat.", "The ferry leaves at noon."], reloaded, () => undefined);
    expect(vs.map((v) => v[1])).toEqual([0.5, -0.5]);
  });
});
