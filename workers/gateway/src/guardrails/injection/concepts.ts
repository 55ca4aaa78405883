/**
 * A small cross-lingual lexicon: the words attacks are made of ("ignore", "previous",
 * "instructions", "system prompt", "without restrictions", "send ... history", "don't tell
 * the user"), each mapped to one concept in English and in the languages people attack in.
 * Concepts and concept pairs are features of the classifier (features.ts), so what it learns
 * from the many English examples ("ignore" + "instructions" + "previous") carries over to a
 * Korean or Hindi attack that shares no n-gram with them. Weights are learned, never set here.
 *
 * Patterns run on the lower-cased normalized view. Latin-script stems are anchored at a word
 * start; CJK, Hangul and Devanagari ones are not (no spaces to anchor on, or particles attached).
 */
const W = "(?<![\\p{L}\\p{N}])";

export const CONCEPTS: ReadonlyArray<readonly [string, string]> = [
  ["ignore", `${W}(?:ignor|disregard|discard|forget|override|bypass|olvid|desconsider|omite|oubli|vergiss|missacht|esqueç|görmezden|yok say|unut|bỏ qua|phớt lờ|abaikan|lupakan|zignoruj|zapomnij|negeer|vergeet|игнор|проигнор|забуд|забыть|не обращай|отмен|отбрось|отбросить|выбрось|ігнор)|無視|忘れ|破棄|忽略|无视|忘记|忘掉|무시|잊어|신경 쓰지|تجاهل|انس|ألغ|لا تلتزم|نادیده|فراموش|अनदेखा|नज़रअंदाज़|नजरअंदाज|भूल जा|ध्यान मत|रद्द`],
  ["previous", `${W}(?:previous|prior|above|earlier|preceding|anterior|previa|arriba|précédent|ci-dessus|vorherig|obig|bisherig|acima|önceki|yukarıdaki|trước đó|sebelumnya|poprzedni|powyższ|vorige|eerdere|предыдущ|прежн|выше|ранее|раньше|попередн)|以前|前の|上記|これまで|今まで|先ほど|先程|さっき|之前|上面|先前|이전|위의|앞선|지금까지|السابق|أعلاه|من قبل|قبلی|पिछल|ऊपर|पहले`],
  ["instructions", `${W}(?:instruction|rules|guideline|directive|prompt|polic|programming|instrucci|regla|directriz|règle|consigne|anweisung|regeln|richtlinie|vorgabe|instruç|regras|diretriz|talimat|kural|hướng dẫn|chỉ dẫn|quy tắc|instruksi|aturan|perintah|instrukcj|zasad|polece|instructies|regels|инструкци|указани|правил|директив|команд|інструкці)|指示|命令|ルール|ガイドライン|規則|指令|规则|政策|지시|지침|규칙|명령|정책|تعليمات|التعليمات|الأوامر|أوامر|القواعد|التوجيهات|السياسة|دستور|قوانین|निर्देश|नियम|आदेश|हिदायत|नीति`],
  ["system_prompt", `${W}(?:system prompt|system message|hidden instruction|initial prompt|initial instruction|system instruction|prompt del sistema|mensaje del sistema|prompt système|message système|systemprompt|systemnachricht|systemanweisung|prompt de sistema|mensagem do sistema|sistem istemi|lời nhắc hệ thống|prompt sistem|prompt systemowy|systeemprompt|системн\\S* (?:промпт|сообщени)|скрыт\\S* инструкц|системн\\S* промпт)|システムプロンプト|システムメッセージ|隠し指示|隠され\\S{0,6}(?:指示|設定|プロンプト)|系统提示|系统消息|隐藏的指令|시스템 프롬프트|시스템 메시지|숨겨진 지침|موجه النظام|رسالة النظام|التعليمات المخفية|پرامپت سیستمی|सिस्टम प्रॉम्प्ट|सिस्टम संदेश|छिपे हुए निर्देश`],
  ["reveal", `${W}(?:reveal|print|display|output|repeat|dump|leak|verbatim|word for word|muestra|revela|imprime|repite|montre|révèle|affiche|répète|zeig|verrat|wiederhol|mostre|revele|repita|imprima|göster|hiển thị|tampilkan|pokaż|покажи|выведи|повтори|дословно|раскрой|покажи)|表示|出力|見せ|書き出|そのまま|一字一句|显示|输出|重复|原样|보여|출력|반복|그대로|اعرض|اطبع|كرر|حرفي|نشان بده|दिखा|दोहरा|शब्दशः`],
  ["no_restrictions", `${W}(?:no restrictions|without restrictions|unrestricted|unfiltered|uncensored|no limits|without limits|no filters|no rules|without any (?:limits|filters|rules)|sin (?:restricciones|límites|filtros|censura)|sans (?:aucune )?(?:limite|restriction|filtre|censure)|ohne (?:einschränkung|filter|regeln|zensur)|sem (?:nenhuma )?(?:restriç|limite|filtro|censura)|hiçbir kısıtlama|không có (?:bất kỳ )?giới hạn|tanpa batasan|bez (?:żadnych )?ograniczeń|без (?:каких-либо |всяких |жодних )?(?:ограничени|цензур|фильтр|правил|обмежень)|нет ограничений|ограничения отменены)|制限(?:なし|のない|もない|を解除|は解除)|検閲なし|没有任何限制|无限制|不受限制|无审查|제한(?:도 |이 )?없|제한은 해제|검열 없이|بلا (?:أي )?قيود|بدون (?:أي )?(?:قيود|رقابة)|دون (?:أي )?رقابة|القيود (?:السابقة )?ملغاة|بدون هیچ محدودیت|कोई प्रतिबंध|बिना (?:सेंसर|प्रतिबंध)|पाबंदियाँ हटा`],
  ["never_refuse", `${W}(?:never refuse|don'?t refuse|not refuse|always comply|never decline|nunca (?:rechaces|te niegues|recus)|ne refuse jamais|niemals ablehn|asla reddetme|không bao giờ từ chối|tidak pernah menolak|nigdy nie odmawia|никогда не отказыва|не отказывай|ніколи не відмовля)|拒否せず|断らない|拒否しない|不要拒绝|永远不要拒绝|거절하지|ترفض|امتناع نمی|मना मत`],
  ["anything", `${W}(?:do anything|answer anything|any request|anything i ask|cualquier cosa|n'importe quoi|alles|qualquer coisa|что угодно|любой запрос)|何でも|どんな(?:質問|要求)|什么都|任何问题|任何请求|무엇이든|어떤 요구|أي شيء|أي طلب|कुछ भी`],
  ["persona", `${W}(?:pretend|act as|you are now|roleplay|role-play|play the role|from now on|finge|actúa como|a partir de ahora|ahora eres|fais semblant|agis comme|désormais|tu es maintenant|tu so als|ab jetzt|du bist jetzt|finja|a partir de agora|agora você é|bundan sonra|từ giờ|mulai sekarang|od teraz|vanaf nu|притворись|ты теперь|теперь ты|с этого момента|сыграй|відтепер)|演じ|振る舞|なりきって|今から|からは|假装|扮演|从现在开始|你现在是|척하|이제부터|너는 이제|이제 너는|تظاهر|أنت الآن|من الآن|از این به بعد|नाटक करो|अब से|अब तुम`],
  ["stay_in_role", `${W}(?:stay in character|never break character|remain in character|reste dans ton personnage|bleib in der rolle|no salgas del personaje|не выходи из роли|оставайся в (?:этой )?роли)|キャラを崩さ|保持角色|不要出戏|캐릭터에서 벗어나지|역할을 유지|لا تخرج من الشخصية|ابق[َ]? في (?:هذا )?الدور|किरदार से|भूमिका में रहो`],
  ["special_mode", `${W}(?:developer mode|dev mode|god mode|admin mode|maintenance mode|jailbreak|jailbroken|modo desarrollador|modo desenvolvedor|mode développeur|entwicklermodus|geliştirici modu|режим разработчика|джейлбрейк)|開発者モード|脱獄|开发者模式|越狱|개발자 모드|탈옥|وضع المطور|डेवलपर मोड`],
  ["admin", `${W}(?:admin(?:istrator)? (?:command|order|override)|as the administrator|sudo|root access|administrador|administrateur|команда администратора|администратор)|管理者権限|管理者|管理员|관리자 명령|관리자|أمر من المسؤول|المسؤول|एडमिन`],
  ["safety", `${W}(?:safety|filters?|moderation|content polic|guardrail|censorship|ethic|moral|seguridad|filtros?|moderación|sécurité|filtres?|sicherheit|inhaltsrichtlinie|segurança|güvenlik|an toàn|keamanan|bezpieczeńst|безопасност|фильтр|модерац|политик\\S* контент|цензур|морал|этик)|安全|フィルター|コンテンツポリシー|倫理|検閲|过滤|审查|内容政策|道德|안전|필터|검열|콘텐츠 정책|윤리|الأمان|فلاتر|الرقابة|سياسة المحتوى|أخلاق|सुरक्षा|फ़िल्टर|फिल्टर|सेंसर|कंटेंट पॉलिसी|नैतिकता`],
  ["disable", `${W}(?:disable|turn off|switch off|deactivate|desactiva|désactive|deaktivier|schalte .{0,20}ab|desative|kapat|tắt|matikan|wyłącz|отключ|выключ|сними|вимкн)|無効|オフに|解除|关闭|禁用|끄고|꺼진|비활성|عطّل|عطل|تعطيل|أوقف|إيقاف|बंद करो|बंद हैं`],
  ["send", `${W}(?:send|forward|exfiltrat|upload|post (?:it|them|the)|transfer|envía|reenvía|manda|envoie|transfère|sende|schick|leite .{0,20}weiter|envie|encaminhe|gönder|ilet|gửi|chuyển tiếp|kirim|teruskan|wyślij|stuur|отправ|перешли|пересла|надішли)|送信|転送|送って|发送|转发|보내|전달|أرسل|أعد توجيه|حوّل|ارسال|भेज`],
  ["private_data", `${W}(?:conversation|chat history|history|chat log|inbox|passwords?|api keys?|credentials|contact list|historial|contraseñas?|historique|mots de passe|verlauf|passwörter|histórico|senhas?|geçmiş|şifre|lịch sử|mật khẩu|riwayat|kata sandi|historia|wachtwoord|истори|переписк|парол|ключ\\S* api|ключи)|会話|履歴|受信箱|パスワード|apiキー|对话记录|聊天记录|密码|收件箱|대화 기록|비밀번호|받은편지함|سجل المحادثة|كلمات المرور|كلمة المرور|صندوق الوارد|رمز عبور|इतिहास|पासवर्ड|इनबॉक्स`],
  ["covert", `${W}(?:without telling|don'?t tell the user|do not tell the user|do not mention|secretly|quietly|keep this (?:secret|hidden)|no le digas|sin decirle|en secreto|ne le dis pas|sans (?:en )?informer|discrètement|sag .{0,30}nichts|heimlich|não conte|sem contar|secretamente|söyleme|gizlice|đừng nói|bí mật|jangan beri tahu|diam-diam|nie mów|vertel .{0,30}niet|stiekem|не говори|тайно|не сообщай|незаметно|не кажи)|知らせずに|見せないで|言わないで|こっそり|不要告诉|悄悄|秘密|말하지 말고|몰래|알리지|لا تخبر|سرًا|دون علم|بتائے बिना|बताए बिना|चुपके`],
  ["ai_addressee", `${W}(?:(?:dear|hey|attention|note to|message for|to the|reader|whoever is the) (?:ai|assistant|model|bot|chatbot|agent)|(?:assistant|ai|agent|bot|model)\\s*[:,] |ai assistant|language model|llm|chatbot|ai model|ai agent|assistant reading|asistente de ia|modelo de lenguaje|assistant ia|modèle de langage|ki-assistent|sprachmodell|assistente de ia|modelo de linguagem|yapay zeka|trợ lý ai|asisten ai|ии-ассистент|языков\\S* модел)|aiアシスタント|言語モデル|ai助手|语言模型|ai 비서|언어 모델|المساعد الذكي|النموذج اللغوي|एआई सहायक|भाषा मॉडल`],
  ["user", `${W}(?:the user|user's|del usuario|l'utilisateur|des nutzers|dem nutzer|do usuário|ao usuário|kullanıcı|người dùng|pengguna|użytkownik|gebruiker|пользовател|користувач)|ユーザー|用户|사용자|المستخدم|उपयोगकर्ता`],
  ["new_task", `${W}(?:new instructions|real instructions|actual task|new task|new objective|real task|nuevas instrucciones|nouvelles instructions|neue anweisungen|novas instruções|новые инструкции|настоящая задача|настоящие инструкции)|新しい指示|本当の指示|新的指令|真正的任务|새로운 지침|진짜 임무|تعليمات جديدة|مهمتك الحقيقية|नई हिदायत|असली काम`],
  ["forbidden", `${W}(?:forbidden|prohibited|illegal|harmful|banned|prohibid|interdit|verboten|proibid|yasak|cấm|terlarang|zakazan|запрещ|незакон)|禁止|違法|违法|금지|불법|المحظور|محظور|غير قانوني|प्रतिबंधित|गैरकानूनी`],
  ["obey_me", `${W}(?:only follow my|obey me|my commands|do what i say|solo mis órdenes|mes ordres|meine befehle|minhas ordens|мои команды|только мои|подчиняйся)|私の命令|命令だけ|只听我|我的命令|내 명령|أوامري|मेरे आदेश`],
  ["evade", `${W}(?:base64|rot13|so the filter|not be detected|avoid detection|won'?t be detected|чтобы фильтр не|не заметил)|検出されない|不被发现|검출되지|لا يكتشف|पकड़ा न`],
];

