/**
 * Faker locales the generator draws values from. Training and held-out groups use different
 * locales (besides a shared en_US core), so the held-out numbers include names and places from
 * countries and scripts the tagger never saw in training.
 */
import { allFakers, type Faker } from "@faker-js/faker";

export const TRAIN_LOCALES = [
  "en_US", "en_US", "en_US", "en_GB", "en_AU", "en_CA", "de", "de_CH", "fr", "es", "es_MX", "it", "nl", "pt_BR", "pt_PT",
  "pl", "sv", "da", "fi", "cs_CZ", "tr", "vi", "id_ID", "ru", "zh_CN", "ja", "ko", "ar", "fa", "en_IE", "en_ZA", "sk", "th",
  "ta_IN", "ur", "sr_RS_latin", "az", "uz_UZ_latin", "mn_MN_cyrl", "dv", "ku_ckb", "cy", "eo",
] as const;
export const DEV_LOCALES = ["en_US", "en_GB", "de_AT", "fr_BE", "nl_BE", "nb_NO", "zh_TW", "hr", "mk", "bn_BD"] as const;
export const TEST_LOCALES = ["en_US", "en_US", "en_IN", "en_NG", "en_GH", "fr_CA", "fr_CH", "ro", "hu", "el", "he", "uk", "lv", "af_ZA", "sl_SI", "ka_GE", "hy", "ne", "yo_NG", "zu_ZA"] as const;

export type LocaleGroup = "train" | "dev" | "test";
export const LOCALES_OF: Record<LocaleGroup, readonly string[]> = { train: TRAIN_LOCALES, dev: DEV_LOCALES, test: TEST_LOCALES };

export function fakerFor(locale: string): Faker {
  const f = (allFakers as Record<string, Faker>)[locale];
  if (!f) throw new Error(`no faker locale ${locale}`);
  return f;
}

/** Calls a faker getter that some locales lack, falling back to en_US. */
export function safe(f: Faker, get: (f: Faker) => string): string {
  try {
    const v = get(f);
    if (v && v.trim()) return v.trim();
  } catch {
    // locale without this definition
  }
  return get(fakerFor("en_US")).trim();
}
