import type { InboxItem } from "./bindings/InboxItem";
import { type Lang, type Translate, formatInstant, statusKey, countText } from "./i18n";

/** The general manager's inbox: a notice for every submitted case, to acknowledge. */
export function Inbox({
  items,
  onOpen,
  onAcknowledge,
  lang,
  t,
}: {
  items: InboxItem[];
  onOpen: (caseId: string) => void;
  onAcknowledge: (id: string) => void;
  lang: Lang;
  t: Translate;
}) {
  return (
    <section class="card" aria-labelledby="inbox-heading">
      <h2 id="inbox-heading">{t("inbox.heading")}</h2>
      <p class="muted">{t("inbox.intro")}</p>
      {items.length === 0 ? (
        <p class="muted" id="inbox-empty">
          {t("inbox.empty")}
        </p>
      ) : (
        <table class="register-table" id="inbox">
          <thead>
            <tr>
              <th scope="col">{t("inbox.col.reference")}</th>
              <th scope="col">{t("inbox.col.title")}</th>
              <th scope="col">{t("inbox.col.submitted")}</th>
              <th scope="col">{t("inbox.col.status")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((n) => (
              <tr key={n.id} data-id={n.id} class={n.acknowledged_at ? "" : "unread"}>
                <td>
                  <button type="button" class="link reference" onClick={() => onOpen(n.case_id)}>
                    {n.reference}
                  </button>
                </td>
                <td class="title-cell">
                  {n.title}{" "}
                  {n.status !== "reported" && <span class={`status status-${n.status}`}>{t(statusKey(n.status))}</span>}
                  {n.overdue_measures > 0 && (
                    <span class="badge warn overdue-count">{countText(lang, "inbox.overdue", n.overdue_measures)}</span>
                  )}
                </td>
                <td class="date">{formatInstant(n.submitted_at, lang)}</td>
                <td>
                  {n.acknowledged_at ? (
                    t("inbox.acknowledged", { time: formatInstant(n.acknowledged_at, lang) })
                  ) : (
                    <>
                      <span class="status status-draft">{t("inbox.new")}</span>{" "}
                      <button type="button" class="secondary ack" onClick={() => onAcknowledge(n.id)}>
                        {t("inbox.ack")}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