const SOURCE = CONCEPTS.map(([, p]) => `(${p})`).join("|");
const ANY = new RegExp(SOURCE, "gu");
// For ASCII-only text (most traffic) the Unicode look-behind is a plain \b, and the regex runs
// without the u flag: the same matches, several times faster in V8.
const ANY_ASCII = new RegExp(SOURCE.split(W).join("\\b"), "g");

export interface ConceptMatch {
  concept: number;
  start: number;
}

/** Every concept occurrence in a lower-cased view, in one regex pass. */
export function conceptMatches(view: string): ConceptMatch[] {
  const out: ConceptMatch[] = [];
  const re = /[^\x00-\x7F]/.test(view) ? ANY : ANY_ASCII;
  re.lastIndex = 0;
  for (let m = re.exec(view); m !== null; m = re.exec(view)) {
    for (let g = 1; g < m.length; g++) {
      if (m[g] !== undefined) {
        out.push({ concept: g - 1, start: m.index });
        break;
      }
    }
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

/** Sorted distinct concept indices of some matches (all of a view's, or those inside a window). */
export function distinctConcepts(matches: readonly ConceptMatch[]): number[] {
  return [...new Set(matches.map((m) => m.concept))].sort((a, b) => a - b);
}

export const conceptsIn = (view: string): number[] => distinctConcepts(conceptMatches(view));
