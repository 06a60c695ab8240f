import { useEffect, useRef, useState } from "preact/hooks";
import { type Backend, toCommandError } from "./api";
import type { CommandError } from "./bindings/CommandError";
import type { DemoInfo } from "./bindings/DemoInfo";
import type { User } from "./bindings/User";
import { ErrorNotice } from "./ErrorNotice";
import type { MessageKey, Translate } from "./i18n";

/**
 * While the demo company is open: said on every screen, with the one action that
 * removes it (after a confirmation).
 */
export function DemoBanner({ backend, t, onRemoved }: { backend: Backend; t: Translate; onRemoved: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<CommandError | null>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const removeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  const remove = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await backend.removeDemo();
      onRemoved();
    } catch (e) {
      setFailure(toCommandError(e));
      setBusy(false);
    }
  };
  const cancel = () => {
    setConfirming(false);
    // Back where the user was, for keyboard users.
    setTimeout(() => removeRef.current?.focus(), 0);
  };

  return (
    <aside class="demo-banner" id="demo-banner" aria-labelledby="demo-banner-title">
      <div class="demo-banner-text">
        <strong id="demo-banner-title">{t("demo.banner")}</strong> <span>{t("demo.banner.help")}</span>
      </div>
      {!confirming ? (
        <button type="button" class="demo-remove" id="demo-remove" ref={removeRef} onClick={() => setConfirming(true)}>
          {t("demo.remove")}
        </button>
      ) : (
        <div class="demo-confirm" role="group" aria-labelledby="demo-confirm-text">
          <p id="demo-confirm-text">{t("demo.remove.confirm")}</p>
          <button type="button" class="demo-remove" id="demo-remove-yes" ref={confirmRef} disabled={busy} onClick={() => void remove()}>
            {t("demo.remove.yes")}
          </button>
          <button type="button" class="secondary" id="demo-remove-cancel" disabled={busy} onClick={cancel}>
            {t("common.cancel")}
          </button>
        </div>
      )}
      {failure && <ErrorNotice error={failure} t={t} onDismiss={() => setFailure(null)} />}
    </aside>
  );
}

/**
 * The first run's other way: an invented company to try every step with. `onBusy` says
 * while it is being made (the first-run form waits meanwhile).
 */
export function TryDemo({
  backend,
  t,
  onCreated,
  onBusy,
}: {
  backend: Backend;
  t: Translate;
  onCreated: (demo: DemoInfo) => void;
  onBusy?: (busy: boolean) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<CommandError | null>(null);
  const working = (b: boolean) => {
    setBusy(b);
    onBusy?.(b);
  };
  const create = async () => {
    working(true);
    setFailure(null);
    try {
      const demo = await backend.createDemo();
      onBusy?.(false);
      onCreated(demo);
    } catch (e) {
      setFailure(toCommandError(e));
      working(false);
    }
  };
  return (
    <section class="card gate try-demo" aria-labelledby="try-demo-heading" aria-busy={busy}>
      <h2 id="try-demo-heading">{t("demo.try.heading")}</h2>
      <p>{t("demo.try.intro")}</p>
      {failure && <ErrorNotice error={failure} t={t} />}
      <div class="actions">
        <button type="button" class="secondary" id="try-demo" disabled={busy} onClick={() => void create()}>
          {busy ? t("demo.try.busy") : t("demo.try")}
        </button>
      </div>
    </section>
  );
}

/** The demo company's users on its sign-in screen: each signs in with one click. */
export function DemoUsers({
  demo,
  backend,
  t,
  onSignedIn,
}: {
  demo: DemoInfo;
  backend: Backend;
  t: Translate;
  onSignedIn: (u: User) => void;
}) {
  const [failure, setFailure] = useState<CommandError | null>(null);
  const signIn = async (username: string, password: string) => {
    setFailure(null);
    try {
      onSignedIn(await backend.signIn(username, password));
    } catch (e) {
      setFailure(toCommandError(e));
    }
  };
  return (
    <section class="card gate demo-users" aria-labelledby="demo-users-heading">
      <h2 id="demo-users-heading">{t("demo.users.heading")}</h2>
      <p>{t("demo.users.intro")}</p>
      {failure && <ErrorNotice error={failure} t={t} />}
      <ul class="demo-user-list">
        {demo.users.map((u) => (
          <li key={u.username}>
            <div>
              <strong>{u.name}</strong>{" "}
              <span class="muted">({u.roles.map((r) => t(`role.${r}` as MessageKey)).join(", ")})</span>
              <br />
              <small>
                {t("demo.users.credentials", { username: u.username, password: u.password })}
              </small>
            </div>
            <button type="button" id={`demo-sign-in-${u.username}`} onClick={() => void signIn(u.username, u.password)}>
              {t("demo.users.signInAs", { name: u.name })}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
