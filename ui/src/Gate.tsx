import { useState } from "preact/hooks";
import { type Backend, toCommandError } from "./api";
import type { CommandError } from "./bindings/CommandError";
import type { SetUpResult } from "./bindings/SetUpResult";
import type { User } from "./bindings/User";
import type { ValidationError } from "./bindings/ValidationError";
import { errorFor, errorText } from "./document";
import { ErrorNotice, fieldErrors } from "./ErrorNotice";
import type { Lang, Translate } from "./i18n";
import { SYSTEM_NAME_MAX_CHARS } from "./limits";
import { CheckChoice, PasswordField, TextField } from "./TextField";

/** The passphrase choice of the first run: made up by Avvik (the default) or chosen. */
type PassChoice = { mode: "generate" | "choose"; passphrase: string; passphrase2: string; remember: boolean };

/** First run: the organisation, its general manager (signed in at once) and the store's encryption. */
export function FirstRun({
  backend,
  lang,
  t,
  onSignedIn,
  onSetUp,
  blocked = false,
}: {
  backend: Backend;
  lang: Lang;
  t: Translate;
  onSignedIn: (u: User) => void;
  /** The register is made: what offers another start (the demo) goes away. */
  onSetUp?: () => void;
  /** Something else is making the store (the demo company): the form waits. */
  blocked?: boolean;
}) {
  const [org, setOrg] = useState({ name: "", org_number: "", address: "" });
  const [user, setUser] = useState({ name: "", username: "", email: "", password: "", password2: "" });
  const [pass, setPass] = useState<PassChoice>({ mode: "generate", passphrase: "", passphrase2: "", remember: true });
  const [errors, setErrors] = useState<ValidationError[]>([]);
  const [mismatch, setMismatch] = useState(false);
  const [passMismatch, setPassMismatch] = useState(false);
  // Set up: the recovery step comes before the register.
  const [done, setDone] = useState<SetUpResult | null>(null);
  const [failure, setFailure] = useState<CommandError | null>(null);
  const err = (field: string) => errorText(t, errorFor(errors, field));

  const submit = async (e: Event) => {
    e.preventDefault();
    if (blocked) return;
    setFailure(null);
    const badPass = pass.mode === "choose" && pass.passphrase !== pass.passphrase2;
    setMismatch(user.password !== user.password2);
    setPassMismatch(badPass);
    if (user.password !== user.password2 || badPass) return;
    try {
      const made = await backend.setUp(
          { name: org.name, org_number: org.org_number, address: org.address || undefined },
          { username: user.username, name: user.name, email: user.email || undefined, roles: ["handler"], password: user.password },
          { passphrase: pass.mode === "choose" ? pass.passphrase : null, unencrypted: false, remember: pass.remember },
      );
      setDone(made);
      onSetUp?.();
    } catch (e) {
      const error = toCommandError(e);
      if (error.kind === "validation") setErrors(error.errors ?? []);
      else setFailure(error);
    }
  };

  const text = (id: string, label: string, value: string, onInput: (v: string) => void, field: string, help = "", required = true) => (
    <TextField
      id={id}
      label={label}
      help={help}
      value={value}
      max={SYSTEM_NAME_MAX_CHARS}
      counter={false}
      error={err(field)}
      required={required}
      onInput={onInput}
      lang={lang}
      t={t}
    />
  );

  if (done) return <RecoveryStep result={done} backend={backend} lang={lang} t={t} onDone={() => onSignedIn(done.user)} />;

  return (
    <form class="card gate" onSubmit={submit} noValidate aria-labelledby="setup-heading">
      <h2 id="setup-heading">{t("setup.heading")}</h2>
      <p>{t("setup.intro")}</p>
      {failure && <ErrorNotice error={failure} t={t} />}
      <fieldset>
        <legend>{t("setup.org")}</legend>
        {text("setup-org-name", t("setup.orgName"), org.name, (name) => setOrg({ ...org, name }), "org.name")}
        {text("setup-org-number", t("setup.orgNumber"), org.org_number, (org_number) => setOrg({ ...org, org_number }), "org.org_number", t("setup.orgNumberHelp"))}
        {text("setup-org-address", t("setup.address"), org.address, (address) => setOrg({ ...org, address }), "org.address", "", false)}
      </fieldset>
      <fieldset>
        <legend>{t("setup.manager")}</legend>
        {text("setup-user-name", t("user.name"), user.name, (name) => setUser({ ...user, name }), "user.name")}
        {text("setup-user-username", t("user.username"), user.username, (username) => setUser({ ...user, username }), "user.username", t("user.usernameHelp"))}
        {text("setup-user-email", t("user.email"), user.email, (email) => setUser({ ...user, email }), "user.email", "", false)}
        <PasswordField
          id="setup-user-password"
          label={t("user.password")}
          help={t("user.passwordHelp")}
          value={user.password}
          error={err("user.password")}
          autoComplete="new-password"
          onInput={(password) => setUser({ ...user, password })}
        />
        <PasswordField
          id="setup-user-password2"
          label={t("user.password2")}
          value={user.password2}
          error={mismatch ? t("user.passwordMismatch") : undefined}
          autoComplete="new-password"
          onInput={(password2) => setUser({ ...user, password2 })}
        />
      </fieldset>
      <fieldset>
        <legend>{t("setup.encryption")}</legend>
        <p class="help">{t("setup.encryption.help")}</p>
        <label class="choice" for="setup-pass-generate">
          <input
            id="setup-pass-generate"
            type="radio"
            name="setup-pass"
            checked={pass.mode === "generate"}
            onChange={() => setPass({ ...pass, mode: "generate" })}
          />
          <span class="choice-text">
            <span class="choice-label">{t("setup.pass.generate")}</span>
          </span>
        </label>
        <label class="choice" for="setup-pass-choose">
          <input
            id="setup-pass-choose"
            type="radio"
            name="setup-pass"
            checked={pass.mode === "choose"}
            onChange={() => setPass({ ...pass, mode: "choose" })}
          />
          <span class="choice-text">
            <span class="choice-label">{t("setup.pass.choose")}</span>
          </span>
        </label>
        {pass.mode === "choose" && (
          <>
            <PasswordField
              id="setup-passphrase"
              label={t("setup.passphrase")}
              help={t("setup.passphrase.help")}
              value={pass.passphrase}
              error={err("passphrase")}
              autoComplete="new-password"
              onInput={(passphrase) => setPass({ ...pass, passphrase })}
            />
            <PasswordField
              id="setup-passphrase2"
              label={t("setup.passphrase2")}
              value={pass.passphrase2}
              error={passMismatch ? t("setup.passphraseMismatch") : undefined}
              autoComplete="new-password"
              onInput={(passphrase2) => setPass({ ...pass, passphrase2 })}
            />
          </>
        )}
        <RememberChoice id="setup-remember" checked={pass.remember} onChange={(remember) => setPass({ ...pass, remember })} t={t} />
      </fieldset>
      <div class="actions">
        <button type="submit" id="setup-submit" disabled={blocked}>
          {t("setup.submit")}
        </button>
      </div>
    </form>
  );
}

