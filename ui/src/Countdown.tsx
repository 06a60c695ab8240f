import { useEffect, useState } from "preact/hooks";
import type { Clock } from "./bindings/Clock";
import { type Lang, type MessageKey, type Translate, formatInstant } from "./i18n";

/** The clock still counts down: nothing filed, and filing not ruled out (as the core's `clock::is_counting`). */
function counting(clock: Clock): boolean {
  return clock.state === "running" || clock.state === "due_soon" || clock.state === "overdue";
}

/** Seconds as «2 d 03 t 04 min 05 s» (or the English units); `short` leaves out the seconds (lists). */
export function formatDuration(seconds: number, t: Translate, short = false): string {
  const s = Math.abs(Math.trunc(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const two = (n: number) => String(n).padStart(2, "0");
  return t(short ? "clock.durationShort" : "clock.duration", { d, h: d ? two(h) : h, m: two(m), s: two(sec) }).replace(
    /^0 \S+ /,
    "",
  );
}

/**
 * The live countdown to Datatilsynet's deadline. The core gives the deadline and the
 * state; the seconds tick here, once a second, against the deadline itself, so a
 * sleeping laptop shows the right time as soon as it wakes.
 */
export function Countdown({ clock, lang, t, now: fixedNow }: { clock: Clock; lang: Lang; t: Translate; now?: number }) {
  const [now, setNow] = useState(() => fixedNow ?? Date.now());
  useEffect(() => {
    if (fixedNow !== undefined) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [fixedNow]);
  const deadline = new Date(clock.deadline_at).getTime();
  const open = counting(clock);
  const left = Math.floor((deadline - now) / 1000);
  // The core's state, unless the ticking has just crossed the deadline.
  const state = open && left < 0 ? "overdue" : clock.state;
  return (
    <section class={`clock clock-${state}`} aria-labelledby="clock-heading" id="clock">
      <h3 id="clock-heading">{t("clock.heading")}</h3>
      <p class="clock-line">
        <span class={`badge clock-state`} id="clock-state">
          {t(`clock.state.${state}` as MessageKey)}
        </span>{" "}
        {open && (
          <strong id="clock-left" aria-live="off">
            {left >= 0
              ? t("clock.left", { time: formatDuration(left, t) })
              : t("clock.over", { time: formatDuration(left, t) })}
          </strong>
        )}
      </p>
      <p class="help">
        {t("clock.deadline", {
          deadline: formatInstant(clock.deadline_at, lang),
          aware: formatInstant(clock.aware_at, lang),
          hours: clock.hours,
        })}
      </p>
      {clock.follow_up_due && (
        <p class="notice notice-warn" id="clock-follow-up">
          {t("clock.followUpDueLong")}
        </p>
      )}
    </section>
  );
}

/**
 * The clock in a register row: time left (ticking) or the state once filed or not
 * required. Each cell ticks by itself, so the rest of the register (the search field
 * with what is being typed) is not redrawn every second.
 */
export function ClockCell({ clock, t }: { clock: Clock | null; t: Translate }) {
  const now = useNow();
  if (!clock) return null;
  const open = counting(clock);
  if (!open)
    return (
      <>
        <span class={`badge clock-badge clock-${clock.state}`}>{t(`clock.state.${clock.state}` as MessageKey)}</span>
        {clock.follow_up_due && <span class="badge clock-follow-up">{t("clock.followUpDue")}</span>}
      </>
    );
  const left = Math.floor((new Date(clock.deadline_at).getTime() - now) / 1000);
  const state = left < 0 ? "overdue" : clock.state;
  return (
    <span class={`clock-cell clock-${state}`}>
      {left >= 0
        ? t("clock.left", { time: formatDuration(left, t, true) })
        : t("clock.overShort", { time: formatDuration(left, t, true) })}
    </span>
  );
}

/** The current time, once a second, for every countdown on a page. */
export function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}
