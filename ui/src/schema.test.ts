// The documented JSON format: every example under docs/examples/ must satisfy the
// schema that is generated from the Rust types (the Rust side checks the same
// examples against the core's own rules).
import Ajv2020 from "ajv/dist/2020";
import { describe, expect, it } from "vitest";
import schema from "../../docs/case.schema.json";

const examples = import.meta.glob<unknown>("../../docs/examples/*.json", {
  eager: true,
  import: "default",
});
const validate = new Ajv2020({ allErrors: true }).compile(schema);

describe("docs/case.schema.json", () => {
  const files = Object.keys(examples);

  it("has examples to check", () => expect(files.length).toBeGreaterThanOrEqual(2));

  it.each(files)("accepts %s", (file) => {
    expect(validate(examples[file]), JSON.stringify(validate.errors)).toBe(true);
  });

  it("refuses what the core refuses", () => {
    expect(validate({})).toBe(false);
    expect(validate({ title: "" })).toBe(false);
    expect(validate({ title: "   " })).toBe(false);
    expect(validate({ title: "x".repeat(201) })).toBe(false);
    expect(validate({ title: "æ".repeat(200) })).toBe(true);
    expect(validate({ title: "T", tittel: "typo" })).toBe(false);
  });
});
