import type { ComponentChildren } from "preact";

export interface Choice<T extends string> {
  value: T;
  label: string;
  help?: string;
  badge?: string;
}

/**
 * A group of radio buttons or checkboxes in a fieldset with a legend, each choice
 * with its own short help text. The group's error is tied to it and to each choice with
 * aria-describedby.
 */
export function Choices<T extends string>({
  id,
  legend,
  help,
  choices,
  selected,
  multiple = false,
  error,
  onChange,
  children,
}: {
  id: string;
  legend: string;
  help?: string;
  choices: readonly Choice<T>[];
  selected: readonly T[];
  multiple?: boolean;
  error?: string;
  onChange: (selected: T[]) => void;
  children?: ComponentChildren;
}) {
  const describedBy = [help && `${id}-help`, error && `${id}-error`].filter(Boolean).join(" ");
  const toggle = (value: T, checked: boolean) => {
    if (!multiple) return onChange([value]);
    onChange(checked ? [...selected.filter((v) => v !== value), value] : selected.filter((v) => v !== value));
  };
  return (
    <fieldset
      id={id}
      class={`choices ${error ? "has-error" : ""}`}
      aria-describedby={describedBy || undefined}
      aria-invalid={error ? "true" : undefined}
    >
      <legend>{legend}</legend>
      {help && (
        <p id={`${id}-help`} class="help">
          {help}
        </p>
      )}
      <div class="choice-list">
        {choices.map((c) => {
          const inputId = `${id}-${c.value.replace(/[^\p{L}\p{N}_-]+/gu, "-")}`;
          return (
            <label key={c.value} class="choice" for={inputId}>
              <input
                id={inputId}
                type={multiple ? "checkbox" : "radio"}
                name={id}
                value={c.value}
                checked={selected.includes(c.value)}
                // The group's error too: a screen reader on one choice hears what is wrong with the answer.
                aria-describedby={[error && `${id}-error`, c.help && `${inputId}-help`].filter(Boolean).join(" ") || undefined}
                onChange={(e) => toggle(c.value, (e.currentTarget as HTMLInputElement).checked)}
              />
              <span class="choice-text">
                <span class="choice-label">
                  {c.label}
                  {c.badge && <span class="badge">{c.badge}</span>}
                </span>
                {c.help && (
                  <small id={`${inputId}-help`} class="help">
                    {c.help}
                  </small>
                )}
              </span>
            </label>
          );
        })}
      </div>
      {children}
      {error && (
        <p id={`${id}-error`} class="field-error" role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
}
