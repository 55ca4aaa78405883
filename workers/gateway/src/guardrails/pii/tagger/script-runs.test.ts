/** The non-Latin prose rule, on its own and in the shipped tagger, with sentences written for this test. */
import { describe, expect, it } from "vitest";
import { prepare } from "./features";
import { loadTagger } from "./load";
import { keepInProse, proseRuns } from "./script-runs";
import { tagText } from "./tag";
import { tagTokens } from "./tokenize";

function runsOf(text: string): { words: string[]; keep: (from: string, to?: string) => boolean } {
  const toks = tagTokens(text);
  const p = prepare(text, toks, { charNgrams: true });
  const prose = proseRuns(toks, p.info);
  const at = (w: string): number => toks.findIndex((t) => t.text === w);
  return {
    words: toks.filter((_, i) => prose[i]).map((t) => t.text),
    keep: (from, to = from) => keepInProse(toks, p.info, prose, at(from), at(to) + 1),
  };
}

describe("prose runs", () => {
  it("mark a pasted paragraph but not names, addresses or place lists inside English", () => {
    expect(runsOf("Could you translate: Сегодня мы долго гуляли по набережной и пили чай.").words).toEqual(
      ["Сегодня", "мы", "долго", "гуляли", "по", "набережной", "и", "пили", "чай"],
    );
    expect(runsOf("Please thank Αικατερίνη Παπαγεωργίου for the flowers.").words).toEqual([]);
    expect(runsOf("Deliver to вул. Лесі Українки 21, кв. 4, Полтава 36000 on Tuesday.").words).toEqual([]);
    expect(runsOf("We toured Кутаиси, Батуми and Мцхета.").words).toEqual([]);
    // A place list as long as a short paragraph, but in the middle of an English sentence.
    expect(runsOf("They opened offices in Нижний Новгород, Великий Новгород, Ростов-на-Дону last year.").words).toEqual([]);
  });

  it("read a short run as prose only where it opens a sentence or holds more than one", () => {
    expect(runsOf("Reply to this: «Спасибо, мы получили ваше письмо вчера»").words).toHaveLength(6);
    expect(runsOf("He wrote спасибо мы получили ваше письмо вчера and left.").words).toEqual([]);
    expect(runsOf("He wrote спасибо. Мы получили ваше письмо вчера and left.").words).toHaveLength(6);
  });

  it("count unspaced scripts by characters, so one Chinese clause is a run and a name is not", () => {
    expect(runsOf("Summarise: 今天下午的会议改到明天上午十点，请大家准时参加。").words).toHaveLength(2);
    expect(runsOf("Ask 周雨桐 for the key.").words).toEqual([]);
  });

  it("keep a capitalised name inside cased prose, not a sentence opener or a lower-case word", () => {
    const r = runsOf("Translate: Утром позвонила Вероника Лебедева и сказала, что встреча переносится. Мы согласились.");
    expect(r.keep("Вероника", "Лебедева")).toBe(true);
    expect(r.keep("Утром")).toBe(false);
    expect(r.keep("Мы")).toBe(false);
    expect(r.keep("встреча")).toBe(false);
    const place = runsOf("Read this: Где это? Мы жили на улице Героев Брестской Крепости, рядом с парком.");
    expect(place.keep("Героев", "Крепости")).toBe(true);
    expect(place.keep("улице", "Крепости")).toBe(false);
  });

  it("apply only to text with a Latin word: a message written wholly in another script keeps the model's spans (fails closed)", () => {
    const own = runsOf("Где это? Мы жили на улице Героев Брестской Крепости, рядом с парком.");
    expect(own.keep("улице", "Крепости")).toBe(true);
    const hebrew = runsOf("המסעדה סגורה היום בגלל שיפוצים ותיפתח מחדש ביום ראשון.");
    expect(hebrew.keep("המסעדה")).toBe(true);
  });

  it("read a comma-separated run of short items as a list of names, not prose", () => {
    const r = runsOf("Please draft an invitation. Attendees: דוד כהן, רחל לוי, משה פרץ, שרה אברהם, יוסי מזרחי, מיכל ביטון.");
    expect(r.keep("דוד", "כהן")).toBe(true);
    expect(r.keep("מיכל", "ביטון")).toBe(true);
    const hindi = runsOf("CC:\nराहुल शर्मा, प्रिया वर्मा, अमित सिंह");
    expect(hindi.keep("राहुल", "शर्मा")).toBe(true);
  });

  it("drop any span inside caseless prose: nothing there tells a name from a word", () => {
    const r = runsOf("What does this say? המסעדה סגורה היום בגלל שיפוצים ותיפתח מחדש ביום ראשון.");
    expect(r.words.length).toBeGreaterThan(6);
    expect(r.keep("המסעדה")).toBe(false);
  });
});

describe("shipped tagger on mixed-script prompts", () => {
  const model = loadTagger();
  const tagged = (text: string): string[] => tagText(text, model).filter((s) => s.score >= 0.5).map((s) => text.slice(s.start, s.end));

  it("is built with the prose rule", () => {
    expect(model.proseRule).toBe(true);
  });

  it("tags no ordinary word of a pasted paragraph", () => {
    for (const text of [
      "Please translate this into English: Сегодня утром шёл сильный дождь, поэтому мы остались дома и читали книги.",
      "What does this Arabic note say? سنغلق المكتب مبكرا يوم الخميس بسبب الصيانة الدورية للمبنى.",
      "Summarise this for me: 昨天的发布会非常成功，很多客户都表示对新产品很感兴趣。",
      "Check my Georgian: ხვალ დილით შეხვედრა გვაქვს და ყველამ დროულად უნდა მოვიდეს.",
      "Translate the Hindi reply: आपका पैकेट कल शाम तक पहुँच जाएगा, कृपया घर पर रहें।",
    ]) expect(tagged(text), text).toEqual([]);
  });

  it("still tags names written in other scripts inside English sentences", () => {
    expect(tagged("Please forward the report to Дмитрий Соколов before noon.")).toContain("Дмитрий Соколов");
    expect(tagged("Our guide in Crete was Κωνσταντίνος Μαυρίδης, who spoke four languages.").join(" ")).toContain("Μαυρίδης");
  });
});
