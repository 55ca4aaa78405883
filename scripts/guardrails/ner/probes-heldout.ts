/**
 * A second mixed-script probe, written after the prose rule (tagger/script-runs.ts) was chosen on
 * MIXED (./probes.ts) and used only to check it: English prompts carrying a paragraph in another
 * script, with names and places marked [[like this]] (read with probeText). Sentences of our own,
 * no rows of any shared set. Besides pasted prose it holds the cases the rule must leave alone or
 * may cost: names in English sentences (short runs), a name opening a sentence of the pasted prose,
 * names inside caseless-script prose, addresses and place lists in another script.
 */
export const MIXED_HELDOUT: readonly string[] = [
  // Pasted prose, no entity.
  "Translate this for me please: Вчера я ходил в магазин и купил хлеб, молоко и немного сыра к ужину.",
  "What does my neighbour mean here? Завтра вранці будуть ремонтувати дах, тому машини краще переставити на іншу вулицю.",
  "Proofread this Serbian paragraph: Хвала вам на стрпљењу. Пошиљка ће стићи у четвртак после подне.",
  "Summarise in English: Οι τιμές του ρεύματος ανέβηκαν ξανά αυτόν τον μήνα και πολλά νοικοκυριά ανησυχούν για τον χειμώνα.",
  "Explain the joke in this Hebrew sentence: אמרתי לו שהמחשב לא עובד והוא שאל אם ניסיתי לכבות ולהדליק אותו.",
  "Is this Arabic reply too formal? شكرا جزيلا على اهتمامكم. سنقوم بمراجعة طلبكم والرد عليكم في أقرب وقت ممكن.",
  "Turn this Urdu message into English: آج موسم بہت اچھا ہے اور ہم شام کو پارک میں چہل قدمی کریں گے۔",
  "What is this Bengali text about? আজ সকালে বৃষ্টি হয়েছিল তাই আমরা বাজারে যেতে পারিনি।",
  "Translate from Tamil: நாளை காலை பள்ளிக்கு விடுமுறை என்று அறிவிக்கப்பட்டுள்ளது.",
  "A customer wrote this in Thai, what do they want? สินค้าที่ได้รับมีรอยขีดข่วนที่ด้านข้าง ต้องการเปลี่ยนชิ้นใหม่ค่ะ",
  "Please translate this notice: 本周六上午系统将进行维护，届时网站可能无法访问，敬请谅解。",
  "What does the sign say? 駐車場は午後十時に閉まります。お早めにお車をお出しください。",
  "Help me answer this Korean email: 지난주에 보내주신 견적서를 잘 받았습니다. 몇 가지 질문이 있어서 연락드립니다.",
  "Translate the Georgian: დღეს ძალიან ცივა, ამიტომ თბილად ჩაიცვით და ქოლგა არ დაგავიწყდეთ.",
  "My Armenian friend texted me this: Վաղը երեկոյան կգամ ձեզ մոտ, եթե անձրև չլինի։",
  "What does this Amharic greeting mean? እንኳን ደህና መጣችሁ። ዛሬ ስለ አዲሱ ፕሮጀክት እንነጋገራለን።",
  "Fix the spelling in my Russian: Мы переехали в новую квартиру. Здесь тихо, светло и очень уютно.",
  "Tone check on this Greek message: Καλημέρα σε όλους! Η παρουσίαση θα γίνει στις δέκα ακριβώς, μην αργήσετε.",
  // Pasted prose with a name or place inside it.
  "Translate: Вчера мы встретили [[Аркадия Семёнова]] возле вокзала, и он рассказал нам новости.",
  "What is this about? Директор [[Олена Гнатюк]] підписала наказ про нові графіки роботи для всіх відділів.",
  "Summarise: [[Марина]] сказала, что отчёт будет готов только к пятнице, потому что данных не хватает.",
  "Translate for the board: Ο κύριος [[Παπαδημητρίου]] θα είναι απών την επόμενη εβδομάδα λόγω ταξιδιού.",
  "Read this and tell me who to call: Հարցերի դեպքում դիմեք [[Աննա Մկրտչյանին]], նա պատասխանատու է պատվերների համար։",
  "Translate this Hebrew note: הפגישה עם [[דנה כהן]] נדחתה ליום חמישי בגלל מחלה במשפחה.",
  "Summarise this Chinese memo: 下周一请大家参加培训，由[[李明]]负责讲解新的报销流程。",
  "What does this say? 来月から[[田中]]さんが大阪支店に異動することになりました。",
  "Translate the Korean message: [[박지훈]] 씨가 오늘 오후에 자료를 다시 보내 준다고 했습니다.",
  // Names and places in English sentences: short runs the rule must not touch.
  "Please send the signed contract to [[Олена Ковальчук]] before the end of the month.",
  "The workshop in [[Тбилиси]] was run by [[ნინო ბერიძე]] and went very well.",
  "Our new colleague [[Γιώργος Νικολάου]] starts on Monday in the [[Athens]] office.",
  "Can you book a table for [[שירה לוי]] and two guests at seven?",
  "Forward the receipts to [[अमित वर्मा]], he handles expenses now.",
  "Meeting notes from [[陈静]] are attached; please add your comments.",
  // An address and a place list in another script, inside English.
  "Ship the parcel to [[вул. Шевченка 14, кв. 7, Житомир 10014]] and email the tracking number.",
  "She has lived in [[Ереван]], [[Гюмри]] и [[Ванадзор]] before moving abroad.",
];
