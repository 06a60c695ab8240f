import { useEffect, useRef } from "preact/hooks";
import type { Case } from "./bindings/Case";
import { type Lang, type Translate, formatInstant, statusKey, statusNextKey } from "./i18n";

export function CaseDetail({
  case: c,
  lang,
  t,
  onClose,
}: {
  case: Case;
  lang: Lang;
  t: Translate;
  onClose: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [c.id]);

  return (
    <section class="card detail" aria-labelledby="detail-heading">
      <div class="section-head">
        <h2 id="detail-heading" tabIndex={-1} ref={heading}>
          {t("detail.heading", { reference: c.reference })}
        </h2>
        <button type="button" class="secondary" onClick={onClose}>
          {t("detail.close")}
        </button>
      </div>
      <h3 class="detail-title">{c.title}</h3>
      <p class="status-line">
        <span class={`status status-${c.status}`}>{t(statusKey(c.status))}</span>{" "}
        {t(statusNextKey(c.status))}
      </p>
      <dl>
        <dt>{t("detail.created")}</dt>
        <dd>
          <time dateTime={c.created_at}>{formatInstant(c.created_at, lang)}</time>
        </dd>
        <dt>{t("detail.updated")}</dt>
        <dd>
          <time dateTime={c.updated_at}>{formatInstant(c.updated_at, lang)}</time>
        </dd>
        <dt>{t("detail.id")}</dt>
        <dd>
          <code>{c.id}</code>
        </dd>
      </dl>
      <h4>{t("detail.description")}</h4>
      {c.description ? (
        <p class="description">{c.description}</p>
      ) : (
        <p class="muted">{t("detail.noDescription")}</p>
      )}
    </section>
  );
}
