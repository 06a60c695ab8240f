import { describe, expect, it } from "vitest";
import { parseOsloText, toOsloText } from "./TimeField";

describe("typed times", () => {
  it("reads dd.mm.yyyy hh:mm as a local time for the core to resolve", () => {
    expect(parseOsloText("20.11.2026 09:15")).toBe("2026-11-20T09:15");
    expect(parseOsloText(" 1.3.2026 7.05 ")).toBe("2026-03-01T07:05");
    expect(parseOsloText("2026-11-20 09:15")).toBeNull();
    expect(parseOsloText("i går")).toBeNull();
  });

  it("shows a stored instant in Oslo time", () => {
    expect(toOsloText("2026-11-20T08:15:00Z")).toBe("20.11.2026 09:15");
    expect(toOsloText("2026-07-01T22:30:00Z")).toBe("02.07.2026 00:30");
  });
});
