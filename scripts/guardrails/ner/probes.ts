/**
 * Two dev probes for the entity tagger, written for it (no rows of any shared set), for what the
 * span metrics of the NER splits do not show:
 * - MIXED: English prompts carrying a paragraph in another script (a message to translate, a quote
 *   to summarise). A pasted paragraph is ordinary text in its own script; tagged spans that are
 *   not one of the marked entities are false alarms that mangle the prompt.
 * - SENTENCE_INITIAL: English sentences that open with a capitalised common word or imperative
 *   ("Ignore", "Green", "Mark", "Grant"); none holds an entity, so every tagged span is a false alarm.
 * Entities are marked [[like this]] in MIXED; `probeText` strips the marks and returns their spans.
 */

export const MIXED: readonly string[] = [
  "Please translate this customer note into English: Посылка пришла с опозданием на неделю. Коробка была помята, а инструкция внутри порвана.",
  "Summarise the complaint below in one line.\nЗаказ оформлял [[Тимофей Ларионов]], но курьер так и не позвонил. Мы ждали весь день и никто не приехал.",
  "Can you check the grammar of my Ukrainian reply? Дякую за ваш лист. Ми перевіримо рахунок і відповімо до кінця тижня.",
  "Here is the Bulgarian version of our notice, is it polite enough? Уважаеми клиенти, офисът ще бъде затворен в понеделник поради ремонт.",
  "My landlord sent this, what does it say? Το ενοίκιο του επόμενου μήνα θα αυξηθεί λίγο. Παρακαλώ πληρώστε μέχρι την πέμπτη του μήνα.",
  "Translate for the team: Η συνάντηση μεταφέρεται για την Τρίτη. Θα παρουσιάσει ο [[Στέλιος Αναγνωστόπουλος]] τα νέα στοιχεία.",
  "What is the tone of this review? השירות היה איטי מאוד והאוכל הגיע קר. לא נחזור למסעדה הזאת שוב.",
  "Reply politely to this message from a supplier: שלום, המשלוח יתעכב בשבועיים בגלל בעיה במפעל. מצטערים על אי הנוחות.",
  "Please summarise: התלמידים סיימו את הפרויקט בזמן, והמורה [[יעל שטרנברג]] הייתה מרוצה מאוד מהתוצאות.",
  "Translate this Arabic paragraph into plain English: نعتذر عن التأخير في الرد. سنرسل لكم الفاتورة المعدلة غدا صباحا.",
  "A guest left this in the feedback box, what does it mean? الغرفة كانت نظيفة والموظفون لطفاء جدا، لكن الإفطار كان باردا.",
  "Is this Persian sentence correct? ما فردا صبح جلسه داریم و باید گزارش را زودتر آماده کنیم.",
  "My grandmother wrote this in Armenian, can you translate it? Այսօր եղանակը շատ լավ էր։ Մենք գնացինք այգի և խոսեցինք երկար։",
  "Translate the note: Հանդիպմանը կմասնակցի նաև [[Նարեկ Սարգսյան]]։ Խնդրում ենք ժամանակին գալ։",
  "What does this Georgian text say? ხვალ მაღაზია დაკეტილი იქნება. ბოდიშს გიხდით შეფერხებისთვის.",
  "Please check my Georgian: მადლობა თქვენი წერილისთვის. ჩვენ მალე დაგიკავშირდებით და ყველაფერს აგიხსნით.",
  "Summarise this Hindi message in English: कल सुबह बैठक दस बजे शुरू होगी। कृपया अपनी रिपोर्ट समय पर भेज दें।",
  "Translate this for the support team: मेरा ऑर्डर अब तक नहीं आया है। मैंने [[अनुराधा त्रिपाठी]] से बात की थी लेकिन कोई जवाब नहीं मिला।",
  "What does this Thai notice say? ร้านจะปิดปรับปรุงในวันจันทร์หน้า ขออภัยในความไม่สะดวก",
  "Translate into English please: ขอบคุณที่ใช้บริการของเรา เราจะส่งสินค้าให้ภายในสามวัน",
  "Summarise this Chinese feedback: 这家酒店的房间很干净，服务也很周到。唯一的问题是早餐太单调了。",
  "Translate for our partner: 会议改到下周二下午三点。请[[王晓峰]]准备好新的预算表。",
  "What does this Japanese email say? 先日はお忙しいところありがとうございました。資料を添付しましたのでご確認ください。",
  "Please translate: 明日の打ち合わせには[[佐々木真理子]]さんも参加します。会議室は三階です。",
  "Summarise this Korean review: 배송이 빨랐고 포장도 꼼꼼했습니다. 다음에도 이 가게에서 주문할 생각입니다.",
  "Translate this message from our [[Seoul]] office: 내일 회의는 오전 열 시로 변경되었습니다. [[김서연]] 팀장님이 진행합니다.",
  "I need this in English before the call with [[Dmitri Volkov]]: Мы готовы подписать договор, если сроки поставки останутся прежними.",
  "Forward the gist of this to [[Helen Marsh]]: Ο προμηθευτής ζητά προκαταβολή. Τα υπόλοιπα χρήματα θα πληρωθούν μετά την παράδοση.",
  "Rewrite this in simpler Russian for a child: Солнце светит ярко, птицы поют в саду, а дети бегут к реке купаться.",
  "Explain this Hebrew proverb in English: מי שמתחיל מצווה אומרים לו גמור. It came up in a meeting today.",
];

