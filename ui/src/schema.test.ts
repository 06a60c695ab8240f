// The documented JSON format: every example under docs/examples/ must satisfy the
// schema that is generated from the Rust types (the Rust side checks the same
// examples against the core's own rules).
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import schema from "../../docs/case.schema.json";

const examples = import.meta.glob<unknown>("../../docs/examples/*.json", {
  eager: true,
  import: "default",
});
const ajv = new Ajv2020({ allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);

describe("docs/case.schema.json", () => {
  const files = Object.keys(examples);

  it("has examples to check", () => expect(files.length).toBeGreaterThanOrEqual(2));

  it.each(files)("accepts %s", (file) => {
    expect(validate(examples[file]), JSON.stringify(validate.errors)).toBe(true);
  });

  it("refuses what the core refuses in a document's shape", () => {
    expect(validate({})).toBe(true);
    expect(validate({ title: "x".repeat(201) })).toBe(false);
    expect(validate({ title: "æ".repeat(200) })).toBe(true);
    expect(validate({ title: "T", tittel: "typo" })).toBe(false);
    expect(validate({ incident_type: "alien_abduction" })).toBe(false);
    expect(validate({ subjects_count: { kind: "exact", value: 1.5 } })).toBe(false);
    expect(validate({ occurred: { kind: "at", til: "2026-01-01T00:00:00Z" } })).toBe(false);
    expect(validate({ discovered_at: "20.11.2026 09:15" })).toBe(false);
    expect(validate({ discovered_at: "2026-11-20T09:15:00+01:00" })).toBe(true);
  });
});
