import { type Lang, type Translate, formatNumber } from "./i18n";
import { charCount } from "./limits";

/**
 * One labelled text field with its help text, a character counter and its error,
 * all tied to the input through `aria-describedby`, so a screen reader announces them.
 */
export function TextField({
  id,
  label,
  help,
  value,
  max,
  error,
  required = false,
  multiline = false,
  counter = true,
  onInput,
  lang,
  t,
}: {
  id: string;
  label: string;
  help: string;
  value: string;
  max: number;
  error?: string;
  required?: boolean;
  multiline?: boolean;
  /** The «12 av 200 tegn» line: for texts, not for short lines such as a number. */
  counter?: boolean;
  onInput: (value: string) => void;
  lang: Lang;
  t: Translate;
}) {
  const describedBy = [`${id}-help`, counter && `${id}-count`, error && `${id}-error`].filter(Boolean).join(" ");
  const common = {
    id,
    value,
    required,
    "aria-required": required ? ("true" as const) : undefined,
    "aria-invalid": error ? ("true" as const) : ("false" as const),
    "aria-describedby": describedBy,
    onInput: (e: Event) => onInput((e.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class={`field ${error ? "has-error" : ""}`}>
      <label for={id}>
        {label} {required && <span class="req">({t("form.required")})</span>}
      </label>
      <small id={`${id}-help`}>{help}</small>
      {multiline ? <textarea rows={8} {...common} /> : <input type="text" {...common} />}
      {counter && (
        <small id={`${id}-count`} class="counter">
          {t("form.chars", { used: formatNumber(charCount(value), lang), max: formatNumber(max, lang) })}
        </small>
      )}
      {error && (
        <p id={`${id}-error`} class="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * One labelled single-line input without a counter (names, addresses, passwords), with
 * its help and its error tied to it through `aria-describedby`.
 */
export function Input({
  id,
  label,
  value,
  error,
  type = "text",
  help,
  autoComplete,
  onInput,
}: {
  id: string;
  label: string;
  value: string;
  error?: string;
  type?: string;
  help?: string;
  autoComplete?: string;
  onInput: (v: string) => void;
}) {
  const describedBy = [help && `${id}-help`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  return (
    <div class={`field ${error ? "has-error" : ""}`}>
      <label for={id}>{label}</label>
      {help && <small id={`${id}-help`}>{help}</small>}
      <input
        id={id}
        type={type}
        autoComplete={autoComplete}
        value={value}
        aria-invalid={error ? "true" : "false"}
        aria-describedby={describedBy}
        onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)}
      />
      {error && (
        <p id={`${id}-error`} class="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** A password or passphrase field: an `Input` that hides what is typed. */
export function PasswordField(props: Omit<Parameters<typeof Input>[0], "type"> & { autoComplete: string }) {
  return <Input {...props} type="password" />;
}


/**
 * A checkbox with its label and an optional help line (`{id}-help`), or a description
 * given elsewhere on the screen (`describedBy`).
 */
export function CheckChoice({
  id,
  checked,
  onChange,
  label,
  help,
  describedBy,
}: {
  id: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  label: string;
  help?: string;
  describedBy?: string;
}) {
  return (
    <label class="choice" for={id}>
      <input
        id={id}
        type="checkbox"
        checked={checked}
        aria-describedby={help ? `${id}-help` : describedBy}
        onChange={(e) => onChange((e.currentTarget as HTMLInputElement).checked)}
      />
      <span class="choice-text">
        <span class="choice-label">{label}</span>
        {help && (
          <small id={`${id}-help`} class="help">
            {help}
          </small>
        )}
      </span>
    </label>
  );
}