/** «Keep the passphrase in this machine's keychain». */
function RememberChoice({ id, checked, onChange, t }: { id: string; checked: boolean; onChange: (v: boolean) => void; t: Translate }) {
  return <CheckChoice id={id} checked={checked} onChange={onChange} label={t("setup.remember")} help={t("setup.remember.help")} />;
}

/**
 * Right after the first run: the passphrase made up by Avvik is shown once, and the
 * recovery sheet can be saved, before the register opens.
 */
function RecoveryStep({
  result,
  backend,
  lang,
  t,
  onDone,
}: {
  result: SetUpResult;
  backend: Backend;
  lang: Lang;
  t: Translate;
  onDone: () => void;
}) {
  const [saved, setSaved] = useState<string | null>(null);
  const [failure, setFailure] = useState<CommandError | null>(null);
  const save = async () => {
    setFailure(null);
    try {
      const path = await backend.saveRecoverySheet(lang);
      if (path) setSaved(path);
    } catch (e) {
      setFailure(toCommandError(e));
    }
  };
  const finish = async () => {
    await backend.dismissRecoverySheet().catch(() => {});
    onDone();
  };
  return (
    <section class="card gate" aria-labelledby="recovery-heading">
      <h2 id="recovery-heading">{t("recovery.heading")}</h2>
      <p>{t("recovery.intro")}</p>
      {result.generated_passphrase && (
        <p class="passphrase">
          <span>{t("recovery.yours")}</span>
          <code id="recovery-passphrase">{result.generated_passphrase}</code>
        </p>
      )}
      {result.keychain_error && (
        <div class="warning" role="status" id="recovery-keychain">
          <p>{t("recovery.noKeychain")}</p>
          <details>
            <summary>{t("error.details")}</summary>
            <code>{result.keychain_error}</code>
          </details>
        </div>
      )}
      {failure && <ErrorNotice error={failure} t={t} />}
      {saved && (
        <p class="saved" role="status">
          {t("filings.pdfSaved", { path: saved })}
        </p>
      )}
      <div class="actions">
        <button type="button" class="secondary" id="recovery-save" onClick={() => void save()}>
          {t("recovery.save")}
        </button>
        <button type="button" id="recovery-done" onClick={() => void finish()}>
          {t("recovery.done")}
        </button>
      </div>
    </section>
  );
}

