import { describe, expect, it } from "vitest";
import {
  CAUSES,
  COUNT_KINDS,
  DATA_CATEGORIES,
  DATA_SUBJECTS,
  DISCOVERED_BY,
  INCIDENT_TYPES,
  NATURES,
  OCCURRED_KINDS,
  PERSONAL_DATA,
} from "./bindings/vocabulary";
import {
  CATALOGUES,
  LANGS,
  type MessageKey,
  countText,
  fieldKey,
  formatInstant,
  formatNumber,
  translator,
} from "./i18n";

describe("catalogues", () => {
  it("English has exactly the keys of bokmål, none empty", () => {
    const nb = Object.keys(CATALOGUES.nb).sort();
    expect(Object.keys(CATALOGUES.en).sort()).toEqual(nb);
    for (const lang of ["nb", "en"] as const) {
      for (const key of nb) expect(CATALOGUES[lang][key as MessageKey].trim(), key).not.toBe("");
    }
  });

  it("both languages use the same placeholders for each key", () => {
    const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(CATALOGUES.nb) as MessageKey[]) {
      expect(holes(CATALOGUES.en[key]), key).toEqual(holes(CATALOGUES.nb[key]));
    }
  });

  it("every value of every vocabulary has a label, and every choice that shows help has it", () => {
    const withHelp: [string, readonly string[]][] = [
      ["personal_data", PERSONAL_DATA],
      ["nature", NATURES],
      ["incident_type", INCIDENT_TYPES],
      ["cause", CAUSES],
      ["data_category", DATA_CATEGORIES],
      ["occurred_kind", OCCURRED_KINDS],
    ];
    const labelOnly: [string, readonly string[]][] = [
      ["data_subject", DATA_SUBJECTS],
      ["discovered_by", DISCOVERED_BY],
      ["count_kind", COUNT_KINDS],
    ];
    for (const [prefix, values] of [...withHelp, ...labelOnly]) {
      for (const v of values) expect(CATALOGUES.nb, `${prefix}.${v}`).toHaveProperty([`${prefix}.${v}`]);
    }
    for (const [prefix, values] of withHelp) {
      for (const v of values) expect(CATALOGUES.nb, `${prefix}.${v}.help`).toHaveProperty([`${prefix}.${v}.help`]);
    }
  });

  it("fills placeholders and leaves unknown ones visible", () => {
    const t = translator("nb");
    expect(t("wizard.submitted", { reference: "AVVIK-2026-0001" })).toBe(
      "Avviket er sendt inn og registrert som AVVIK-2026-0001.",
    );
    expect(t("wizard.stepOf")).toBe("Steg {step} av {total}");
  });

  it("every count text has a form for each plural category of each language, and `{n}` is only a count", () => {
    const locales = { nb: "nb-NO", en: "en-GB" } as const;
    const keys = Object.keys(CATALOGUES.nb);
    const bases = new Set(keys.filter((k) => k.endsWith(".one")).map((k) => k.slice(0, -".one".length)));
    expect(bases.size).toBeGreaterThan(15);
    for (const lang of LANGS) {
      const categories = new Intl.PluralRules(locales[lang]).resolvedOptions().pluralCategories;
      for (const base of bases) {
        for (const category of categories) {
          expect(CATALOGUES[lang], `${lang} ${base}.${category}`).toHaveProperty([`${base}.${category}`]);
        }
      }
      for (const key of keys) {
        if (!CATALOGUES[lang][key as MessageKey].includes("{n}")) continue;
        const base = key.replace(/\.(zero|one|two|few|many|other)$/, "");
        expect(bases.has(base), `${lang} ${key} counts with {n} but has no plural forms`).toBe(true);
      }
    }
  });

  it("chooses the form by the language's plural rule and formats the number", () => {
    expect(countText("nb", "dashboard.open.count", 1)).toBe("1 åpen");
    expect(countText("nb", "dashboard.open.count", 2)).toBe("2 åpne");
    expect(countText("nb", "nav.inboxCount", 1)).toBe("Innboks (1 ny)");
    expect(countText("nb", "dashboard.ready.auditOk", 1)).toBe("Hel (1 hendelse kontrollert)");
    expect(countText("nb", "dashboard.ready.auditOk", 0)).toBe("Hel (0 hendelser kontrollert)");
    expect(countText("en", "register.count", 1)).toBe("1 case");
    expect(countText("en", "register.count", 20000)).toBe("20,000 cases");
    expect(countText("nb", "filings.changes", 1, { previous: 2 })).toBe("1 endret siden melding 2");
  });

  it("names fields by their top-level name", () => {
    expect(fieldKey("subjects_count.value")).toBe("field.subjects_count");
    expect(fieldKey("systems[2]")).toBe("field.systems");
    expect(fieldKey("no_such_field")).toBe("field.document");
  });
});

describe("formatting", () => {
  it("shows instants in Europe/Oslo whatever the machine's zone", () => {
    // 23:30 UTC on 31 December is 00:30 on 1 January in Oslo (winter, UTC+1).
    expect(formatInstant("2026-12-31T23:30:00Z", "nb")).toMatch(/1\. jan\.? 2027.*00[:.]30/);
    // Summer time: 10:00 UTC is 12:00 in Oslo.
    expect(formatInstant("2026-07-01T10:00:00Z", "en")).toMatch(/1 Jul 2026.*12:00/);
  });

  it("groups digits the Norwegian way", () => {
    expect(formatNumber(20000, "nb").replace(/\s/g, " ")).toBe("20 000");
    expect(formatNumber(20000, "en")).toBe("20,000");
  });
});
