import type { Case } from "./bindings/Case";
import type { CaseFilter } from "./bindings/CaseFilter";
import type { CaseSort } from "./bindings/CaseSort";
import type { CaseStatus } from "./bindings/CaseStatus";
import type { IncidentType } from "./bindings/IncidentType";
import type { System } from "./bindings/System";
import { INCIDENT_TYPES } from "./bindings/vocabulary";
import { ClockCell } from "./Countdown";
import { formatNumber, type Lang, type MessageKey, type Translate, formatInstant, statusKey, statusNextKey, vocabKey } from "./i18n";

const STATUSES: readonly CaseStatus[] = ["draft", "reported", "handling", "closed"];
const SORTS: readonly CaseSort[] = ["time_left", "newest_first", "oldest_first", "reference", "title", "status"];

export const EMPTY_FILTER: CaseFilter = { sort: "newest_first" };

/** The register: filters over the case list, each case one row. */
export function Register({
  cases,
  shownQuery,
  systems,
  filter,
  onFilter,
  onOpen,
  onExport,
  total,
  onMore,
  lang,
  t,
}: {
  cases: Case[] | null;
  /** The search the shown cases answer. */
  shownQuery: string;
  systems: System[];
  filter: CaseFilter;
  onFilter: (f: CaseFilter) => void;
  onOpen: (c: Case) => void;
  /** Exporting the register (handlers and the DPO; none for whoever may not). */
  onExport?: (format: "csv" | "json") => void;
  /** How many cases the filter selects in all; the table shows the first pages. */
  total: number;
  onMore: () => void;
  lang: Lang;
  t: Translate;
}) {
  const set = (patch: Partial<CaseFilter>) => onFilter({ ...filter, ...patch });
  const value = (e: Event) => (e.currentTarget as HTMLInputElement | HTMLSelectElement).value;
  const filtered =
    Boolean(filter.query?.trim()) ||
    Boolean(filter.status || filter.system || filter.incident_type || filter.created_from || filter.created_to);
  // An empty register (a new employee's, say) offers nothing to search or filter.
  const nothing = cases !== null && cases.length === 0 && total === 0 && !filtered && filter.drill === undefined;
  return (
    <>
      {!nothing && (
        <>
          <div class="search">
            <label for="register-search">{t("register.search")}</label>
            <input
              id="register-search"
              type="search"
              value={filter.query ?? ""}
              aria-describedby="register-search-help"
              onInput={(e) => set({ query: value(e) })}
            />
            <small id="register-search-help">{t("register.searchHelp")}</small>
          </div>
          <fieldset class="filters">
            <legend class="visually-hidden">{t("filter.legend")}</legend>
            <label>
              {t("filter.status")}
              <select id="filter-status" value={filter.status ?? ""} onChange={(e) => set({ status: (value(e) || undefined) as CaseStatus | undefined })}>
                <option value="">{t("filter.all")}</option>
                {STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t(statusKey(s))}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("filter.system")}
              <select id="filter-system" value={filter.system ?? ""} onChange={(e) => set({ system: value(e) || undefined })}>
                <option value="">{t("filter.all")}</option>
                {systems.map((s) => (
                  <option key={s.id} value={s.name}>
                    {s.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("filter.category")}
              <select
                id="filter-category"
                value={filter.incident_type ?? ""}
                onChange={(e) => set({ incident_type: (value(e) || undefined) as IncidentType | undefined })}
              >
                <option value="">{t("filter.all")}</option>
                {INCIDENT_TYPES.map((type) => (
                  <option key={type} value={type}>
                    {t(vocabKey("incident_type", type))}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("filter.drills")}
              <select
                id="filter-drills"
                value={filter.drill === undefined ? "" : filter.drill ? "only" : "none"}
                onChange={(e) => {
                  const v = value(e);
                  set({ drill: v === "" ? undefined : v === "only" });
                }}
              >
                <option value="">{t("filter.drills.all")}</option>
                <option value="none">{t("filter.drills.none")}</option>
                <option value="only">{t("filter.drills.only")}</option>
              </select>
            </label>
            <label>
              {t("filter.from")}
              <input id="filter-from" type="date" value={filter.created_from ?? ""} onChange={(e) => set({ created_from: value(e) || undefined })} />
            </label>
            <label>
              {t("filter.to")}
              <input id="filter-to" type="date" value={filter.created_to ?? ""} onChange={(e) => set({ created_to: value(e) || undefined })} />
            </label>
            <label>
              {t("filter.sort")}
              <select id="filter-sort" value={filter.sort} onChange={(e) => set({ sort: value(e) as CaseSort })}>
                {SORTS.map((s) => (
                  <option key={s} value={s}>
                    {t(`sort.${s}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
            {filtered && (
              <button type="button" class="link" onClick={() => onFilter({ ...EMPTY_FILTER, sort: filter.sort })}>
                {t("filter.clear")}
              </button>
            )}
          </fieldset>
        </>
      )}
      {onExport && !nothing && (
        <div class="export" role="group" aria-labelledby="export-heading" aria-describedby="export-help">
          <span id="export-heading" class="visually-hidden">
            {t("export.heading")}
          </span>
          <button type="button" class="secondary" id="export-csv" onClick={() => onExport("csv")}>
            {t("export.csv")}
          </button>
          <button type="button" class="secondary" id="export-json" onClick={() => onExport("json")}>
            {t("export.json")}
          </button>
          <small id="export-help" class="help">
            {t("export.help")}
          </small>
        </div>
      )}
      {cases === null ? (
        <p class="muted" aria-busy="true">
          {t("register.loading")}
        </p>
      ) : cases.length === 0 ? (
        <p class="muted empty" id="register-empty" data-query={shownQuery}>
          {filtered ? t("register.noMatch") : t("register.empty")}
        </p>
      ) : (
        <table id="register" class="register-table" data-query={shownQuery}>
          <thead>
            <tr>
              <th scope="col">{t("register.col.reference")}</th>
              <th scope="col">{t("register.col.title")}</th>
              <th scope="col">{t("register.col.status")}</th>
              <th scope="col">{t("register.col.deadline")}</th>
              <th scope="col">{t("register.col.systems")}</th>
              <th scope="col">{t("register.col.category")}</th>
              <th scope="col">{t("register.col.created")}</th>
            </tr>
          </thead>
          <tbody>
            {cases.map((c) => (
              <tr key={c.id} data-id={c.id} class={`status-row-${c.status}`}>
                <td>
                  <button type="button" class="link reference" onClick={() => onOpen(c)}>
                    {c.reference ?? t("register.draft")}
                  </button>
                  {c.drill && <span class="badge drill-badge">{t("drill.badge")}</span>}
                </td>
                <td class="title-cell">{c.title ?? <span class="muted">{t("register.untitled")}</span>}</td>
                <td>
                  <span class={`status status-${c.status}`} title={t(statusNextKey(c.status))}>
                    {t(statusKey(c.status))}
                  </span>
                </td>
                <td class="clock-col">{c.status !== "closed" && <ClockCell clock={c.clock} t={t} />}</td>
                <td>{(c.systems ?? []).join(", ")}</td>
                <td>{c.incident_type ? t(vocabKey("incident_type", c.incident_type)) : ""}</td>
                <td class="date">
                  <time dateTime={c.created_at}>{formatInstant(c.created_at, lang)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cases !== null && cases.length < total && (
        <p class="more">
          <button type="button" class="secondary" id="register-more" onClick={onMore}>
            {t("register.more", { shown: formatNumber(cases.length, lang), total: formatNumber(total, lang) })}
          </button>
        </p>
      )}
    </>
  );
}
