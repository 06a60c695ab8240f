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
 * so a switch of language redraws them; any other error (or none) clears them.
 */
export function useFieldErrors(t: Translate): [FieldErrors, (e: CommandError | null) => void] {
  const [failed, setFailed] = useState<CommandError | null>(null);
  return [failed ? fieldErrors(failed, t) : {}, (e) => setFailed(e?.kind === "validation" ? e : null)];
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
