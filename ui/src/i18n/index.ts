// Every text the UI shows comes from the catalogues in assets/i18n/, which the core
// reads too (CSV headers, later the PDFs). Norwegian bokmål is the default and the
// reference; English must have every key (tests on both sides check it). Keys under a
// vocabulary's name follow the core's stable keys: `incident_type.ransomware`,
// `incident_type.ransomware.help`.
import type { CaseStatus } from "../bindings/CaseStatus";
import type { ErrorKind } from "../bindings/ErrorKind";
import type { Problem } from "../bindings/Problem";
import en from "../../../assets/i18n/en.json";
import nb from "../../../assets/i18n/nb.json";

export type MessageKey = keyof typeof nb;
export type Lang = "nb" | "en";
export const LANGS: readonly Lang[] = ["nb", "en"];

export const CATALOGUES: Record<Lang, Record<MessageKey, string>> = { nb, en: en satisfies Record<MessageKey, string> };

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  const catalogue = CATALOGUES[lang];
  return (key, vars) =>
    catalogue[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      vars && name in vars ? String(vars[name]) : whole,
    );
}

/**
 * The base of every count text: a text whose number decides its form has one key per
 * plural category of the language (`register.count.one`, `register.count.other`), and
 * `{n}` is the count. Other numbers in texts (a filing's number, a step) have other names.
 */
export type CountKey = { [K in MessageKey]: K extends `${infer Base}.one` ? Base : never }[MessageKey];

/**
 * A count text in the form the language's plural rule (CLDR, through Intl.PluralRules)
 * chooses for `n`, with `n` formatted for the language: «1 åpen», «2 åpne».
 */
export function countText(lang: Lang, key: CountKey, n: number, vars?: Record<string, string | number>): string {
  const category = new Intl.PluralRules(LOCALES[lang]).select(n);
  const chosen = `${key}.${category}`;
  const full = (chosen in nb ? chosen : `${key}.other`) as MessageKey;
  return translator(lang)(full, { ...vars, n: formatNumber(n, lang) });
}

export const statusKey = (s: CaseStatus): MessageKey => `status.${s}`;
export const statusNextKey = (s: CaseStatus): MessageKey => `statusNext.${s}`;
export const errorKey = (k: ErrorKind): MessageKey => `error.${k}`;
export const problemKey = (p: Problem): MessageKey => `problem.${p}`;

/** The label of a field path such as `subjects_count.value` or `systems[1]`. */
export function fieldKey(field: string): MessageKey {
  const whole = `field.${field.replace(/\[\d+\]/g, "")}`;
  if (whole in nb) return whole as MessageKey;
  const top = `field.${field.split(/[.[]/)[0] ?? field}`;
  return top in nb ? (top as MessageKey) : "field.document";
}

/** The text of a message key built from a vocabulary value, e.g. `incident_type.ransomware`. */
export function vocabKey(prefix: string, value: string, help = false): MessageKey {
  const key = `${prefix}.${value}${help ? ".help" : ""}`;
  if (!(key in nb)) throw new Error(`no catalogue entry ${key}`);
  return key as MessageKey;
}

export function hasKey(key: string): key is MessageKey {
  return key in nb;
}

const LOCALES: Record<Lang, string> = { nb: "nb-NO", en: "en-GB" };

/** An instant (RFC 3339) as shown to people: always in Europe/Oslo, in the UI's language. */
export function formatInstant(rfc3339: string, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALES[lang], {
    timeZone: "Europe/Oslo",
    dateStyle: "medium",
    timeStyle: "short",
  }).format(new Date(rfc3339));
}

export function formatTime(date: Date, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALES[lang], {
    timeZone: "Europe/Oslo",
    timeStyle: "medium",
  }).format(date);
}

export function formatNumber(n: number, lang: Lang): string {
  return new Intl.NumberFormat(LOCALES[lang]).format(n);
}

/** Sorts labels the way readers of the language expect (æ, ø, å last in bokmål). */
export function collator(lang: Lang): Intl.Collator {
  return new Intl.Collator(LOCALES[lang]);
}

const LANG_STORAGE_KEY = "avvik.lang";

export function initialLang(): Lang {
  const saved = globalThis.localStorage?.getItem(LANG_STORAGE_KEY);
  return LANGS.includes(saved as Lang) ? (saved as Lang) : "nb";
}

export function saveLang(lang: Lang): void {
  globalThis.localStorage?.setItem(LANG_STORAGE_KEY, lang);
}
