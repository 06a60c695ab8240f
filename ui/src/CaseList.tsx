import type { Case } from "./bindings/Case";
import { type Lang, type Translate, formatInstant, statusKey, statusNextKey } from "./i18n";

export function CaseList({
  cases,
  query,
  onQuery,
  onOpen,
  lang,
  t,
}: {
  cases: Case[] | null;
  query: string;
  onQuery: (q: string) => void;
  onOpen: (c: Case) => void;
  lang: Lang;
  t: Translate;
}) {
  return (
    <>
      <div class="search">
        <label for="register-search">{t("register.search")}</label>
        <input
          id="register-search"
          type="search"
          value={query}
          aria-describedby="register-search-help"
          onInput={(e) => onQuery((e.currentTarget as HTMLInputElement).value)}
        />
        <small id="register-search-help">{t("register.searchHelp")}</small>
      </div>
      {cases === null ? (
        <p class="muted" aria-busy="true">
          {t("register.loading")}
        </p>
      ) : cases.length === 0 ? (
        <p class="muted empty" id="register-empty">
          {query.trim() ? t("register.noMatch", { query: query.trim() }) : t("register.empty")}
        </p>
      ) : (
        <table id="register" class="register-table">
          <thead>
            <tr>
              <th scope="col">{t("register.col.reference")}</th>
              <th scope="col">{t("register.col.title")}</th>
              <th scope="col">{t("register.col.status")}</th>
              <th scope="col">{t("register.col.created")}</th>
            </tr>
          </thead>
          <tbody>
            {cases.map((c) => (
              <tr key={c.id} data-id={c.id}>
                <td>
                  <button type="button" class="link reference" onClick={() => onOpen(c)}>
                    {c.reference}
                  </button>
                </td>
                <td class="title-cell">{c.title}</td>
                <td>
                  <span class={`status status-${c.status}`} title={t(statusNextKey(c.status))}>
                    {t(statusKey(c.status))}
                  </span>
                </td>
                <td>
                  <time dateTime={c.created_at}>{formatInstant(c.created_at, lang)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
