import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { type Backend, toCommandError } from "./api";
import type { AppInfo } from "./bindings/AppInfo";
import type { Case } from "./bindings/Case";
import type { CaseFilter } from "./bindings/CaseFilter";
import type { CommandError } from "./bindings/CommandError";
import type { System } from "./bindings/System";
import { CaseView } from "./CaseView";
import { Dashboard, seesOverview } from "./Dashboard";
import { DemoBanner, DemoUsers, TryDemo } from "./Demo";
import type { DemoInfo } from "./bindings/DemoInfo";
import { Settings } from "./Settings";
import type { User } from "./bindings/User";
import type { BrokenEvent } from "./bindings/BrokenEvent";
import type { Verification } from "./bindings/Verification";
import type { StateMismatch } from "./bindings/StateMismatch";
import { ErrorNotice } from "./ErrorNotice";
import { FirstRun, SignIn, Unlock } from "./Gate";
import { Help } from "./Help";
import { Inbox } from "./Inbox";
import type { InboxItem } from "./bindings/InboxItem";
import {
  LANGS,
  type Lang,
  type MessageKey,
  type Translate,
  formatInstant,
  initialLang,
  saveLang,
  translator,
  countText,
} from "./i18n";
import { EMPTY_FILTER, Register } from "./Register";
import { Wizard } from "./Wizard";
import { parseScreen, saveAll, screenToken, type Screen } from "./closing";

const SEARCH_DELAY_MS = 150;

/** The first screen after signing in: the overview, or the register for employees. */
const home = (user: User): View => (seesOverview(user) ? { name: "dashboard" } : { name: "register" });
/** Cases read at a time for the register. */
const PAGE_SIZE = 50;

type View =
  | { name: "dashboard" }
  | { name: "register" }
  | { name: "inbox" }
  | { name: "settings" }
  | { name: "help" }
  | { name: "case"; case: Case }
  | { name: "wizard"; draft: Case | null; key: number; correcting?: boolean; drill?: boolean };

