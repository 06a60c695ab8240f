// Every text the UI shows comes from these catalogues. Norwegian bokmål is the
// default; English must have every key (a test checks it).
import type { CaseStatus } from "./bindings/CaseStatus";
import type { ErrorKind } from "./bindings/ErrorKind";
import type { Problem } from "./bindings/Problem";

export type Lang = "nb" | "en";
export const LANGS: readonly Lang[] = ["nb", "en"];

const nb = {
  "app.name": "Avvik",
  "app.tagline": "Brudd på personopplysningssikkerheten",
  "lang.label": "Språk",
  "lang.nb": "Norsk bokmål",
  "lang.en": "English",

  "register.heading": "Avviksregister",
  "register.search": "Søk i registeret",
  "register.searchHelp": "Søk på referanse, tittel eller beskrivelse.",
  "register.loading": "Henter avvik …",
  "register.empty": "Ingen avvik er registrert ennå. Meld et avvik i skjemaet.",
  "register.noMatch": "Ingen avvik passer søket «{query}».",
  "register.count": "{n} avvik",
  "register.col.reference": "Referanse",
  "register.col.title": "Tittel",
  "register.col.status": "Status",
  "register.col.created": "Registrert",

  "form.heading": "Meld nytt avvik",
  "form.intro": "Beskriv kort hva som har skjedd. Daglig leder vurderer saken videre.",
  "form.title": "Tittel",
  "form.titleHelp": "En kort setning, for eksempel «Lønnsslipp sendt til feil mottaker».",
  "form.description": "Hva har skjedd?",
  "form.descriptionHelp": "Med egne ord: hva, når og hvordan det ble oppdaget. Ikke skriv inn personopplysningene selv.",
  "form.required": "må fylles ut",
  "form.chars": "{n} av {max} tegn",
  "form.submit": "Registrer avvik",
  "form.saving": "Lagrer …",
  "form.saved": "{reference} er registrert.",

  "detail.heading": "Avvik {reference}",
  "detail.close": "Lukk",
  "detail.id": "Id",
  "detail.created": "Registrert",
  "detail.updated": "Sist endret",
  "detail.description": "Beskrivelse",
  "detail.noDescription": "Ingen beskrivelse.",

  "status.reported": "Meldt",
  "statusNext.reported": "Venter på at daglig leder vurderer avviket.",

  "field.title": "Tittel",
  "field.description": "Beskrivelse",
  "field.document": "Skjemaet",
  "field.case": "Saken",

  "problem.required": "{field} må fylles ut.",
  "problem.too_long": "{field} er for lang.",
  "problem.control_characters": "{field} inneholder tegn som ikke er tillatt.",
  "problem.malformed": "{field} har feil form.",

  "error.validation": "Noe i skjemaet må rettes.",
  "error.not_found": "Fant ikke avviket. Det kan være slettet eller referansen kan være feil.",
  "error.store_too_new":
    "Databasen er laget av en nyere versjon av Avvik. Oppdater programmet for å åpne den. Ingenting er endret.",
  "error.storage": "Databasen kunne ikke leses eller skrives. Ingenting er lagret.",
  "error.internal": "Det oppstod en feil i Avvik. Prøv igjen; meld fra hvis det skjer igjen.",
  "error.details": "Tekniske detaljer",
  "error.unavailable": "Avvik kan ikke åpne databasen",

  "footer.store": "Data: {location}",
  "footer.version": "Versjon {version}",
} as const;

export type MessageKey = keyof typeof nb;

