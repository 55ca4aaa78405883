/**
 * Hand-written signals for attack families: features of the classifier, each with a weight
 * LEARNED with the n-grams (scripts/guardrails/train-injection.ts), not set by hand. Each rule
 * is specific enough to fire rarely on benign text ("ignore this warning" does not match: the
 * object must be instructions/rules/guidelines); the learned weight says how much it counts.
 */
import { CONCEPTS } from "./concepts";

export interface Rule {
  id: string;
  re: RegExp;
}

const OBJ = "(?:instructions?|directions?|rules|guidelines|prompts?|polic(?:y|ies)|constraints|programming|restrictions|guardrails|safeguards|filters?)";

/** What a length/size limit is about: "word limit", "restrictions on length". */
const SIZE = "(?:word|words|word count|length|page|pages|character count|time|size|budget|creativity|format(?:ting)?|style|tokens?)";

/** Ordinary device/app modes: "enable dark mode" is not a jailbreak persona. */
const DEVICE_MODE = "(?:dark|light|night|airplane|flight|sleep|focus|silent|quiet|reader|reading|incognito|private|presentation|full-?screen|landscape|portrait|power-saving|low-power|battery-saving|eco|sport|offline|compatibility|tablet|edit|editing|view|preview|slide ?show|study|exam|practice|quiz|beginner|expert)";

const concept = (name: string): string => CONCEPTS.find(([n]) => n === name)?.[1] ?? "(?!)";
const ML_IGNORE = concept("ignore");
const ML_RULES = concept("instructions");

