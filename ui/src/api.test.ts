import { describe, expect, it } from "vitest";
import { isCommandError, toCommandError } from "./api";

describe("errors from the back end", () => {
  it("recognises the {kind, message} shape by its kind", () => {
    expect(isCommandError({ kind: "not_found", message: "no case" })).toBe(true);
    expect(isCommandError({ kind: "teapot", message: "x" })).toBe(false);
    expect(isCommandError("validation")).toBe(false);
    expect(isCommandError(null)).toBe(false);
  });

  it("turns anything else into an internal error, keeping its text", () => {
    expect(toCommandError("command list_cases not found")).toEqual({
      kind: "internal",
      message: "command list_cases not found",
    });
    expect(toCommandError(new Error("boom")).message).toBe("boom");
    const e = { kind: "validation", message: "invalid case: title: must not be empty", field: "title" };
    expect(toCommandError(e)).toBe(e);
  });
});
