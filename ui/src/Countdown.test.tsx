import { cleanup, render, screen } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import type { Clock } from "./bindings/Clock";
import { Countdown, formatDuration } from "./Countdown";
import { translator } from "./i18n";

const t = translator("nb");
const clock: Clock = {
  regime: "gdpr-33-1",
  hours: 72,
  aware_at: "2026-11-20T10:40:00Z",
  deadline_at: "2026-11-23T10:40:00Z",
  deadline_local: "2026-11-23T11:40:00+01:00",
  seconds_left: 0,
  state: "running",
    follow_up_due: false,
};

afterEach(cleanup);

describe("the countdown", () => {
  it("formats days, hours, minutes and seconds", () => {
    expect(formatDuration(2 * 86400 + 3 * 3600 + 4 * 60 + 5, t)).toBe("2 d 03 t 04 min 05 s");
    expect(formatDuration(3 * 3600 + 5, t)).toBe("3 t 00 min 05 s");
    expect(formatDuration(-65, t)).toBe("0 t 01 min 05 s");
    // Lists leave out the seconds.
    expect(formatDuration(2 * 86400 + 3 * 3600 + 4 * 60 + 5, t, true)).toBe("2 d 03 t 04 min");
  });

  it("counts down to the deadline and turns overdue when it passes", () => {
    const before = new Date("2026-11-23T09:39:55Z").getTime();
    render(<Countdown clock={clock} lang="nb" t={t} now={before} />);
    expect(screen.getByText("1 t 00 min 05 s igjen")).toBeTruthy();
    cleanup();
    const after = new Date("2026-11-23T10:41:00Z").getTime();
    render(<Countdown clock={clock} lang="nb" t={t} now={after} />);
    expect(screen.getByText("Fristen er passert")).toBeTruthy();
    expect(screen.getByText("Fristen gikk ut for 0 t 01 min 00 s siden")).toBeTruthy();
  });
});