export function App({ backend }: { backend: Backend }) {
  const [lang, setLang] = useState<Lang>(initialLang);
  const t = useMemo(() => translator(lang), [lang]);
  const [info, setInfo] = useState<AppInfo | null>(null);
  // Who is signed in; "setup" before the first run, "signin" when nobody is.
  const [auth, setAuth] = useState<"loading" | "setup" | "locked" | "signin" | User>("loading");
  const [view, setView] = useState<View>({ name: "register" });
  const [singleUser, setSingleUser] = useState(false);
  // The demo company is open: said on every screen; its users are offered at sign-in.
  const [demo, setDemo] = useState<DemoInfo | null>(null);
  // The demo company is being made: the first-run form waits until it is.
  const [makingDemo, setMakingDemo] = useState(false);
  // The first run made the register: the recovery step follows, without the demo's offer.
  const [setUpDone, setSetUpDone] = useState(false);
  const [cases, setCases] = useState<Case[] | null>(null);
  // The query the shown cases answer, so nobody mistakes old results for new ones.
  const [shownQuery, setShownQuery] = useState("");
  const [drafts, setDrafts] = useState<Case[]>([]);
  const [systems, setSystems] = useState<System[]>([]);
  const [inbox, setInbox] = useState<InboxItem[]>([]);
  const [filter, setFilter] = useState<CaseFilter>(EMPTY_FILTER);
  // The register is read a page at a time; «show more» adds a page.
  const [shown, setShown] = useState(PAGE_SIZE);
  const [total, setTotal] = useState(0);
  // A message key and its values, not its words: a switch of language redraws it.
  const [notice, setNotice] = useState<[MessageKey, Record<string, string>] | null>(null);
  // An error that keeps the register from working at all (no store).
  const [fatal, setFatal] = useState<CommandError | null>(null);
  // An error from the last action; the register still works.
  const [error, setError] = useState<CommandError | null>(null);
  const latestLoad = useRef(0);

  useEffect(() => {
    document.documentElement.lang = lang;
    saveLang(lang);
  }, [lang]);

  const loadInfo = useCallback(() => {
    backend.appInfo().then(setInfo, (e) => setError(toCommandError(e)));
  }, [backend]);
  useEffect(loadInfo, [loadInfo]);

  // The history's chain is checked each time the app opens the store.
  const [audit, setAudit] = useState<Verification | null>(null);

  // Going back to a screen named when the window was closed to the tray. A case or a
  // draft that is gone (or no longer this person's to see) leaves the home screen.
  const resume = useCallback(async (s: Screen | null) => {
    if (!s) return;
    try {
      if (s.name === "case") setView({ name: "case", case: await backend.getCase(s.id) });
      else if (s.name === "wizard") {
        const draft = s.id ? await backend.getCase(s.id) : null;
        if (draft && draft.status !== "draft") setView({ name: "case", case: draft });
        else setView({ name: "wizard", draft, key: Date.now() });
      } else setView({ name: s.name } as View);
    } catch {
      // The home screen stays.
    }
  }, [backend]);

  const loadAuth = useCallback(() => {
    backend.authStatus().then(
      (s) => {
        setSingleUser(s.single_user);
        setDemo(s.demo);
        setAuth(s.store === "locked" ? "locked" : s.needs_setup ? "setup" : (s.user ?? "signin"));
        if (s.user) {
          setView(home(s.user));
          // Opened again from the tray: back to the screen the window showed.
          backend.resumeScreen().then((token) => void resume(parseScreen(token)), () => {});
        }
        if (s.store === "open") backend.auditStatus().then(setAudit, () => {});
      },
      (e) => {
        const err = toCommandError(e);
        if (err.kind === "store_too_new" || err.kind === "storage") setFatal(err);
        else setError(err);
      },
    );
  }, [backend]);
  useEffect(loadAuth, [loadAuth]);

  const signedIn = typeof auth === "object" ? auth : null;

  // The shell asks before it closes the window to the tray: forms save what is typed,
  // and the screen shown is named so that the next window opens on it.
  const shownScreen = useRef<string | null>(null);
  shownScreen.current = !signedIn
    ? null
    : view.name === "case"
      ? screenToken({ name: "case", id: view.case.id })
      : view.name === "wizard"
        ? view.correcting && view.draft
          ? screenToken({ name: "case", id: view.draft.id })
          : null
        : screenToken({ name: view.name });
  useEffect(() => {
    const w = window as unknown as { __avvikBeforeClose?: () => Promise<void> };
    w.__avvikBeforeClose = async () => {
      const form = await saveAll();
      await backend.closeToTray(shownScreen.current ?? (signedIn ? form : null)).catch(() => {});
    };
    return () => void delete w.__avvikBeforeClose;
  }, [backend, signedIn]);
  const isHandler = signedIn?.roles.includes("handler") ?? false;
  const isAdmin = signedIn?.roles.includes("admin") ?? false;
  const unread = inbox.filter((n) => !n.acknowledged_at).length;

  const loadInbox = useCallback(async () => {
    if (!isHandler) return setInbox([]);
    try {
      setInbox(await backend.inbox());
    } catch (e) {
      setError(toCommandError(e));
    }
  }, [backend, isHandler]);

  useEffect(() => void loadInbox(), [loadInbox, view]);

  const acknowledge = async (id: string) => {
    try {
      await backend.acknowledge(id);
      await loadInbox();
    } catch (e) {
      setError(toCommandError(e));
    }
  };

  const onSignedIn = (user: User) => {
    setError(null);
    setAuth(user);
    setView(home(user));
  };

  const signOut = async () => {
    await backend.signOut();
    // Users may have been added meanwhile: «stay signed in» is offered only to one.
    setSingleUser((await backend.authStatus()).single_user);
    setCases(null);
    setDrafts([]);
    setNotice(null);
    setFilter(EMPTY_FILTER); // the next person does not see this one's search
    setAuth("signin");
  };

  // A restore has signed everyone out in the core already: the same as signing out, without asking it to.
  const signOutAfterRestore = () => {
    setCases(null);
    setDrafts([]);
    setNotice(null);
    setAuth("signin");
    // The restored store has its own users: «stay signed in» is offered only to one.
    backend.authStatus().then((s) => setSingleUser(s.single_user), (e) => setError(toCommandError(e)));
  };

  // The store changed under the window (the demo company made or removed): start over
  // from what the back end says now.
  const switchedStore = () => {
    setCases(null);
    setDrafts([]);
    setNotice(null);
    setError(null);
    setFilter(EMPTY_FILTER);
    setAudit(null);
    setView({ name: "register" });
    setAuth("loading");
    loadAuth();
    loadInfo();
  };

  const fail = useCallback((e: unknown) => {
    const err = toCommandError(e);
    switch (err.kind) {
      case "store_too_new":
      case "storage":
        setFatal(err);
        break;
      default:
        setError(err);
    }
  }, []);

  const load = useCallback(
    async (f: CaseFilter) => {
      const ticket = ++latestLoad.current;
      try {
        const found = await backend.listCases({ ...f, limit: shown });
        if (ticket !== latestLoad.current) return;
        setCases(found.cases);
        setTotal(found.total);
        setShownQuery(f.query?.trim() ?? "");
      } catch (e) {
        fail(e);
      }
    },
    [backend, fail, shown],
  );

  // Drafts and systems change only outside the register (in the form); a search
  // keystroke reloads the cases alone.
  useEffect(() => {
    if (view.name !== "register" || !signedIn) return;
    Promise.all([backend.listCases({ status: "draft", sort: "newest_first" }), backend.listSystems()]).then(
      ([openDrafts, register]) => {
        setDrafts(openDrafts.cases);
        setSystems(register);
      },
      fail,
    );
  }, [backend, fail, view.name, signedIn]);

  useEffect(() => {
    if (view.name !== "register" || !signedIn) return;
    const timer = setTimeout(() => void load(filter), filter.query ? SEARCH_DELAY_MS : 0);
    return () => clearTimeout(timer);
  }, [load, filter, view.name, signedIn]);

  const openWizard = (draft: Case | null, drill = false) => {
    setNotice(null);
    setError(null);
    setView({ name: "wizard", draft, key: Date.now(), drill });
  };

  const open = useCallback(
    async (c: Case) => {
      if (c.status === "draft") return openWizard(await backend.getCase(c.id).catch(() => c));
      try {
        setView({ name: "case", case: await backend.getCase(c.id) });
      } catch (e) {
        fail(e);
      }
    },
    [backend, fail],
  );

  const exportRegister = async (format: "csv" | "json") => {
    try {
      const path = await backend.exportRegister(filter, format, lang);
      if (path) setNotice(["export.done", { path }]);
    } catch (e) {
      fail(e);
    }
  };

  const onCorrected = (c: Case) => {
    setNotice(["wizard.corrected", { reference: c.reference ?? "" }]);
    setView({ name: "case", case: c });
  };

  const onSubmitted = (c: Case) => {
    setNotice(["wizard.submitted", { reference: c.reference ?? "" }]);
    setView({ name: "case", case: c });
  };

  return (
    <div class="shell">
      <header class="topbar">
        <div class="brand">
          <span class="brand-mark" aria-hidden="true">
            !
          </span>
          <div>
            <h1>{t("app.name")}</h1>
            <p class="tagline">{t("app.tagline")}</p>
          </div>
        </div>
        {signedIn && (
        <nav class="mainnav" aria-label={t("app.name")}>
          {seesOverview(signedIn) && (
            <button
              type="button"
              id="nav-dashboard"
              class={view.name === "dashboard" ? "nav current" : "nav"}
              aria-current={view.name === "dashboard" ? "page" : undefined}
              onClick={() => {
                setNotice(null);
                setView({ name: "dashboard" });
              }}
            >
              {t("nav.dashboard")}
            </button>
          )}
          <button
            type="button"
            id="nav-register"
            class={view.name === "register" ? "nav current" : "nav"}
            aria-current={view.name === "register" ? "page" : undefined}
            onClick={() => {
              setNotice(null);
              setView({ name: "register" });
            }}
          >
            {t("nav.register")}
          </button>
          <button
            type="button"
            id="nav-report"
            class={view.name === "wizard" ? "nav current" : "nav"}
            aria-current={view.name === "wizard" ? "page" : undefined}
            onClick={() => openWizard(null)}
          >
            {t("nav.report")}
          </button>
          <button type="button" id="nav-drill" class="nav" onClick={() => openWizard(null, true)} title={t("drill.start.help")}>
            {t("drill.start")}
          </button>
          {isHandler && (
            <button
              type="button"
              id="nav-inbox"
              class={view.name === "inbox" ? "nav current" : "nav"}
              aria-current={view.name === "inbox" ? "page" : undefined}
              onClick={() => {
                setNotice(null);
                setView({ name: "inbox" });
              }}
            >
              {unread > 0 ? countText(lang, "nav.inboxCount", unread) : t("nav.inbox")}
            </button>
          )}
          {isAdmin && (
            <button
              type="button"
              id="nav-settings"
              class={view.name === "settings" ? "nav current" : "nav"}
              aria-current={view.name === "settings" ? "page" : undefined}
              onClick={() => {
                setNotice(null);
                setView({ name: "settings" });
              }}
            >
              {t("nav.settings")}
            </button>
          )}
          <button
            type="button"
            id="nav-help"
            class={view.name === "help" ? "nav current" : "nav"}
            aria-current={view.name === "help" ? "page" : undefined}
            onClick={() => {
              setNotice(null);
              setView({ name: "help" });
            }}
          >
            {t("nav.help")}
          </button>
        </nav>
        )}
        {signedIn && (
          <div class="who">
            <span id="signed-in-as">
              {t("nav.signedInAs", {
                name: signedIn.name,
                roles: signedIn.roles.map((r) => t(`role.${r}` as MessageKey)).join(", "),
              })}
            </span>
            <button type="button" class="link light" id="sign-out" onClick={() => void signOut()}>
              {t("nav.signOut")}
            </button>
          </div>
        )}
        <label class="lang">
          <span>{t("lang.label")}</span>
          <select id="lang" value={lang} onChange={(e) => setLang((e.currentTarget as HTMLSelectElement).value as Lang)}>
            {LANGS.map((l) => (
              <option key={l} value={l}>
                {t(`lang.${l}`)}
              </option>
            ))}
          </select>
        </label>
      </header>

      {demo && <DemoBanner backend={backend} t={t} onRemoved={switchedStore} />}
      {audit?.broken && <AuditAlarm broken={audit.broken} events={audit.events} lang={lang} t={t} />}
      {audit && !audit.broken && audit.state.length > 0 && <StateAlarm state={audit.state} t={t} />}
      {fatal ? (
        <main class="fatal" role="alert">
          <h2>{t("error.unavailable")}</h2>
          <ErrorNotice error={fatal} t={t} />
        </main>
      ) : auth === "loading" ? (
        <main class="workspace" aria-busy="true" />
      ) : auth === "locked" ? (
        <main class="workspace">
          <Unlock backend={backend} t={t} onUnlocked={loadAuth} />
        </main>
      ) : auth === "setup" ? (
        <main class="workspace">
          {!setUpDone && <TryDemo backend={backend} t={t} onCreated={switchedStore} onBusy={setMakingDemo} />}
          <FirstRun backend={backend} lang={lang} t={t} onSignedIn={onSignedIn} onSetUp={() => setSetUpDone(true)} blocked={makingDemo} />
        </main>
      ) : auth === "signin" ? (
        <main class="workspace">
          {error && <ErrorNotice error={error} t={t} onDismiss={() => setError(null)} />}
          {demo && <DemoUsers demo={demo} backend={backend} t={t} onSignedIn={onSignedIn} />}
          <SignIn backend={backend} t={t} onSignedIn={onSignedIn} offerStay={singleUser} />
        </main>
      ) : (
        <main class="workspace">
          {notice && (
            <p class="notice notice-ok" id="app-notice" role="status">
              {t(...notice)}
            </p>
          )}
          {error && <ErrorNotice error={error} t={t} onDismiss={() => setError(null)} />}
          {view.name === "wizard" && (
            <Wizard
              key={view.key}
              backend={backend}
              lang={lang}
              t={t}
              draft={view.draft}
              correcting={view.correcting}
              drill={view.drill}
              me={signedIn ?? undefined}
              onSubmitted={view.correcting ? onCorrected : onSubmitted}
            />
          )}
          {view.name === "inbox" && (
            <Inbox
              items={inbox}
              onOpen={(id) => void backend.getCase(id).then((c) => setView({ name: "case", case: c }), fail)}
              onAcknowledge={(id) => void acknowledge(id)}
              lang={lang}
              t={t}
            />
          )}
          {view.name === "dashboard" && (
            <Dashboard
              backend={backend}
              user={signedIn!}
              audit={audit}
              lang={lang}
              t={t}
              onOpen={(id) => void backend.getCase(id).then((c) => setView({ name: "case", case: c }), fail)}
              onError={fail}
            />
          )}
          {view.name === "help" && <Help roles={signedIn!.roles} t={t} />}
          {view.name === "settings" && <Settings backend={backend} me={signedIn!} lang={lang} t={t} onRestored={signOutAfterRestore} />}
          {view.name === "case" && (
            <CaseView
              case={view.case}
              user={signedIn!}
              backend={backend}
              lang={lang}
              t={t}
              onClose={() => setView({ name: "register" })}
              onCorrect={() => {
                setNotice(null);
                setView({ name: "wizard", draft: view.case, key: Date.now(), correcting: true });
              }}
              onChanged={() =>
                void backend.getCase(view.case.id).then((c) => setView({ name: "case", case: c }), fail)
              }
            />
          )}
          {view.name === "register" && (
            <section class="register" aria-labelledby="register-heading">
              <div class="section-head">
                <h2 id="register-heading">{t("register.heading")}</h2>
                {cases && <span class="count">{countText(lang, "register.count", total)}</span>}
              </div>
              {drafts.length > 0 && drafts[0] && (
                <div class="notice notice-warn" id="drafts-banner">
                  <p>{countText(lang, "register.drafts", drafts.length)}</p>
                  <button type="button" id="continue-draft" onClick={() => void open(drafts[0]!)}>
                    {t("register.continueDraft")}
                  </button>
                </div>
              )}
              <Register
                cases={cases}
                shownQuery={shownQuery}
                systems={systems}
                filter={filter}
                onFilter={(f) => {
                  setShown(PAGE_SIZE);
                  setFilter(f);
                }}
                total={total}
                onMore={() => setShown(shown + PAGE_SIZE)}
                onOpen={(c) => void open(c)}
                onExport={isHandler || signedIn?.roles.includes("dpo") ? (format) => void exportRegister(format) : undefined}
                lang={lang}
                t={t}
              />
            </section>
          )}
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

/** Cases changed behind Avvik's back (their state is not what their history recorded). */
function StateAlarm({ state, t }: { state: StateMismatch[]; t: Translate }) {
  const cases = state
    .map((m) =>
      m.parts.includes("missing")
        ? t("audit.state.missing")
        : t("audit.state.case", { reference: m.reference ?? m.case_id, parts: m.parts.join(", ") }),
    )
    .join("; ");
  return (
    <div class="audit-alarm" role="alert" id="audit-alarm">
      <strong>{t("audit.broken.title")}</strong> {t("audit.state.text", { cases })}
    </div>
  );
}

/** The history was changed behind Avvik's back: said on every screen until it is dealt with. */
function AuditAlarm({ broken, events, lang, t }: { broken: BrokenEvent; events: number; lang: Lang; t: Translate }) {
  return (
    <div class="audit-alarm" role="alert" id="audit-alarm">
      <strong>{t("audit.broken.title")}</strong>{" "}
      {broken.problem === "truncated"
        ? t("audit.truncated.text", { seq: broken.seq, events })
        : broken.problem === "rewritten"
          ? t("audit.rewritten.text", { events: broken.seq, time: formatInstant(broken.at, lang) })
          : t("audit.broken.text", {
            seq: broken.seq,
            kind: broken.kind,
            time: formatInstant(broken.at, lang),
            events,
          })}
    </div>
  );
}
