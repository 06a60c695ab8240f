import { useState } from "preact/hooks";
import { type Backend, toCommandError } from "./api";
import type { CommandError } from "./bindings/CommandError";
import type { User } from "./bindings/User";
import type { ValidationError } from "./bindings/ValidationError";
import { errorFor, errorText } from "./document";
import { ErrorNotice } from "./ErrorNotice";
import type { Lang, Translate } from "./i18n";
import { SYSTEM_NAME_MAX_CHARS } from "./limits";
import { TextField } from "./TextField";

function PasswordField({
  id,
  label,
  help,
  value,
  error,
  onInput,
  autoComplete,
}: {
  id: string;
  label: string;
  help?: string;
  value: string;
  error?: string;
  onInput: (v: string) => void;
  autoComplete: string;
}) {
  const describedBy = [help && `${id}-help`, error && `${id}-error`].filter(Boolean).join(" ");
  return (
    <div class={`field ${error ? "has-error" : ""}`}>
      <label for={id}>{label}</label>
      {help && <small id={`${id}-help`}>{help}</small>}
      <input
        id={id}
        type="password"
        autoComplete={autoComplete}
        value={value}
        aria-invalid={error ? "true" : "false"}
        aria-describedby={describedBy || undefined}
        onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)}
      />
      {error && (
        <p id={`${id}-error`} class="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** First run: the organisation and its general manager, who is signed in at once. */
export function FirstRun({
  backend,
  lang,
  t,
  onSignedIn,
}: {
  backend: Backend;
  lang: Lang;
  t: Translate;
  onSignedIn: (u: User) => void;
}) {
  const [org, setOrg] = useState({ name: "", org_number: "", address: "" });
  const [user, setUser] = useState({ name: "", username: "", email: "", password: "", password2: "" });
  const [errors, setErrors] = useState<ValidationError[]>([]);
  const [mismatch, setMismatch] = useState(false);
  const [failure, setFailure] = useState<CommandError | null>(null);
  const err = (field: string) => errorText(t, errorFor(errors, field));

  const submit = async (e: Event) => {
    e.preventDefault();
    setFailure(null);
    if (user.password !== user.password2) return setMismatch(true);
    setMismatch(false);
    try {
      const signedIn = await backend.setUp(
        { name: org.name, org_number: org.org_number, address: org.address || undefined },
        { username: user.username, name: user.name, email: user.email || undefined, roles: ["handler"], password: user.password },
      );
      onSignedIn(signedIn);
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
      error={err(field)}
      required={required}
      onInput={onInput}
      lang={lang}
      t={t}
    />
  );

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
      <div class="actions">
        <button type="submit" id="setup-submit">
          {t("setup.submit")}
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
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      onSignedIn(await backend.signIn(username, password, offerStay && stay));
    } catch (e) {
      setFailure(toCommandError(e));
      setPassword("");
    }
  };
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
        <label class="choice" for="signin-stay">
          <input
            id="signin-stay"
            type="checkbox"
            checked={stay}
            aria-describedby="signin-stay-help"
            onChange={(e) => setStay((e.currentTarget as HTMLInputElement).checked)}
          />
          <span class="choice-text">
            <span class="choice-label">{t("signin.stay")}</span>
            <small id="signin-stay-help" class="help">
              {t("signin.stay.help")}
            </small>
          </span>
        </label>
      )}
      <div class="actions">
        <button type="submit" id="signin-submit">
          {t("signin.submit")}
        </button>
      </div>
    </form>
  );
}