const en: Record<MessageKey, string> = {
  "app.name": "Avvik",
  "app.tagline": "Personal data breaches",
  "lang.label": "Language",
  "lang.nb": "Norsk bokmål",
  "lang.en": "English",

  "register.heading": "Breach register",
  "register.search": "Search the register",
  "register.searchHelp": "Search by reference, title or description.",
  "register.loading": "Loading cases …",
  "register.empty": "No cases yet. Report a breach with the form.",
  "register.noMatch": "No case matches «{query}».",
  "register.count": "{n} cases",
  "register.col.reference": "Reference",
  "register.col.title": "Title",
  "register.col.status": "Status",
  "register.col.created": "Reported",

  "form.heading": "Report a breach",
  "form.intro": "Say briefly what happened. The general manager assesses the case next.",
  "form.title": "Title",
  "form.titleHelp": "One short sentence, e.g. «Payslip sent to the wrong person».",
  "form.description": "What happened?",
  "form.descriptionHelp": "In your own words: what, when and how it was found. Do not type in the personal data itself.",
  "form.required": "required",
  "form.chars": "{n} of {max} characters",
  "form.submit": "Report breach",
  "form.saving": "Saving …",
  "form.saved": "{reference} has been reported.",

  "detail.heading": "Case {reference}",
  "detail.close": "Close",
  "detail.id": "Id",
  "detail.created": "Reported",
  "detail.updated": "Last changed",
  "detail.description": "Description",
  "detail.noDescription": "No description.",

  "status.reported": "Reported",
  "statusNext.reported": "Waiting for the general manager to assess the case.",

  "field.title": "Title",
  "field.description": "Description",
  "field.document": "The form",
  "field.case": "The case",

  "problem.required": "{field} is required.",
  "problem.too_long": "{field} is too long.",
  "problem.control_characters": "{field} contains characters that are not allowed.",
  "problem.malformed": "{field} is not in the expected form.",

  "error.validation": "Something in the form needs fixing.",
  "error.not_found": "The case was not found. It may have been removed, or the reference is wrong.",
  "error.store_too_new":
    "The database was made by a newer version of Avvik. Update the app to open it. Nothing was changed.",
  "error.storage": "The database could not be read or written. Nothing was saved.",
  "error.internal": "Something went wrong inside Avvik. Try again; report it if it happens again.",
  "error.details": "Technical details",
  "error.unavailable": "Avvik cannot open its database",

  "footer.store": "Data: {location}",
  "footer.version": "Version {version}",
};

export const CATALOGUES: Record<Lang, Record<MessageKey, string>> = { nb, en };

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  const catalogue = CATALOGUES[lang];
  return (key, vars) =>
    catalogue[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
      vars && name in vars ? String(vars[name]) : whole,
    );
}

export const statusKey = (s: CaseStatus): MessageKey => `status.${s}`;
export const statusNextKey = (s: CaseStatus): MessageKey => `statusNext.${s}`;
export const errorKey = (k: ErrorKind): MessageKey => `error.${k}`;
export const problemKey = (p: Problem): MessageKey => `problem.${p}`;

const FIELD_KEYS: Record<string, MessageKey> = {
  title: "field.title",
  description: "field.description",
  document: "field.document",
  case: "field.case",
};
export const fieldKey = (field: string): MessageKey => FIELD_KEYS[field] ?? "field.document";

const LOCALES: Record<Lang, string> = { nb: "nb-NO", en: "en-GB" };

/** An instant (RFC 3339) as shown to people: always in Europe/Oslo, in the UI's language. */
export function formatInstant(rfc3339: string, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALES[lang], {
    timeZone: "Europe/Oslo",
    dateStyle: "medium",
    timeStyle: "short",
  }).format(new Date(rfc3339));
}

export function formatNumber(n: number, lang: Lang): string {
  return new Intl.NumberFormat(LOCALES[lang]).format(n);
}

const LANG_STORAGE_KEY = "avvik.lang";

export function initialLang(): Lang {
  const saved = globalThis.localStorage?.getItem(LANG_STORAGE_KEY);
  return LANGS.includes(saved as Lang) ? (saved as Lang) : "nb";
}

export function saveLang(lang: Lang): void {
  globalThis.localStorage?.setItem(LANG_STORAGE_KEY, lang);
}
