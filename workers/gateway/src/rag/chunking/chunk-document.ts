/**
 * Structure-aware chunking of text or Markdown: sections by heading, then paragraphs, then
 * sentences, then (only for a sentence longer than a chunk) words. A chunk never crosses a
 * heading, so each carries the heading path it sits under; consecutive chunks of one section
 * share up to `overlap` characters of whole sentences, so a fact split across the boundary is
 * still whole in one of them.
 */
import { splitSentences } from "../text/sentences";

export interface ChunkingOptions {
  /** Target maximum characters per chunk (the heading path is not counted). */
  size: number;
  /** Characters of trailing sentences repeated at the start of the next chunk of a section. */
  overlap: number;
}

export interface TextChunk {
  seq: number;
  /** "Intro > Setup": the Markdown headings above the chunk (the title when there are none). */
  heading: string;
  text: string;
}

export const DEFAULT_CHUNKING: ChunkingOptions = { size: 1000, overlap: 150 };

interface Section {
  heading: string;
  paragraphs: string[];
}

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const FENCE = /^\s*(```|~~~)/;

function sections(text: string, title: string): Section[] {
  const out: Section[] = [];
  const path: string[] = [];
  let current: Section = { heading: title, paragraphs: [] };
  let para: string[] = [];
  let inFence = false;
  const flushPara = () => {
    const p = para.join("\n").trim();
    if (p) current.paragraphs.push(p);
    para = [];
  };
  for (const line of text.replace(/\r\n?/g, "\n").split("\n")) {
    if (FENCE.test(line)) inFence = !inFence;
    const h = inFence ? null : HEADING.exec(line);
    if (h) {
      flushPara();
      if (current.paragraphs.length) out.push(current);
      const level = (h[1] ?? "#").length;
      path.length = Math.min(path.length, level - 1);
      path[level - 1] = h[2] ?? "";
      current = { heading: path.filter(Boolean).join(" > "), paragraphs: [] };
    } else if (!inFence && line.trim() === "") {
      flushPara();
    } else {
      para.push(line);
    }
  }
  flushPara();
  if (current.paragraphs.length) out.push(current);
  return out;
}

/** Pieces no longer than `size`: sentences, and words of a sentence that alone is longer. */
function pieces(paragraph: string, size: number): string[] {
  if (paragraph.length <= size) return [paragraph];
  const out: string[] = [];
  for (const s of splitSentences(paragraph)) {
    if (s.length <= size) {
      out.push(s);
      continue;
    }
    let line = "";
    for (const w of s.split(/\s+/)) {
      if (line && line.length + 1 + w.length > size) {
        out.push(line);
        line = "";
      }
      line = line ? `${line} ${w.length > size ? w.slice(0, size) : w}` : w.slice(0, size);
    }
    if (line) out.push(line);
  }
  return out;
}

function tailFor(text: string, overlap: number): string {
  if (overlap <= 0) return "";
  const sentences = splitSentences(text);
  let tail = "";
  for (let i = sentences.length - 1; i >= 0; i--) {
    const next = tail ? `${sentences[i]} ${tail}` : (sentences[i] ?? "");
    if (next.length > overlap) break;
    tail = next;
  }
  return tail;
}

export function chunkDocument(text: string, title: string, options: ChunkingOptions = DEFAULT_CHUNKING): TextChunk[] {
  const chunks: TextChunk[] = [];
  for (const section of sections(text, title)) {
    let current = "";
    let fresh = false;
    const emit = () => {
      if (current.trim() && fresh) chunks.push({ seq: chunks.length, heading: section.heading, text: current.trim() });
      current = tailFor(current, options.overlap);
      fresh = false;
    };
    for (const paragraph of section.paragraphs) {
      for (const piece of pieces(paragraph, options.size)) {
        const joiner = () => (current ? (piece === paragraph ? "\n\n" : " ") : "");
        if (current && current.length + joiner().length + piece.length > options.size) emit();
        // The overlap gives way to a piece that would not fit beside it.
        if (current.length + joiner().length + piece.length > options.size) current = "";
        current = current + joiner() + piece;
        fresh = true;
      }
    }
    emit();
  }
  return chunks;
}
