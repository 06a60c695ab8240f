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

/** An error in words for people (chosen by `kind`), with the technical message folded away. */
export function ErrorNotice({
  error,
  t,
  onDismiss,
}: {
  error: CommandError;
  t: Translate;
  onDismiss?: () => void;
}) {
  return (
    <div class={`notice notice-error kind-${error.kind}`} role="alert" data-kind={error.kind}>
      <p>{t(errorKey(error.kind))}</p>
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
