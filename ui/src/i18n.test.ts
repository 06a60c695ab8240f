import { describe, expect, it } from "vitest";
import { CATALOGUES, type MessageKey, formatInstant, formatNumber, translator } from "./i18n";

describe("catalogues", () => {
  it("English has exactly the keys of bokmål, none empty", () => {
    const nb = Object.keys(CATALOGUES.nb).sort();
    expect(Object.keys(CATALOGUES.en).sort()).toEqual(nb);
    for (const lang of ["nb", "en"] as const) {
      for (const key of nb) expect(CATALOGUES[lang][key as MessageKey].trim()).not.toBe("");
    }
  });

  it("both languages use the same placeholders for each key", () => {
    const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of Object.keys(CATALOGUES.nb) as MessageKey[]) {
      expect(holes(CATALOGUES.en[key]), key).toEqual(holes(CATALOGUES.nb[key]));
    }
  });

  it("fills placeholders and leaves unknown ones visible", () => {
    const t = translator("nb");
    expect(t("form.saved", { reference: "AVVIK-2026-0001" })).toBe("AVVIK-2026-0001 er registrert.");
    expect(t("form.saved")).toBe("{reference} er registrert.");
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