export const RULES: readonly Rule[] = [
  { id: "ignore_previous", re: new RegExp(`\\b(?:ignore|disregard|forget|skip|override|bypass|abandon)\\b[^.\\n]{0,40}\\b(?:previous|prior|above|earlier|preceding|all|your|the|any|system)\\b[^.\\n]{0,20}\\b${OBJ}`) },
  { id: "new_instructions", re: /\b(?:new|updated|real|actual) (?:instructions|rules|task|objective)\b[^.\n]{0,20}(?:are|is|:)/ },
  // Limits on the output's size ("no word limit", "no restrictions on length") are ordinary requests.
  { id: "no_restrictions", re: new RegExp(`\\b(?:no|without|free of|free from|not bound by|unbound by|zero|removed all|bypass(?:es|ing)?|ignores?|disable[ds]?)\\b[^.\\n]{0,30}(?<!\\b${SIZE} )\\b(?:restrictions?|limitations|limits|filter(?:s|ing)?|censorship|guidelines|ethical|ethics|moral(?:s|ity)?|content polic(?:y|ies)|safeguards|rules)\\b(?! (?:on|to|for) (?:the )?${SIZE})`) },
  { id: "never_refuse", re: /\b(?:never|not|won'?t|cannot|can'?t|don'?t|doesn'?t)\b[^.\n]{0,12}\b(?:refuse|decline|say no|reject)s?\b/ },
  { id: "dan", re: /\b(?:do anything now|betterdan|mongo tom|evil ?confidant)\b|\b(?:as|you are|you're|named|called|mode|persona|role of)\W{1,3}(?:dan|aim|stan|dude|evilbot|anarchy)\b|\b(?:dan|aim|stan|dude)\b[^.\n]{0,40}\b(?:stands for|can do anything|has broken|no restrictions|never refuses|doesn'?t have to)/ },
  { id: "jailbreak_words", re: /\b(?:jailbreak(?:ed|ing)?|jailbroken|developer mode|dev mode|god ?mode|unchained|unlocked mode|opposite mode|evil ?bot)\b/ },
  // Weak alone: benign role-play ("be my interviewer and stay in character") says it too; in
  // jailbreaks it always comes with stronger signals (no_restrictions, never_refuse, dan).
  { id: "stay_in_character", re: /\b(?:stay in character|break(?:ing)? character|remain in character|never break)\b/ },
  { id: "amoral", re: /\b(?:amoral|unethical|unfiltered|uncensored|immoral|illegal|unrestricted|no morals|without (?:an[y] )?(?:warnings?|disclaimers?))\b/ },
  { id: "persona_switch", re: /\b(?:you are|you're|you will be|act as|pretend (?:to be|you are)|roleplay as|role-play as|from now on,? you)\b[^.\n]{0,60}\b(?:ai|model|chatbot|assistant|bot|gpt|llm)\b/ },
  // Same: "from now on, answer in Spanish" is a normal chat setting.
  { id: "from_now_on", re: /\bfrom now on\b/ },
  { id: "prompt_extraction", re: /\b(?:repeat|print|output|reveal|show|display|tell me|give me|translate|summari[sz]e|leak|dump|begin your reply with)\b[^.\n]{0,40}\b(?:system prompt|system message|initial (?:instructions|prompt)|hidden (?:prompt|instructions)|your (?:instructions|prompt|configuration|rules)(?: above)?|the (?:instructions|prompt|configuration|rules)(?! (?:of|for|to|on|about|in|from|that came with)\b)(?: above)?|words above|text above|everything above|context window)\b/ },
  { id: "words_above", re: /\b(?:repeat|print|output)\b[^.\n]{0,30}\b(?:above|before this)\b/ },
  { id: "fake_system", re: /(?:^|\n)\s*(?:\[?system\]?|###\s*(?:instruction|system)|<\|im_start\|>\s*system|\[inst\])\s*[:\]>-]?\s*\S|admin override|sudo mode|root access|maintenance mode|safety (?:filters?|guidelines) (?:have been |are )?(?:disabled|updated|off)/ },
  { id: "addressed_to_ai", re: /\b(?:ai|assistant|language model|llm|chatbot|agent|model)s?\b[^.\n]{0,20}\b(?:reading|processing|retriev(?:es|ing)|summari[sz]ing)\b[^.\n]{0,30}(?:this|these)\b/ },
  { id: "note_to_ai", re: /\b(?:note|instruction|message|attention|important|hidden instruction)s?\b[^.\n]{0,12}\b(?:to|for) (?:the )?(?:ai|assistant|language model|llm|model)\b/ },
  { id: "exfiltrate", re: /\b(?:send|forward|email|post|upload|exfiltrate)\b[^.\n]{0,40}\b(?:conversation|history|messages|data|api keys?|passwords?|credentials|inbox)\b[^.\n]{0,30}\b(?:to|at)\b/ },
  { id: "token_threat", re: /\b(?:tokens?|points)\b[^.\n]{0,40}\b(?:lose|deducted|run out|die|cease to exist)\b/ },
  { id: "dual_response", re: /\b(?:two (?:different )?(?:responses|answers|paragraphs)|respond twice|\[🔒classic\]|\[🔓jailbreak\]|\(🔓developer mode output\)|normal and (?:developer|jailbreak))/ },
  { id: "named_mode", re: new RegExp(`\\b(?:stay|remain|while|enter|activate|enable|switch to|now in)\\w* (?:in )?(?!${DEVICE_MODE} mode)[\\w-]+ mode\\b|\\b(?!${DEVICE_MODE} mode)[\\w-]+ mode (?:enabled|activated|on)\\b`) },
  { id: "split_persona", re: /\b(?:two|2|multiple) (?:entities|persons|personalities|personas|characters|ais|versions of (?:yourself|you))\b/ },
  { id: "prompt_slot", re: /\[(?:insert|put|your) (?:your )?(?:prompt|question|request)(?: here)?\]|\{\{?(?:prompt|input)\}?\}/ },
  { id: "encoding_evasion", re: /\b(?:respond|answer|reply|write)\b[^.\n]{0,20}\b(?:in|using) (?:base64|rot13|hex|binary|leetspeak|morse)\b[^.\n]{0,40}\b(?:filter|moderation|detect|caught|censor)/ },
  { id: "harmful_howto", re: /\bhow to (?:make|build|synthesi[sz]e|cook) (?:a )?(?:bomb|explosives?|napalm|meth|nerve agent|pipe bomb|weapon)/ },
  { id: "multilingual_ignore", re: /(?:ignor(?:a|iere|e|er)|olvida|vergiss|oublie|忽略|无视)[^.\n。]{0,40}(?:instrucciones|anweisungen|instructions|istruzioni|règles|reglas|regeln|指令|规则|提示)/ },
  { id: "multilingual_extract", re: /(?:system(?:prompt|anweisungen)|prompt (?:de )?sist[eè]m[ae]|prompt syst[eè]me|instrucciones ocultas|系统提示)/ },
  { id: "multilingual_unrestricted", re: /(?:sin (?:restricciones|límites|filtros)|ohne (?:einschränkungen|filter|regeln)|sans (?:aucune )?(?:limite|restriction|filtre)|没有任何限制|不受限制)/ },
  // The same families in every language of the concept lexicon (concepts.ts): an "ignore/forget"
  // verb near an "instructions/rules" noun in either order, a "system prompt" noun, "without
  // restrictions/filters/censorship", and a developer/god mode.
  { id: "ignore_near_rules_any_language", re: new RegExp(`(?:${ML_IGNORE})[^.\\n。！？]{0,40}(?:${ML_RULES})|(?:${ML_RULES})[^.\\n。！？]{0,40}(?:${ML_IGNORE})`, "u") },
  { id: "system_prompt_any_language", re: new RegExp(concept("system_prompt"), "u") },
  { id: "unrestricted_any_language", re: new RegExp(concept("no_restrictions"), "u") },
  { id: "special_mode_any_language", re: new RegExp(concept("special_mode"), "u") },
];

/** Indices into RULES of the rules that match a (lower-cased, normalized) view. */
export function ruleHits(view: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < RULES.length; i++) if (RULES[i]?.re.test(view)) out.push(i);
  return out;
}
