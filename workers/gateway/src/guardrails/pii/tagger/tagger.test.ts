/** The entity tagger's parts, and the shipped model on sentences written for this test. */
import { describe, expect, it } from "vitest";
import { decode, NUM_LABELS, spansOf } from "./decode";
import { featuresOf, prepare, tokenFeatures } from "./features";
import { loadTagger } from "./load";
import { decodeTaggerFile, quantize, TaggerFileSchema } from "./model";
import { tagText, windows } from "./tag";
import { tagTokens } from "./tokenize";
import { SCRIPT, scriptOf } from "./word-info";
import shipped from "./model/entity-tagger.json";

describe("tokens", () => {
  it("keeps words, numbers, punctuation and line breaks with offsets", () => {
    const text = "Flat 2, 221B Baker St.\nLondon";
    const toks = tagTokens(text);
    expect(toks.map((t) => t.text)).toEqual(["Flat", "2", ",", "221B", "Baker", "St", ".", "London"]);
    expect(toks.every((t) => text.slice(t.start, t.end) === t.text)).toBe(true);
    expect(toks.find((t) => t.text === "London")?.breaks).toBe(1);
    expect(toks.map((t) => t.kind)).toEqual([0, 1, 2, 1, 0, 0, 2, 0]);
  });
});

describe("decoding", () => {
  it("never emits I- without its B-, and reads spans from labels", () => {
    const L = NUM_LABELS;
    const emit = new Float32Array(3 * L);
    emit[0 * L + 2] = 5; // I-PERSON wanted at the start: not allowed
    emit[1 * L + 2] = 5;
    emit[2 * L + 0] = 5;
    const { labels } = decode(emit, 3, new Float32Array(L * L), new Float32Array(L));
    expect(labels[0]).not.toBe(2);
    expect(spansOf(Uint8Array.from([0, 1, 2, 0, 7, 8, 8]))).toMatchObject([
      { type: "PERSON", first: 1, end: 3 },
      { type: "STREET_ADDRESS", first: 4, end: 7 },
    ]);
  });

  it("gives a positive margin to every labelled token", () => {
    const L = NUM_LABELS;
    const emit = new Float32Array(2 * L);
    emit[1] = 3;
    emit[L + 2] = 2;
    const { labels, margins } = decode(emit, 2, new Float32Array(L * L), new Float32Array(L));
    expect([...labels]).toEqual([1, 2]);
    expect(Math.min(...margins)).toBeGreaterThan(0);
  });
});

describe("features", () => {
  it("are the same whether computed for the whole text (training) or a window (inference)", () => {
    const text = "Deliver to Okonkwo Adeyemi at 17 Larch Row, Harwell.";
    const toks = tagTokens(text);
    const whole = tokenFeatures(text, toks, { charNgrams: true });
    const part = featuresOf(prepare(text, toks, { charNgrams: true }), 3, 7);
    const slice = whole.feats.slice(whole.offsets[3], whole.offsets[7]);
    expect([...part.feats]).toEqual([...slice]);
  });
});

describe("model file", () => {
  it("round-trips int8 weights and rejects a file of the wrong size", () => {
    const w = Float32Array.from({ length: 256 * NUM_LABELS }, (_, i) => Math.sin(i));
    const q = quantize(w);
    const base = { version: 1 as const, bits: 8, labels: NUM_LABELS, charNgrams: false, scale: q.scale, weights: q.base64 };
    const cal = { a: 1, b: 0 };
    const calibration = { PERSON: cal, LOCATION: cal, ORGANIZATION: cal, STREET_ADDRESS: cal };
    const rest = { transitions: new Array<number>(NUM_LABELS * NUM_LABELS).fill(0), start: new Array<number>(NUM_LABELS).fill(0), calibration };
    const m = decodeTaggerFile({ ...base, ...rest });
    expect(Math.abs((m.weights[10] as number) * m.scale - (w[10] as number))).toBeLessThan(q.scale);
    expect(() => decodeTaggerFile({ ...base, ...rest, bits: 9 })).toThrow(/weights/);
  });

  it("ships a file that parses", () => expect(TaggerFileSchema.safeParse(shipped).success).toBe(true));
});

describe("cue windows", () => {
  const decoded = (text: string): string[] => {
    const toks = tagTokens(text);
    return windows(prepare(text, toks, { charNgrams: true })).flatMap(([a, b]) => toks.slice(a, b).map((t) => t.text));
  };

  it("decode a lower-case name in another script inside Latin text", () => {
    expect(decoded("yesterday I ran into олеся кравчук outside the library")).toEqual(expect.arrayContaining(["олеся", "кравчук"]));
    expect(decoded("please forward the invoice to δημήτρης καλογεράκης by friday")).toEqual(expect.arrayContaining(["δημήτρης", "καλογεράκης"]));
  });

  it("decode Georgian words as caseless, like Hebrew (its capital forms are never used in running text)", () => {
    expect(decoded("ბოდიში, ნინო გელაშვილი დღეს ვერ მოვა")).toEqual(expect.arrayContaining(["ნინო", "გელაშვილი"]));
  });

  it("decode a lower-case word from the name lists wherever it stands, and skip prose without one", () => {
    expect(decoded("the nurse referred maria to the clinic")).toEqual(expect.arrayContaining(["maria"]));
    expect(decoded("we reviewed the plan and the budget")).toEqual([]);
  });

  it("skip lower-case prose in that script", () => {
    expect(decoded("отчёт о сбое готов, пришлите его в отдел аудита")).toEqual([]);
  });
});

