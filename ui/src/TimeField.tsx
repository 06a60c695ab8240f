import { useEffect, useState } from "preact/hooks";
import type { Backend } from "./api";
import type { LocalTime } from "./bindings/LocalTime";
import type { Translate } from "./i18n";

const OSLO_PARTS = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/Oslo",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** An instant as people type it here: `dd.mm.yyyy hh:mm`, in Oslo time. */
export function toOsloText(utc: string): string {
  const p = Object.fromEntries(OSLO_PARTS.formatToParts(new Date(utc)).map((x) => [x.type, x.value]));
  return `${p.day}.${p.month}.${p.year} ${p.hour}:${p.minute}`;
}

/** `dd.mm.yyyy hh:mm` (also with `-`, `/` or `.` between hours and minutes) as `yyyy-mm-ddThh:mm`. */
export function parseOsloText(text: string): string | null {
  const m = /^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s+(\d{1,2})[:.](\d{2})\s*$/.exec(text);
  if (!m) return null;
  const [, d, mo, y, h, mi] = m;
  const pad = (s: string | undefined) => (s ?? "").padStart(2, "0");
  return `${y}-${pad(mo)}-${pad(d)}T${pad(h)}:${mi}`;
}

/**
 * A time typed in Oslo time. The core says what it means: one instant, two (the
 * repeated autumn hour: the user chooses) or none (the skipped spring hour).
 */
export function TimeField({
  id,
  label,
  help,
  value,
  error,
  onChange,
  backend,
  t,
}: {
  id: string;
  label: string;
  /** What the time means, said before the format. */
  help?: string;
  value: string | undefined;
  error?: string;
  onChange: (utc: string | undefined) => void;
  backend: Backend;
  t: Translate;
}) {
  const [text, setText] = useState(value ? toOsloText(value) : "");
  const [resolved, setResolved] = useState<LocalTime | null>(null);
  const [formatError, setFormatError] = useState(false);

  useEffect(() => {
    // A value set from outside (the «now» button, a loaded draft) replaces the text.
    if (value && parseOsloText(text) !== parseOsloText(toOsloText(value)) && resolved?.kind !== "ambiguous") {
      setText(toOsloText(value));
    }
  }, [value]);

  const update = async (next: string) => {
    setText(next);
    setFormatError(false);
    setResolved(null);
    if (!next.trim()) return onChange(undefined);
    const local = parseOsloText(next);
    if (!local) return;
    try {
      const r = await backend.resolveLocalTime(local);
      setResolved(r);
      if (r.kind === "exact") onChange(r.utc);
    } catch {
      setFormatError(true);
    }
  };

  const localError =
    resolved?.kind === "skipped"
      ? t("time.skipped", { time: text.trim() })
      : formatError
        ? t("time.invalid")
        : undefined;
  const message = error ?? localError;
  const describedBy = [`${id}-help`, message && `${id}-error`].filter(Boolean).join(" ");

  return (
    <div class={`field time-field ${message ? "has-error" : ""}`}>
      <label for={id}>{label}</label>
      <small id={`${id}-help`}>
        {help && <>{help} </>}
        {t("time.format")}
      </small>
      <div class="time-row">
        <input
          id={id}
          type="text"
          inputMode="numeric"
          autoComplete="off"
          placeholder="20.11.2026 09:15"
          value={text}
          aria-invalid={message ? "true" : "false"}
          aria-describedby={describedBy}
          onInput={(e) => void update((e.currentTarget as HTMLInputElement).value)}
          onBlur={() => setFormatError(Boolean(text.trim()) && !parseOsloText(text))}
        />
        <button
          type="button"
          class="secondary"
          onClick={() => {
            const now = new Date();
            now.setSeconds(0, 0);
            setResolved(null);
            setFormatError(false);
            setText(toOsloText(now.toISOString()));
            onChange(now.toISOString());
          }}
        >
          {t("time.now")}
        </button>
      </div>
      {resolved?.kind === "ambiguous" && (
        <fieldset class="ambiguous">
          <legend>{t("time.ambiguous", { time: text.trim() })}</legend>
          {(["earlier", "later"] as const).map((which) => (
            <label key={which} class="choice">
              <input
                type="radio"
                name={`${id}-ambiguous`}
                checked={value === resolved[which]}
                onChange={() => onChange(resolved[which])}
              />
              {t(which === "earlier" ? "time.earlier" : "time.later")}
            </label>
          ))}
        </fieldset>
      )}
      {message && (
        <p id={`${id}-error`} class="field-error" role="alert">
          {message}
        </p>
      )}
    </div>
  );
}
