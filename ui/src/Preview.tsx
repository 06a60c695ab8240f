import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { Backend } from "./api";
import { toCommandError } from "./api";
import type { CommandError } from "./bindings/CommandError";
import type { DocumentKind } from "./bindings/DocumentKind";
import { ErrorNotice } from "./ErrorNotice";
import type { Lang, Translate } from "./i18n";

/**
 * A document shown in the window as its rendered pages (the same layout as the PDF),
 * with «Lagre som PDF» beside it. Previewing is not an export: nothing is recorded
 * until the document is saved.
 */
export function DocumentPreview({
  backend,
  document,
  caseKey,
  filing,
  lang,
  t,
  onSave,
  onClose,
}: {
  backend: Backend;
  document: DocumentKind;
  caseKey: string;
  filing: number | null;
  lang: Lang;
  t: Translate;
  onSave: () => void;
  onClose: () => void;
}) {
  const [pages, setPages] = useState<string[] | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useLayoutEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    let live = true;
    setPages(null);
    backend.previewDocument(document, caseKey, filing, lang).then(
      (p) => live && setPages(p),
      (e) => live && setError(toCommandError(e)),
    );
    return () => {
      live = false;
    };
  }, [backend, document, caseKey, filing, lang]);
  return (
    <section class="document-preview" id="document-preview" aria-labelledby="preview-heading">
      <div class="section-head">
        <h5 id="preview-heading" tabIndex={-1} ref={heading}>
          {t("preview.heading")}
        </h5>
        <div class="actions">
          <button type="button" id="preview-save" onClick={onSave}>
            {t("preview.save")}
          </button>
          <button type="button" class="secondary" id="preview-close" onClick={onClose}>
            {t("preview.close")}
          </button>
        </div>
      </div>
      {error && <ErrorNotice error={error} t={t} />}
      {!pages && !error && (
        <p class="muted" aria-busy="true">
          {t("preview.loading")}
        </p>
      )}
      {pages && (
        // A scrolling region of its own: reachable with the keyboard (arrow keys scroll it).
        <div class="preview-pages" tabIndex={0} role="region" aria-label={t("preview.heading")}>
          {pages.map((src, i) => (
            <img key={i} class="preview-page" src={src} alt={t("preview.page", { number: i + 1, total: pages.length })} />
          ))}
        </div>
      )}
    </section>
  );
}