describe("shipped tagger on sentences it never saw", () => {
  const model = loadTagger();
  const typesIn = (text: string, value: string): string[] => {
    const at = text.indexOf(value);
    return tagText(text, model)
      .filter((s) => s.score >= 0.5 && s.start < at + value.length && at < s.end)
      .map((s) => s.type);
  };

  it.each([
    ["Could you ask Wilhelmina Oyelaran-Brandt to sign the lease?", "Wilhelmina Oyelaran-Brandt", "PERSON"],
    ["Our plumber, Tadeusz Wróblewski, comes on Thursday.", "Tadeusz Wróblewski", "PERSON"],
    ["The parcel goes to 4410 Quarry Hollow Road, Unit 12, Bozeman, MT 59715.", "4410 Quarry Hollow Road, Unit 12, Bozeman, MT 59715", "STREET_ADDRESS"],
    ["Her new flat is at Lindenallee 37, 50968 Köln.", "Lindenallee 37, 50968 Köln", "STREET_ADDRESS"],
    ["Care package to PSC 4127, Box 8830, APO AE 09021 please.", "PSC 4127, Box 8830, APO AE 09021", "STREET_ADDRESS"],
    ["The delivery was signed for by Արմինե Հովհաննիսյան at the front desk.", "Արմինե Հովհաննիսյան", "PERSON"],
    ["Our new intern, נעמה ברקוביץ, starts on Monday.", "נעמה ברקוביץ", "PERSON"],
    ["Please call ლევან ჩიქოვანი about the invoice.", "ლევან ჩიქოვანი", "PERSON"],
    ["I met Остап Гнатюк at the conference yesterday.", "Остап Гнатюк", "PERSON"],
  ])("%s", (text, value, type) => expect(typesIn(text, value)).toContain(type));

  it("ends an entity before its possessive, so the placeholder reads <PERSON_1>'s", () => {
    const texts = ["I borrowed Daniel Fischer's ladder yesterday.", "That was Tomás Herrera’s idea."];
    const spans = texts.flatMap((t) => tagText(t, model).map((s) => t.slice(s.start, s.end)));
    expect(spans.length).toBeGreaterThan(0);
    for (const span of spans) expect(span).not.toMatch(/['’]s$/);
    expect(spans).toEqual(expect.arrayContaining([expect.stringMatching(/Herrera$/)]));
  });

  it("leaves ordinary prose alone", () => {
    const text = "We reviewed the deployment logs and found that the retry storm started after the cache was flushed.";
    expect(tagText(text, model).filter((s) => s.score >= 0.5)).toEqual([]);
  });
});

describe("script groups", () => {
  const of = (w: string): number => scriptOf(w.charCodeAt(0));
  it("group letters by writing system, not language", () => {
    expect(["Ærø", "Đặng", "Öztürk"].map(of)).toEqual([SCRIPT.latin, SCRIPT.latin, SCRIPT.latin]);
    expect(["Ωμέγα", "Борис", "Արամ"].map(of)).toEqual([SCRIPT.casedOther, SCRIPT.casedOther, SCRIPT.casedOther]);
    expect(["ნინო", "שרה", "أحمد", "राम"].map(of)).toEqual([SCRIPT.caseless, SCRIPT.caseless, SCRIPT.caseless, SCRIPT.caseless]);
    expect(["王芳", "さくら", "민준"].map(of)).toEqual([SCRIPT.cjk, SCRIPT.cjk, SCRIPT.cjk]);
  });

  it("mark a word written in another group than most of the text, in any script", () => {
    const flags = (text: string): Record<string, number> => {
      const toks = tagTokens(text);
      const p = prepare(text, toks, { charNgrams: true });
      return Object.fromEntries(toks.map((t, i) => [t.text, p.script[i] as number]));
    };
    const inEnglish = flags("Please let Ωμέγα Ζαφειρίου and Արամ know by noon");
    expect(inEnglish["Ζαφειρίου"]).toBe(SCRIPT.casedOther * 2 + 1);
    expect(inEnglish["Արամ"]).toBe(SCRIPT.casedOther * 2 + 1);
    expect(inEnglish["noon"]).toBe(SCRIPT.latin * 2);
    const inRussian = flags("Сегодня Борис встретил Jonas у вокзала");
    expect(inRussian["Борис"]).toBe(SCRIPT.casedOther * 2);
    expect(inRussian["Jonas"]).toBe(SCRIPT.latin * 2 + 1);
    expect(flags("12 , 7")["12"]).toBe(SCRIPT.none);
  });
});
