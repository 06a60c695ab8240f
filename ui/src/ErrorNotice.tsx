import { useState } from "preact/hooks";
import type { CommandError } from "./bindings/CommandError";
import { type Translate, errorKey, fieldKey, problemKey } from "./i18n";

/** Field errors in words, keyed by field path. */
export type FieldErrors = Record<string, string>;

/** The field errors of a validation error, each in words («Begrunnelse må fylles ut.»). */
export function fieldErrors(e: CommandError, t: Translate): FieldErrors {
  const out: FieldErrors = {};
  for (const fe of e.errors ?? []) out[fe.field] ??= t(problemKey(fe.problem), { field: t(fieldKey(fe.field)) });
  return out;
}

/**
 * A form's field errors from its last validation error. The error is kept, not its words,
 * so a switch of language redraws them; any other error (or none) clears them. Given the
 * form's `input`, a field's error goes as soon as its value differs from the one that
 * was refused (the field is found by the error's path, without or with the form's
 * prefix: `assessment.departure_reason` → `departure_reason`).
 */
export function useFieldErrors(t: Translate, input?: unknown): [FieldErrors, (e: CommandError | null) => void] {
  const [failed, setFailed] = useState<{ error: CommandError; refused: unknown } | null>(null);
  const errors = failed ? fieldErrors(failed.error, t) : {};
  if (failed && input !== undefined) {
    for (const field of Object.keys(errors)) {
      const then = valueAt(failed.refused, field);
      const now = valueAt(input, field);
      if ((then.found || now.found) && JSON.stringify(then.value) !== JSON.stringify(now.value)) delete errors[field];
    }
  }
  return [errors, (e) => setFailed(e?.kind === "validation" ? { error: e, refused: input } : null)];
}

/** The value at an error's field path in a form's input, without or with its first part. */
function valueAt(input: unknown, field: string): { found: boolean; value?: unknown } {
  const parts = field.split(/[.[\]]+/).filter(Boolean);
  for (const path of [parts.slice(1), parts]) {
    if (path.length === 0) continue;
    let value: unknown = input;
    let found = true;
    for (const p of path) {
      if (value !== null && typeof value === "object" && p in (value as Record<string, unknown>)) {
        value = (value as Record<string, unknown>)[p];
      } else {
        found = false;
        break;
      }
    }
    if (found) return { found, value };
  }
  return { found: false };
}

/**
 * An error in words for people (chosen by `kind`, or `text` where the screen knows
 * better what that kind means there), with the technical message folded away.
 */
export function ErrorNotice({
  error,
  t,
  text,
  onDismiss,
}: {
  error: CommandError;
  t: Translate;
  text?: string;
  onDismiss?: () => void;
}) {
  return (
    <div class={`notice notice-error kind-${error.kind}`} role="alert" data-kind={error.kind}>
      <p>{text ?? t(errorKey(error.kind))}</p>
      <details>
        <summary>{t("error.details")}</summary>
        <code>{error.message}</code>
      </details>
      {onDismiss && (
        <button type="button" class="link" onClick={onDismiss}>
          {t("common.close")}
        </button>
      )}
    </div>
  );
}
