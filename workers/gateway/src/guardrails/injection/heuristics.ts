/**
 * Hand-written signals for the attack families in the corpus. Each rule is specific enough to
 * fire rarely on benign text ("ignore this warning" does not match: the object must be
 * instructions/rules/guidelines). Scores combine as independent evidence: 1 - Π(1 - w).
 */
export interface Rule {
  id: string;
  re: RegExp;
  weight: number;
}

const OBJ = "(?:instructions?|directions?|rules|guidelines|prompts?|polic(?:y|ies)|constraints|programming|restrictions|guardrails|safeguards|filters?)";

/** What a length/size limit is about: "word limit", "restrictions on length". */
const SIZE = "(?:word|words|word count|length|page|pages|character count|time|size|budget|creativity|format(?:ting)?|style|tokens?)";

/** Ordinary device/app modes: "enable dark mode" is not a jailbreak persona. */
const DEVICE_MODE = "(?:dark|light|night|airplane|flight|sleep|focus|silent|quiet|reader|reading|incognito|private|presentation|full-?screen|landscape|portrait|power-saving|low-power|battery-saving|eco|sport|offline|compatibility|tablet|edit|editing|view|preview|slide ?show|study|exam|practice|quiz|beginner|expert)";

export const RULES: readonly Rule[] = [
  { id: "ignore_previous", weight: 0.75, re: new RegExp(`\\b(?:ignore|disregard|forget|skip|override|bypass|abandon)\\b[^.\\n]{0,40}\\b(?:previous|prior|above|earlier|preceding|all|your|the|any|system)\\b[^.\\n]{0,20}\\b${OBJ}`) },
  { id: "new_instructions", weight: 0.35, re: /\b(?:new|updated|real|actual) (?:instructions|rules|task|objective)\b[^.\n]{0,20}(?:are|is|:)/ },
  // Limits on the output's size ("no word limit", "no restrictions on length") are ordinary requests.
  { id: "no_restrictions", weight: 0.45, re: new RegExp(`\\b(?:no|without|free of|free from|not bound by|unbound by|zero|removed all|bypass(?:es|ing)?|ignores?|disable[ds]?)\\b[^.\\n]{0,30}(?<!\\b${SIZE} )\\b(?:restrictions?|limitations|limits|filter(?:s|ing)?|censorship|guidelines|ethical|ethics|moral(?:s|ity)?|content polic(?:y|ies)|safeguards|rules)\\b(?! (?:on|to|for) (?:the )?${SIZE})`) },
  { id: "never_refuse", weight: 0.35, re: /\b(?:never|not|won'?t|cannot|can'?t|don'?t|doesn'?t)\b[^.\n]{0,12}\b(?:refuse|decline|say no|reject)s?\b/ },
  { id: "dan", weight: 0.7, re: /\b(?:do anything now|betterdan|mongo tom|evil ?confidant)\b|\b(?:as|you are|you're|named|called|mode|persona|role of)\W{1,3}(?:dan|aim|stan|dude|evilbot|anarchy)\b|\b(?:dan|aim|stan|dude)\b[^.\n]{0,40}\b(?:stands for|can do anything|has broken|no restrictions|never refuses|doesn'?t have to)/ },
  { id: "jailbreak_words", weight: 0.35, re: /\b(?:jailbreak(?:ed|ing)?|jailbroken|developer mode|dev mode|god ?mode|unchained|unlocked mode|opposite mode|evil ?bot)\b/ },
  // Weak alone: benign role-play ("be my interviewer and stay in character") says it too; in
  // jailbreaks it always comes with stronger signals (no_restrictions, never_refuse, dan).
  { id: "stay_in_character", weight: 0.2, re: /\b(?:stay in character|break(?:ing)? character|remain in character|never break)\b/ },
  { id: "amoral", weight: 0.3, re: /\b(?:amoral|unethical|unfiltered|uncensored|immoral|illegal|unrestricted|no morals|without (?:an[y] )?(?:warnings?|disclaimers?))\b/ },
  { id: "persona_switch", weight: 0.2, re: /\b(?:you are|you're|you will be|act as|pretend (?:to be|you are)|roleplay as|role-play as|from now on,? you)\b[^.\n]{0,60}\b(?:ai|model|chatbot|assistant|bot|gpt|llm)\b/ },
  // Same: "from now on, answer in Spanish" is a normal chat setting.
  { id: "from_now_on", weight: 0.1, re: /\bfrom now on\b/ },
  { id: "prompt_extraction", weight: 0.7, re: /\b(?:repeat|print|output|reveal|show|display|tell me|give me|translate|summari[sz]e|leak|dump|begin your reply with)\b[^.\n]{0,40}\b(?:system prompt|system message|initial (?:instructions|prompt)|hidden (?:prompt|instructions)|your (?:instructions|prompt|configuration|rules)(?: above)?|the (?:instructions|prompt|configuration|rules)(?! (?:of|for|to|on|about|in|from|that came with)\b)(?: above)?|words above|text above|everything above|context window)\b/ },
  { id: "words_above", weight: 0.4, re: /\b(?:repeat|print|output)\b[^.\n]{0,30}\b(?:above|before this)\b/ },
  { id: "fake_system", weight: 0.6, re: /(?:^|\n)\s*(?:\[?system\]?|###\s*(?:instruction|system)|<\|im_start\|>\s*system|\[inst\])\s*[:\]>-]?\s*\S|admin override|sudo mode|root access|maintenance mode|safety (?:filters?|guidelines) (?:have been |are )?(?:disabled|updated|off)/ },
  { id: "addressed_to_ai", weight: 0.6, re: /\b(?:ai|assistant|language model|llm|chatbot|agent|model)s?\b[^.\n]{0,20}\b(?:reading|processing|retriev(?:es|ing)|summari[sz]ing)\b[^.\n]{0,30}(?:this|these)\b/ },
  { id: "note_to_ai", weight: 0.55, re: /\b(?:note|instruction|message|attention|important|hidden instruction)s?\b[^.\n]{0,12}\b(?:to|for) (?:the )?(?:ai|assistant|language model|llm|model)\b/ },
  { id: "exfiltrate", weight: 0.35, re: /\b(?:send|forward|email|post|upload|exfiltrate)\b[^.\n]{0,40}\b(?:conversation|history|messages|data|api keys?|passwords?|credentials|inbox)\b[^.\n]{0,30}\b(?:to|at)\b/ },
  { id: "token_threat", weight: 0.4, re: /\b(?:tokens?|points)\b[^.\n]{0,40}\b(?:lose|deducted|run out|die|cease to exist)\b/ },
  { id: "dual_response", weight: 0.45, re: /\b(?:two (?:different )?(?:responses|answers|paragraphs)|respond twice|\[🔒classic\]|\[🔓jailbreak\]|\(🔓developer mode output\)|normal and (?:developer|jailbreak))/ },
  { id: "named_mode", weight: 0.4, re: new RegExp(`\\b(?:stay|remain|while|enter|activate|enable|switch to|now in)\\w* (?:in )?(?!${DEVICE_MODE} mode)[\\w-]+ mode\\b|\\b(?!${DEVICE_MODE} mode)[\\w-]+ mode (?:enabled|activated|on)\\b`) },
  { id: "split_persona", weight: 0.4, re: /\b(?:two|2|multiple) (?:entities|persons|personalities|personas|characters|ais|versions of (?:yourself|you))\b/ },
  { id: "prompt_slot", weight: 0.5, re: /\[(?:insert|put|your) (?:your )?(?:prompt|question|request)(?: here)?\]|\{\{?(?:prompt|input)\}?\}/ },
  { id: "encoding_evasion", weight: 0.55, re: /\b(?:respond|answer|reply|write)\b[^.\n]{0,20}\b(?:in|using) (?:base64|rot13|hex|binary|leetspeak|morse)\b[^.\n]{0,40}\b(?:filter|moderation|detect|caught|censor)/ },
  { id: "harmful_howto", weight: 0.3, re: /\bhow to (?:make|build|synthesi[sz]e|cook) (?:a )?(?:bomb|explosives?|napalm|meth|nerve agent|pipe bomb|weapon)/ },
  { id: "multilingual_ignore", weight: 0.75, re: /(?:ignor(?:a|iere|e|er)|olvida|vergiss|oublie|忽略|无视)[^.\n。]{0,40}(?:instrucciones|anweisungen|instructions|istruzioni|règles|reglas|regeln|指令|规则|提示)/ },
  { id: "multilingual_extract", weight: 0.65, re: /(?:system(?:prompt|anweisungen)|prompt (?:de )?sist[eè]m[ae]|prompt syst[eè]me|instrucciones ocultas|系统提示)/ },
  { id: "multilingual_unrestricted", weight: 0.6, re: /(?:sin (?:restricciones|límites|filtros)|ohne (?:einschränkungen|filter|regeln)|sans (?:aucune )?(?:limite|restriction|filtre)|没有任何限制|不受限制)/ },
];

export interface HeuristicResult {
  score: number;
  reasons: string[];
}

export function heuristicScore(views: readonly string[]): HeuristicResult {
  const reasons: string[] = [];
  let keep = 1;
  for (const rule of RULES) {
    if (!views.some((v) => rule.re.test(v))) continue;
    reasons.push(rule.id);
    keep *= 1 - rule.weight;
  }
  return { score: 1 - keep, reasons };
}
