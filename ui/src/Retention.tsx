import { useCallback, useEffect, useState } from "preact/hooks";
import { type Backend, toCommandError } from "./api";
import type { CommandError } from "./bindings/CommandError";
import type { RetentionStatus } from "./bindings/RetentionStatus";
import { ErrorNotice } from "./ErrorNotice";
import { type Lang, type Translate, formatInstant, formatNumber, countText } from "./i18n";

/**
 * Retention: the closed cases kept for the organisation's period, and anonymising them
 * after the admin has seen the list and confirmed. The period itself is set with the
 * organisation (`months` is the saved one, so the list follows a saved change).
 */
export function RetentionSection({
  backend,
  lang,
  t,
  months,
}: {
  backend: Backend;
  lang: Lang;
  t: Translate;
  months: number | undefined;
}) {
  const [status, setStatus] = useState<RetentionStatus | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      setStatus(await backend.retentionStatus());
    } catch (e) {
      setError(toCommandError(e));
    }
  }, [backend]);
  useEffect(() => void reload(), [reload, months]);

  const anonymise = async () => {
    if (!status) return;
    setBusy(true);
    setError(null);
    try {
      const made = await backend.anonymiseCases(status.candidates.map((c) => c.id));
      setDone(countText(lang, "retention.done", made.length));
      setConfirming(false);
      await reload();
    } catch (e) {
      setError(toCommandError(e));
    } finally {
      setBusy(false);
    }
  };

  const due = status?.candidates ?? [];
  return (
    <section class="storage-part" aria-labelledby="retention-heading">
      <h3 id="retention-heading">{t("retention.heading")}</h3>
      <p class="help">{t("retention.help")}</p>
      {error && <ErrorNotice error={error} t={t} onDismiss={() => setError(null)} />}
      {status && status.months == null && <p id="retention-off">{t("retention.off")}</p>}
      {status && status.months != null && (
        <>
          <p id="retention-period">{t("retention.period", { months: formatNumber(status.months, lang) })}</p>
          {due.length === 0 ? (
            <p class="muted" id="retention-none">
              {t("retention.none")}
            </p>
          ) : (
            <>
              <table class="register-table" id="retention-due">
                <caption>{countText(lang, "retention.due", due.length)}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("retention.reference")}</th>
                    <th scope="col">{t("retention.closedAt")}</th>
                  </tr>
                </thead>
                <tbody>
                  {due.map((c) => (
                    <tr key={c.id}>
                      <td>{c.reference}</td>
                      <td>{formatInstant(c.closed_at, lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {!confirming ? (
                <button type="button" class="secondary" id="retention-start" onClick={() => setConfirming(true)}>
                  {countText(lang, "retention.anonymise", due.length)}
                </button>
              ) : (
                <div class="notice notice-warn" role="alertdialog" aria-labelledby="retention-confirm-text">
                  <p id="retention-confirm-text">{countText(lang, "retention.confirm", due.length)}</p>
                  <div class="actions">
                    <button type="button" class="danger" id="retention-confirm" disabled={busy} onClick={() => void anonymise()}>
                      {t("retention.confirmButton")}
                    </button>
                    <button type="button" class="secondary" onClick={() => setConfirming(false)}>
                      {t("retention.cancel")}
                    </button>
                  </div>
                </div>
              )}
            </>
          )}
        </>
      )}
      <p id="retention-status" class={done ? "notice notice-ok" : "sr-only"} role="status">
        {done ?? ""}
      </p>
    </section>
  );
}
