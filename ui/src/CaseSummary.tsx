import { type ComponentChildren, Fragment } from "preact";
import type { CaseDocument } from "./bindings/CaseDocument";
import type { Count } from "./bindings/Count";
import { DATA_CLASS } from "./bindings/vocabulary";
import { type Lang, type MessageKey, type Translate, formatInstant, formatNumber, vocabKey } from "./i18n";

/**
 * Everything the form captured: step by step on the review page; on the case view, the
 * story first (`factsFirst`: what happened, when, the systems, the data and the people
 * affected, then the rest), so whoever handles it reads the report before anything else.
 */
export function CaseSummary({
  doc,
  t,
  lang,
  onEdit,
  factsFirst = false,
}: {
  doc: CaseDocument;
  t: Translate;
  lang: Lang;
  onEdit?: (step: number) => void;
  factsFirst?: boolean;
}) {
  const none = <span class="muted">{t("common.notGiven")}</span>;
  const list = (prefix: string, values: readonly string[] | undefined) =>
    values && values.length > 0 ? values.map((v) => t(vocabKey(prefix, v))).join(", ") : none;
  const one = (prefix: string, value: string | undefined) => (value ? t(vocabKey(prefix, value)) : none);
  const text = (value: string | undefined) => (value ? <span class="description">{value}</span> : none);
  const time = (value: string | undefined) => (value ? formatInstant(value, lang) : none);
  const count = (c: Count | undefined) =>
    !c
      ? none
      : c.kind === "unknown"
        ? t("count_kind.unknown")
        : `${t(vocabKey("count_kind", c.kind))} ${formatNumber(c.value ?? 0, lang)}`;
  const flagged = (doc.data_categories ?? []).filter((c) => DATA_CLASS[c] !== "ordinary");
  const occurred = doc.occurred;

  const section = (step: number, rows: [MessageKey, ComponentChildren][]) => (
    <section class="summary-section" aria-labelledby={`summary-${step}`}>
      <div class="section-head">
        <h3 id={`summary-${step}`}>
          {factsFirst ? "" : `${step}. `}
          {t(`wizard.step.${step}` as MessageKey)}
        </h3>
        {onEdit && (
          <button type="button" class="link" aria-describedby={`summary-${step}`} onClick={() => onEdit(step)}>
            {t("wizard.edit")}
          </button>
        )}
      </div>
      <dl>
        {rows.map(([label, value]) => (
          <Fragment key={label}>
            <dt>{t(label)}</dt>
            <dd>{value}</dd>
          </Fragment>
        ))}
      </dl>
    </section>
  );

  const steps: Record<number, ComponentChildren> = {
    1: section(1, [
        ["q.personal_data", one("personal_data", doc.personal_data)],
        ...(doc.personal_data === "no"
          ? ([["q.not_personal_data_reason", text(doc.not_personal_data_reason)]] as [MessageKey, ComponentChildren][])
          : []),
      ]),
    2: section(2, [["q.systems", doc.systems && doc.systems.length > 0 ? doc.systems.join(", ") : none]]),
    3: section(3, [
        ["q.nature", list("nature", doc.nature)],
        ["q.incident_type", one("incident_type", doc.incident_type)],
        ["q.cause", one("cause", doc.cause)],
      ]),
    4:
      doc.personal_data !== "no" &&
      section(4, [
          [
            "q.data_categories",
            <>
              {list("data_category", doc.data_categories)}
              {flagged.map((c) => (
                <span key={c} class={`badge badge-${DATA_CLASS[c]}`}>
                  {t(`data.class.${DATA_CLASS[c]}` as MessageKey)}
                </span>
              ))}
            </>,
          ],
          ["q.data_subjects", list("data_subject", doc.data_subjects)],
          ["q.subjects_count", count(doc.subjects_count)],
          ["q.records_count", count(doc.records_count)],
        ]),
    5: section(5, [
        [
          "q.occurred",
          !occurred ? (
            none
          ) : (
            <>
              {t(vocabKey("occurred_kind", occurred.kind))}
              {occurred.from && `: ${formatInstant(occurred.from, lang)}`}
              {occurred.to && ` – ${formatInstant(occurred.to, lang)}`}
              {occurred.estimated && ` (${t("common.estimated")})`}
            </>
          ),
        ],
        ["q.discovered_at", time(doc.discovered_at)],
        ["q.discovered_by", one("discovered_by", doc.discovered_by)],
        ...(doc.learned_at ? [["q.learned_at", time(doc.learned_at)] as ["q.learned_at", ReturnType<typeof time>]] : []),
        ["q.data_location", text(doc.data_location)],
      ]),
    6: section(6, [
        ["q.title", text(doc.title)],
        ["q.description", text(doc.description)],
        ["q.immediate_actions", text(doc.immediate_actions)],
        ["q.suggested_measures", text(doc.suggested_measures)],
        [
          "q.reporter",
          doc.anonymous
            ? t("review.anonymous")
            : doc.reporter?.name
              ? [doc.reporter.name, doc.reporter.contact].filter(Boolean).join(", ")
              : none,
        ],
      ]),
  };
  const order = factsFirst ? [6, 5, 2, 4, 3, 1] : [1, 2, 3, 4, 5, 6];
  return (
    <div class="summary">
      {order.map((step) => (
        <Fragment key={step}>{steps[step]}</Fragment>
      ))}
    </div>
  );
}
