// The case's documents and its history: the internal report and the letter to the
// people affected, saved through the save dialog, and every event on the case, each
// export included, with who did it and when.
import { useEffect, useState } from "preact/hooks";
import type { Backend } from "./api";
import { toCommandError } from "./api";
import type { CaseEvent } from "./bindings/CaseEvent";
import type { CommandError } from "./bindings/CommandError";
import type { DocumentKind } from "./bindings/DocumentKind";
import type { Handling } from "./bindings/Handling";
import { ErrorNotice } from "./ErrorNotice";
import { type Lang, type MessageKey, type Translate, formatInstant, hasKey } from "./i18n";

/** The report and the letter as PDF (handlers and the DPO). */
export function DocumentsSection({
  caseKey,
  backend,
  lang,
  t,
  onExported,
}: {
  caseKey: string;
  backend: Backend;
  lang: Lang;
  t: Translate;
  /** After a save: the history has a new event. */
  onExported: () => void;
}) {
  // Where the PDF was saved (the sentence is drawn in the current language).
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const [busy, setBusy] = useState<DocumentKind | null>(null);
  const save = async (document: DocumentKind) => {
    setSaved(null);
    setError(null);
    setBusy(document);
    try {
      const path = await backend.exportDocument(document, caseKey, null, lang);
      if (path) {
        setSaved(path);
        onExported();
      }
    } catch (e) {
      setError(toCommandError(e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <section class="documents" aria-labelledby="documents-heading">
      <h4 id="documents-heading">{t("documents.heading")}</h4>
      <p class="help">{t("documents.help")}</p>
      {error && <ErrorNotice error={error} t={t} onDismiss={() => setError(null)} />}
      <div class="actions">
        <button type="button" class="secondary" id="export-report" disabled={busy !== null} onClick={() => void save("report")}>
          {t("documents.report")}
        </button>
        <button type="button" class="secondary" id="export-letter" disabled={busy !== null} onClick={() => void save("letter")}>
          {t("documents.letter")}
        </button>
      </div>
      {saved && (
        <p class="saved" role="status" id="documents-saved">
          {t("filings.pdfSaved", { path: saved })}
        </p>
      )}
    </section>
  );
}

/** What an event is, in words; the kind itself when the catalogue has none. */
function eventText(e: CaseEvent, t: Translate): string {
  const key = `pdf.report.event.${e.kind}`;
  const what = hasKey(key) ? t(key) : e.kind;
  if (e.kind === "exported") {
    const doc = `documents.kind.${String(e.data.document)}`;
    return hasKey(doc) ? `${what}: ${t(doc as MessageKey)}` : what;
  }
  return what;
}

/**
 * Every event on the case, oldest first. Reloaded whenever the handling changes (a
 * change always adds an event) or `version` moves (an export).
 */
export function HistorySection({
  caseKey,
  backend,
  handling,
  version,
  lang,
  t,
}: {
  caseKey: string;
  backend: Backend;
  handling: Handling;
  version: number;
  lang: Lang;
  t: Translate;
}) {
  const [events, setEvents] = useState<CaseEvent[] | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  useEffect(() => {
    let live = true;
    backend.caseHistory(caseKey).then(
      (list) => live && setEvents(list),
      (e) => live && setError(toCommandError(e)),
    );
    return () => {
      live = false;
    };
  }, [caseKey, backend, handling, version]);
  return (
    <section class="history" aria-labelledby="history-heading">
      {/* Folded away: the report and the handling come first; the history is there to check. */}
      <details id="history-details">
        <summary id="history-toggle">
          <h4 id="history-heading">{t("history.heading")}</h4>
        </summary>
        <p class="help">{t("history.help")}</p>
        {error && <ErrorNotice error={error} t={t} />}
        {events && (
          <table id="case-history">
            <thead>
              <tr>
                <th scope="col">{t("history.when")}</th>
                <th scope="col">{t("history.who")}</th>
                <th scope="col">{t("history.what")}</th>
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={e.seq} data-kind={e.kind}>
                  <td>
                    <time dateTime={e.at}>{formatInstant(e.at, lang)}</time>
                  </td>
                  <td>{actorName(e.actor, t)}</td>
                  <td>
                    {eventText(e, t)}
                    {Object.keys(e.data).length > 0 && (
                      <details>
                        <summary>{t("history.details")}</summary>
                        <pre>{JSON.stringify(e.data, null, 2)}</pre>
                        <p class="chain">
                          {t("history.link")} <code>{e.hash}</code>
                        </p>
                      </details>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </details>
    </section>
  );
}

/** Who an event names: a user name, or one of the history's own actors in words. */
function actorName(actor: string, t: Translate): string {
  switch (actor) {
    case "reporter":
    case "anonymous":
    case "avvik":
      return t(`history.actor.${actor}`);
    default:
      return actor;
  }
}
