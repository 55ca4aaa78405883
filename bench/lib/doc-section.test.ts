import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { keptSection, writeSection } from "./doc-section";

const doc = (text?: string): string => {
  const path = join(mkdtempSync(join(tmpdir(), "doc-section-")), "area.md");
  if (text !== undefined) writeFileSync(path, text);
  return path;
};

describe("doc sections", () => {
  it("appends a section to a file that has none, and the owner's rewrite keeps it", () => {
    const path = doc("# Area\n\nNumbers from the owner.\n");
    writeSection(path, "ab", "## Side by side\n\n42 µs");
    const kept = keptSection(path, "ab");
    expect(kept).toContain("42 µs");
    writeFileSync(path, `# Area\n\nNew numbers.\n\n${kept}`);
    expect(readFileSync(path, "utf8")).toBe("# Area\n\nNew numbers.\n\n<!-- section:ab -->\n## Side by side\n\n42 µs\n<!-- /section:ab -->\n");
  });

  it("replaces only its own section, leaving the text around it and other sections alone", () => {
    const path = doc("top\n\n<!-- section:ab -->\nold\n<!-- /section:ab -->\n\n<!-- section:cd -->\nother\n<!-- /section:cd -->\nend");
    writeSection(path, "ab", "new");
    expect(readFileSync(path, "utf8")).toBe("top\n\n<!-- section:ab -->\nnew\n<!-- /section:ab -->\n\n<!-- section:cd -->\nother\n<!-- /section:cd -->\nend");
  });

  it("has nothing to keep from a missing file or an unclosed section", () => {
    expect(keptSection(join(tmpdir(), "no-such-dir-doc-section", "x.md"), "ab")).toBe("");
    expect(keptSection(doc("<!-- section:ab -->\nhalf"), "ab")).toBe("");
  });

  it("creates the file when it does not exist", () => {
    const path = doc();
    writeSection(path, "ab", "first");
    expect(readFileSync(path, "utf8")).toBe("<!-- section:ab -->\nfirst\n<!-- /section:ab -->\n");
  });
});
