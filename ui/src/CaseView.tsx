import { useLayoutEffect, useRef } from "preact/hooks";
import type { Backend } from "./api";
import { Attachments } from "./Attachments";
import type { Case } from "./bindings/Case";
import type { User } from "./bindings/User";
import { HandlingPanel } from "./Handling";
import { DrillBanner } from "./Wizard";
import { CaseSummary } from "./CaseSummary";
import { documentOf } from "./document";
import { type Lang, type Translate, formatInstant, statusKey, statusNextKey } from "./i18n";

/**
 * A submitted case: its state, the report (the facts first), then its handling with the
 * next step first and the history folded away.
 */
export function CaseView({
  case: c,
  backend,
  lang,
  t,
  onClose,
  user,
  onChanged,
  onCorrect,
}: {
  case: Case;
  user: User;
  onChanged: () => void;
  /** Opens the form to correct the facts (handlers, while the case is open). */
  onCorrect: () => void;
  backend: Backend;
  lang: Lang;
  t: Translate;
  onClose: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useLayoutEffect(() => heading.current?.focus(), [c.id]);

  return (
    <section class="card detail" aria-labelledby="detail-heading">
      <div class="section-head">
        <h2 id="detail-heading" tabIndex={-1} ref={heading}>
          {t("detail.heading", { reference: c.reference ?? t("register.draft") })}
        </h2>
        <div class="actions">
          {user.roles.includes("handler") && (c.status === "reported" || c.status === "handling") && (
            <button type="button" class="secondary" id="correct-case" onClick={onCorrect}>
              {t("detail.correct")}
            </button>
          )}
          <button type="button" class="secondary" id="case-back" onClick={onClose}>
            {t("detail.back")}
          </button>
        </div>
      </div>
      {c.drill && <DrillBanner t={t} />}
      {c.anonymised_at && (
        <p class="notice notice-warn" id="case-anonymised">
          {t("case.anonymised", { time: formatInstant(c.anonymised_at, lang) })}
        </p>
      )}
      <p class="status-line">
        <span class={`status status-${c.status}`}>{t(statusKey(c.status))}</span> {t(statusNextKey(c.status))}
      </p>
      <dl class="meta">
        <dt>{t("detail.created")}</dt>
        <dd>
          <time dateTime={c.created_at}>{formatInstant(c.created_at, lang)}</time>
        </dd>
        {c.submitted_at && (
          <>
            <dt>{t("detail.submitted")}</dt>
            <dd>
              <time dateTime={c.submitted_at}>{formatInstant(c.submitted_at, lang)}</time>
            </dd>
          </>
        )}
      </dl>
      {c.notices.length > 0 && (
        <section class="notices" aria-labelledby="notices-heading">
          <h3 id="notices-heading">{t("detail.notices")}</h3>
          <ul id="case-notices">
            {c.notices.map((n) => (
              <li key={`${n.recipient}-${n.created_at}`}>
                {t("detail.noticeSent", { recipient: n.recipient, time: formatInstant(n.created_at, lang) })},{" "}
                {n.acknowledged_at
                  ? t("detail.noticeAck", { time: formatInstant(n.acknowledged_at, lang) })
                  : t("detail.noticeOpen")}
                {n.mailed_at && <>; {t("detail.mailSent", { time: formatInstant(n.mailed_at, lang) })}</>}
                {n.mail_pending && (
                  <span class={n.mail_error ? "mail-failed" : undefined}>
                    ; {n.mail_error ? t("detail.mailFailed", { error: n.mail_error }) : t("detail.mailPending")}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {/* The report first: whoever handles it reads what happened before deciding anything. */}
      <section class="report-facts" aria-labelledby="report-heading" id="case-report">
        <h3 id="report-heading">{t("detail.report")}</h3>
        <CaseSummary doc={documentOf(c)} t={t} lang={lang} factsFirst />
        <Attachments caseKey={c.id} backend={backend} lang={lang} t={t} />
      </section>
      {c.status !== "draft" && (
        <HandlingPanel case={c} user={user} backend={backend} lang={lang} t={t} onChanged={onChanged} />
      )}
    </section>
  );
}
