import type { CommandError } from "./bindings/CommandError";
import { type Translate, errorKey } from "./i18n";

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