/** The store is encrypted and the keychain does not hold its passphrase. */
export function Unlock({ backend, t, onUnlocked }: { backend: Backend; t: Translate; onUnlocked: () => void }) {
  const [passphrase, setPassphrase] = useState("");
  const [remember, setRemember] = useState(true);
  const [failure, setFailure] = useState<CommandError | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setFailure(null);
    setBusy(true);
    try {
      await backend.unlock(passphrase, remember);
      onUnlocked();
    } catch (e) {
      setFailure(toCommandError(e));
      setPassphrase("");
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card gate" onSubmit={submit} aria-labelledby="unlock-heading">
      <h2 id="unlock-heading">{t("unlock.heading")}</h2>
      <p>{t("unlock.intro")}</p>
      {failure && <ErrorNotice error={failure} t={t} />}
      <PasswordField
        id="unlock-passphrase"
        label={t("setup.passphrase")}
        value={passphrase}
        autoComplete="current-password"
        onInput={setPassphrase}
      />
      <RememberChoice id="unlock-remember" checked={remember} onChange={setRemember} t={t} />
      <div class="actions">
        <button type="submit" id="unlock-submit" disabled={busy}>
          {t("unlock.submit")}
        </button>
      </div>
    </form>
  );
}

export function SignIn({
  backend,
  t,
  onSignedIn,
  offerStay = false,
}: {
  backend: Backend;
  t: Translate;
  onSignedIn: (u: User) => void;
  /** A one-person install may stay signed in on this machine. */
  offerStay?: boolean;
}) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [stay, setStay] = useState(false);
  const [failure, setFailure] = useState<CommandError | null>(null);
  // The password was given by an admin: the person chooses their own before signing in.
  const [choosing, setChoosing] = useState(false);
  const [fresh, setFresh] = useState({ password: "", again: "" });
  const [mismatch, setMismatch] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      onSignedIn(await backend.signIn(username, password, offerStay && stay));
    } catch (e) {
      const err = toCommandError(e);
      if (err.kind === "password_change_required") {
        setChoosing(true);
        setFailure(null);
        return;
      }
      setFailure(err);
      setPassword("");
    }
  };
  const choose = async (e: Event) => {
    e.preventDefault();
    setMismatch(fresh.password !== fresh.again);
    if (fresh.password !== fresh.again) return;
    try {
      onSignedIn(await backend.signIn(username, password, offerStay && stay, fresh.password));
    } catch (e) {
      setFailure(toCommandError(e));
    }
  };
  if (choosing) {
    const fieldError = failure?.kind === "validation" ? fieldErrors(failure, t)["new_password"] : undefined;
    return (
      <form class="card gate" onSubmit={choose} aria-labelledby="signin-new-heading" noValidate>
        <h2 id="signin-new-heading">{t("signin.newPassword.heading")}</h2>
        <p>{t("signin.newPassword.intro")}</p>
        {failure && failure.kind !== "validation" && <ErrorNotice error={failure} t={t} />}
        <PasswordField
          id="signin-new-password"
          label={t("signin.newPassword")}
          help={t("user.passwordHelp")}
          value={fresh.password}
          error={fieldError}
          autoComplete="new-password"
          onInput={(v) => setFresh({ ...fresh, password: v })}
        />
        <PasswordField
          id="signin-new-password2"
          label={t("signin.newPassword2")}
          value={fresh.again}
          error={mismatch ? t("user.passwordMismatch") : undefined}
          autoComplete="new-password"
          onInput={(v) => setFresh({ ...fresh, again: v })}
        />
        <div class="actions">
          <button type="submit" id="signin-new-submit">
            {t("signin.newPassword.submit")}
          </button>
        </div>
      </form>
    );
  }
  return (
    <form class="card gate" onSubmit={submit} aria-labelledby="signin-heading">
      <h2 id="signin-heading">{t("signin.heading")}</h2>
      <p>{t("signin.intro")}</p>
      {failure && <ErrorNotice error={failure} t={t} />}
      <div class="field">
        <label for="signin-username">{t("user.username")}</label>
        <input
          id="signin-username"
          type="text"
          autoComplete="username"
          value={username}
          onInput={(e) => setUsername((e.currentTarget as HTMLInputElement).value)}
        />
      </div>
      <PasswordField
        id="signin-password"
        label={t("user.password")}
        value={password}
        autoComplete="current-password"
        onInput={setPassword}
      />
      {offerStay && (
        <CheckChoice id="signin-stay" checked={stay} onChange={setStay} label={t("signin.stay")} help={t("signin.stay.help")} />
      )}
      <div class="actions">
        <button type="submit" id="signin-submit">
          {t("signin.submit")}
        </button>
      </div>
    </form>
  );
}
