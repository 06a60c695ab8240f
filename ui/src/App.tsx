import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { type Backend, toCommandError } from "./api";
import type { AppInfo } from "./bindings/AppInfo";
import type { Case } from "./bindings/Case";
import type { CommandError } from "./bindings/CommandError";
import { CaseDetail } from "./CaseDetail";
import { CaseForm } from "./CaseForm";
import { CaseList } from "./CaseList";
import { ErrorNotice } from "./ErrorNotice";
import { LANGS, type Lang, formatNumber, initialLang, saveLang, translator } from "./i18n";

const SEARCH_DELAY_MS = 150;

export function App({ backend }: { backend: Backend }) {
  const [lang, setLang] = useState<Lang>(initialLang);
  const t = useMemo(() => translator(lang), [lang]);
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [cases, setCases] = useState<Case[] | null>(null);
  const [query, setQuery] = useState("");
  const [selected, setSelected] = useState<Case | null>(null);
  // An error that keeps the register from working at all (no store).
  const [fatal, setFatal] = useState<CommandError | null>(null);
  // An error from the last action; the register still works.
  const [error, setError] = useState<CommandError | null>(null);
  const latestLoad = useRef(0);

  useEffect(() => {
    document.documentElement.lang = lang;
    saveLang(lang);
  }, [lang]);

  useEffect(() => {
    backend.appInfo().then(setInfo, (e) => setError(toCommandError(e)));
  }, [backend]);

  const load = useCallback(
    async (q: string) => {
      const ticket = ++latestLoad.current;
      try {
        const found = await backend.listCases(q);
        if (ticket === latestLoad.current) setCases(found);
      } catch (e) {
        const err = toCommandError(e);
        switch (err.kind) {
          case "store_too_new":
          case "storage":
            setFatal(err);
            break;
          default:
            setError(err);
        }
      }
    },
    [backend],
  );

  useEffect(() => {
    const timer = setTimeout(() => void load(query), query ? SEARCH_DELAY_MS : 0);
    return () => clearTimeout(timer);
  }, [load, query]);

  const onCreated = useCallback(
    (created: Case) => {
      setError(null);
      setSelected(null);
      if (query) setQuery("");
      else void load("");
      // The new case is first in the list; show it straight away.
      setCases((old) => (old ? [created, ...old.filter((c) => c.id !== created.id)] : [created]));
    },
    [load, query],
  );

  const open = useCallback(
    async (c: Case) => {
      try {
        setSelected(await backend.getCase(c.id));
      } catch (e) {
        setError(toCommandError(e));
      }
    },
    [backend],
  );

  return (
    <div class="shell">
      <header class="topbar">
        <div class="brand">
          <span class="brand-mark" aria-hidden="true">!</span>
          <div>
            <h1>{t("app.name")}</h1>
            <p class="tagline">{t("app.tagline")}</p>
          </div>
        </div>
        <label class="lang">
          <span>{t("lang.label")}</span>
          <select
            id="lang"
            value={lang}
            onChange={(e) => setLang((e.currentTarget as HTMLSelectElement).value as Lang)}
          >
            {LANGS.map((l) => (
              <option key={l} value={l}>
                {t(`lang.${l}`)}
              </option>
            ))}
          </select>
        </label>
      </header>

      {fatal ? (
        <main class="fatal" role="alert">
          <h2>{t("error.unavailable")}</h2>
          <ErrorNotice error={fatal} t={t} />
        </main>
      ) : (
        <main class="workspace">
          <section class="register" aria-labelledby="register-heading">
            <div class="section-head">
              <h2 id="register-heading">{t("register.heading")}</h2>
              {cases && (
                <span class="count">{t("register.count", { n: formatNumber(cases.length, lang) })}</span>
              )}
            </div>
            {error && <ErrorNotice error={error} t={t} onDismiss={() => setError(null)} />}
            <CaseList
              cases={cases}
              query={query}
              onQuery={setQuery}
              onOpen={open}
              lang={lang}
              t={t}
            />
          </section>
          <aside class="side">
            {selected ? (
              <CaseDetail case={selected} lang={lang} t={t} onClose={() => setSelected(null)} />
            ) : (
              <CaseForm backend={backend} lang={lang} t={t} onCreated={onCreated} />
            )}
          </aside>
        </main>
      )}

      <footer class="statusbar">
        {info && (
          <>
            <span>{t("footer.store", { location: info.store_location })}</span>
            <span>{t("footer.version", { version: info.version })}</span>
          </>
        )}
      </footer>
    </div>
  );
}