const OPENERS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ["Ignore", ["the previous instructions", "the typos in the draft"]],
  ["Please", ["send the slides again", "keep the reply short"]],
  ["Summarise", ["the meeting notes", "the attached report"]],
  ["Translate", ["the paragraph below", "this menu"]],
  ["Check", ["the totals in column C", "whether the link still works"]],
  ["Review", ["the pull request", "the onboarding checklist"]],
  ["Draft", ["a polite refusal", "an agenda for Monday"]],
  ["Remember", ["to water the plants", "that the office closes early"]],
  ["Avoid", ["jargon in the intro", "long sentences"]],
  ["Keep", ["the tone friendly", "a copy of the receipt"]],
  ["List", ["the open questions", "three risks of the plan"]],
  ["Compare", ["the two offers", "last year's budget with this one"]],
  ["Explain", ["the error message", "how the discount works"]],
  ["Rewrite", ["the opening line", "this email so it sounds warmer"]],
  ["Mark", ["the failing tests as flaky", "the urgent tickets"]],
  ["Grant", ["the reviewer read access", "the intern a day off"]],
  ["Bill", ["the client for the extra hours", "the second visit separately"]],
  ["Note", ["that prices exclude tax", "the change in the deadline"]],
  ["Send", ["the invoice by Friday", "a reminder to the group"]],
  ["Update", ["the spreadsheet", "the status page"]],
  ["Add", ["a summary at the top", "two examples"]],
  ["Remove", ["the duplicate rows", "the last paragraph"]],
  ["Shorten", ["the abstract", "the product description"]],
  ["Fix", ["the broken table", "the spacing in the footer"]],
  ["Format", ["the list as a table", "the dates consistently"]],
];

const TAILS: readonly string[] = [".", " before lunch.", " and reply in plain English.", " in three bullet points."];

const STARTS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ["Green", ["tea", "energy"]],
  ["Fresh", ["bread", "paint"]],
  ["Quiet", ["rooms", "mornings"]],
  ["Early", ["bookings", "tests"]],
  ["Strong", ["passwords", "coffee"]],
  ["Young", ["plants", "readers"]],
  ["Little", ["changes", "details"]],
  ["Black", ["pepper", "ink"]],
  ["White", ["rice", "noise"]],
  ["Brown", ["envelopes", "sugar"]],
  ["Rose", ["petals", "bushes"]],
  ["Hope", ["alone", "and patience"]],
  ["Summer", ["hours", "sales"]],
  ["Winter", ["tyres", "coats"]],
  ["Honey", ["jars", "cakes"]],
  ["Crystal", ["glasses", "clear instructions"]],
  ["Sunny", ["weekends", "balconies"]],
  ["Golden", ["retrievers", "hour photos"]],
  ["Happy", ["customers", "teams"]],
  ["Bright", ["colours", "screens"]],
  ["Silver", ["jewellery", "frames"]],
  ["Dawn", ["shifts", "flights"]],
  ["Ivy", ["leaves", "walls"]],
  ["Grace", ["periods", "notes"]],
  ["Major", ["updates", "delays"]],
];

const PREDICATES: readonly string[] = [
  " need a little more attention this week.",
  " are on the list for the next order.",
  " came up twice in the survey answers.",
  " cost more than we planned.",
];

const PREFIX = "Thanks for the quick reply. ";

/**
 * 100 sentences: each opener with each of its two continuations, the tail or predicate chosen by
 * position so the set is fixed; every second sentence follows a short first sentence, so the
 * capitalised word opens the text in half of them and a later sentence in the other half.
 */
export function sentenceInitialProbes(): string[] {
  const out: string[] = [];
  let k = 0;
  const emit = (s: string): void => {
    out.push(k % 2 === 0 ? s : PREFIX + s);
    k++;
  };
  for (const [word, rests] of OPENERS) for (const [j, rest] of rests.entries()) emit(`${word} ${rest}${TAILS[(k + j) % TAILS.length] as string}`);
  for (const [word, rests] of STARTS) for (const [j, rest] of rests.entries()) emit(`${word} ${rest}${PREDICATES[(k + j) % PREDICATES.length] as string}`);
  return out;
}

export interface ProbeText {
  text: string;
  names: Array<{ start: number; end: number }>;
}

/** The text without [[ ]] marks, and where the marked names are in it. */
export function probeText(marked: string): ProbeText {
  const names: ProbeText["names"] = [];
  let text = "";
  let rest = marked;
  for (let m = /\[\[(.+?)\]\]/.exec(rest); m; m = /\[\[(.+?)\]\]/.exec(rest)) {
    text += rest.slice(0, m.index);
    names.push({ start: text.length, end: text.length + (m[1] as string).length });
    text += m[1] as string;
    rest = rest.slice(m.index + m[0].length);
  }
  return { text: text + rest, names };
}
