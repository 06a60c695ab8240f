import { useEffect, useState } from "preact/hooks";
import type { Backend } from "./api";
import { toCommandError } from "./api";
import type { AddedUser } from "./bindings/AddedUser";
import type { CommandError } from "./bindings/CommandError";
import type { Role } from "./bindings/Role";
import type { User } from "./bindings/User";
import { ROLES } from "./bindings/vocabulary";
import { Choices } from "./Choices";
import { ErrorNotice, type FieldErrors, fieldErrors } from "./ErrorNotice";
import { type Lang, type MessageKey, type Translate, collator, formatInstant } from "./i18n";
import { Input, PasswordField } from "./TextField";

/** What the section is doing: nothing, adding a person, or changing one. */
type Editing =
  | { mode: "none" }
  | { mode: "add" }
  | { mode: "edit"; user: User }
  | { mode: "reset"; user: User }
  | { mode: "disable"; user: User };

interface Draft {
  name: string;
  username: string;
  email: string;
  roles: Role[];
  /** "one_time": Avvik makes the password; "set": the admin types it. */
  password: "one_time" | "set";
  typed: string;
}

const EMPTY: Draft = { name: "", username: "", email: "", roles: ["employee"], password: "one_time", typed: "" };

/**
 * Settings → Users (admins): everyone who uses Avvik, disabled people too. An admin
 * adds a person (the person chooses their own password at the first sign-in), changes
 * name, e-mail and roles, gives a new password, and disables or enables. Every rule is
 * the core's: nobody raises their own roles or disables themselves, and an active admin
 * and an active handler always remain.
 */
export function UsersSection({ backend, me, lang, t }: { backend: Backend; me: User; lang: Lang; t: Translate }) {
  const [users, setUsers] = useState<User[] | null>(null);
  const [editing, setEditing] = useState<Editing>({ mode: "none" });
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<CommandError | null>(null);
  // The one-time password, shown once after it was made, with whose it is.
  const [shown, setShown] = useState<{ added: AddedUser; kind: "added" | "reset" } | null>(null);
  const [status, setStatus] = useState<{ key: MessageKey; name: string } | null>(null);

  const reload = async () => setUsers(await backend.users());
  useEffect(() => {
    reload().catch((e) => setError(toCommandError(e)));
  }, [backend]);

  const start = (next: Editing) => {
    setEditing(next);
    setErrors({});
    setError(null);
    setStatus(null);
    if (next.mode === "add") setDraft(EMPTY);
    if (next.mode === "edit")
      setDraft({ ...EMPTY, name: next.user.name, username: next.user.username, email: next.user.email ?? "", roles: next.user.roles });
    if (next.mode === "reset") setDraft({ ...EMPTY, password: "one_time" });
  };

  const act = async (work: () => Promise<void>) => {
    setError(null);
    setShown(null);
    try {
      await work();
      setErrors({});
      await reload();
    } catch (e) {
      const err = toCommandError(e);
      if (err.kind === "validation") setErrors(fieldErrors(err, t));
      else setError(err);
    }
  };

  const password = () =>
    draft.password === "one_time" ? ({ kind: "one_time" } as const) : ({ kind: "set", password: draft.typed } as const);

  const save = (e: Event) => {
    e.preventDefault();
    if (editing.mode === "add")
      void act(async () => {
        const added = await backend.addUser({
          username: draft.username,
          name: draft.name,
          email: draft.email.trim() || undefined,
          roles: draft.roles,
          password: password(),
        });
        setShown({ added, kind: "added" });
        setEditing({ mode: "none" });
      });
    if (editing.mode === "edit")
      void act(async () => {
        const saved = await backend.updateUser(editing.user.id, {
          name: draft.name,
          email: draft.email.trim() || undefined,
          roles: draft.roles,
        });
        setStatus({ key: "users.saved", name: saved.name });
        setEditing({ mode: "none" });
      });
    if (editing.mode === "reset")
      void act(async () => {
        const added = await backend.resetPassword(editing.user.id, password());
        setShown({ added, kind: "reset" });
        setEditing({ mode: "none" });
      });
  };

  const setDisabled = (user: User, disabled: boolean) =>
    void act(async () => {
      const saved = await backend.setUserDisabled(user.id, disabled);
      setStatus({ key: disabled ? "users.disabledDone" : "users.enabledDone", name: saved.name });
      setEditing({ mode: "none" });
    });

  const sorted = [...(users ?? [])].sort(
    (a, b) => Number(a.disabled_at !== null) - Number(b.disabled_at !== null) || collator(lang).compare(a.name, b.name),
  );
  const roleNames = (roles: readonly Role[]) => roles.map((r) => t(`role.${r}` as MessageKey)).join(", ");

  const form = editing.mode === "add" || editing.mode === "edit" || editing.mode === "reset";
  return (
    <section class="users" aria-labelledby="settings-users-heading">
      <h3 id="settings-users-heading">{t("users.heading")}</h3>
      <p class="help">{t("users.help")}</p>
      {error && (
        <ErrorNotice
          error={error}
          t={t}
          text={error.kind === "conflict" || error.kind === "forbidden" ? t("users.refused") : undefined}
          onDismiss={() => setError(null)}
        />
      )}
      {shown && (
        <div class="notice notice-ok one-time" role="status" id="users-one-time">
          <p>
            {t(shown.kind === "added" ? "users.added" : "users.reset", { name: shown.added.user.name, username: shown.added.user.username })}
          </p>
          {shown.added.one_time_password && (
            <>
              <p>{t("users.oneTime.label")}</p>
              <p class="secret">
                <code id="users-one-time-password">{shown.added.one_time_password}</code>
              </p>
              <p class="help">{t("users.oneTime.help")}</p>
            </>
          )}
          <p class="help">{t("users.mustChange")}</p>
          <button type="button" class="link" onClick={() => setShown(null)}>
            {t("common.close")}
          </button>
        </div>
      )}
      <p class={status ? "notice notice-ok" : "sr-only"} role="status" id="users-status">
        {status ? t(status.key, { name: status.name }) : ""}
      </p>
      {users && (
        <table class="register-table users-table">
          <caption class="sr-only">{t("users.heading")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("users.col.name")}</th>
              <th scope="col">{t("user.username")}</th>
              <th scope="col">{t("users.col.roles")}</th>
              <th scope="col">{t("users.col.state")}</th>
              <th scope="col">
                <span class="sr-only">{t("users.col.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((u) => (
              <tr key={u.id} class={u.disabled_at ? "disabled" : undefined} data-username={u.username}>
                <td>
                  {u.name}
                  {u.id === me.id && <span class="badge">{t("users.you")}</span>}
                  {u.email && <small class="help">{u.email}</small>}
                </td>
                <td>{u.username}</td>
                <td>{roleNames(u.roles)}</td>
                <td>
                  {u.disabled_at
                    ? t("users.state.disabled", { when: formatInstant(u.disabled_at, lang) })
                    : u.must_change_password
                      ? t("users.state.mustChange")
                      : t("users.state.active")}
                </td>
                <td class="row-actions">
                  <button type="button" class="secondary" onClick={() => start({ mode: "edit", user: u })} aria-label={t("users.edit.for", { name: u.name })}>
                    {t("users.edit")}
                  </button>
                  {u.id !== me.id && !u.disabled_at && (
                    <button type="button" class="secondary" onClick={() => start({ mode: "reset", user: u })} aria-label={t("users.resetPassword.for", { name: u.name })}>
                      {t("users.resetPassword")}
                    </button>
                  )}
                  {u.id !== me.id &&
                    (u.disabled_at ? (
                      <button type="button" class="secondary" onClick={() => setDisabled(u, false)} aria-label={t("users.enable.for", { name: u.name })}>
                        {t("users.enable")}
                      </button>
                    ) : (
                      <button type="button" class="secondary" onClick={() => start({ mode: "disable", user: u })} aria-label={t("users.disable.for", { name: u.name })}>
                        {t("users.disable")}
                      </button>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing.mode === "disable" && (
        <div class="confirm" role="group" aria-labelledby="users-disable-heading">
          <h4 id="users-disable-heading">{t("users.disable.confirm", { name: editing.user.name })}</h4>
          <p class="help">{t("users.disable.explain")}</p>
          <div class="actions">
            <button type="button" class="danger" id="users-disable-confirm" onClick={() => setDisabled(editing.user, true)}>
              {t("users.disable")}
            </button>
            <button type="button" class="secondary" onClick={() => setEditing({ mode: "none" })}>
              {t("common.cancel")}
            </button>
          </div>
        </div>
      )}
      {!form && editing.mode !== "disable" && (
        <div class="actions">
          <button type="button" id="users-add" onClick={() => start({ mode: "add" })}>
            {t("users.add")}
          </button>
        </div>
      )}
      {form && (
        <form class="user-form" onSubmit={save} noValidate aria-labelledby="users-form-heading">
          <h4 id="users-form-heading">
            {editing.mode === "add"
              ? t("users.add")
              : editing.mode === "edit"
                ? t("users.edit.heading", { name: editing.user.name })
                : t("users.resetPassword.heading", { name: editing.user.name })}
          </h4>
          {editing.mode !== "reset" && (
            <>
              <Input id="users-name" label={t("user.name")} value={draft.name} error={errors["user.name"]} onInput={(name) => setDraft({ ...draft, name })} />
              {editing.mode === "add" && (
                <Input
                  id="users-username"
                  label={t("user.username")}
                  help={t("user.usernameHelp")}
                  value={draft.username}
                  error={errors["user.username"]}
                  autoComplete="off"
                  onInput={(username) => setDraft({ ...draft, username })}
                />
              )}
              <Input id="users-email" type="email" label={t("user.email")} value={draft.email} error={errors["user.email"]} onInput={(email) => setDraft({ ...draft, email })} />
              <Choices
                id="users-roles"
                legend={t("users.roles")}
                multiple
                choices={ROLES.map((r) => ({ value: r, label: t(`role.${r}` as MessageKey), help: t(`users.role.${r}.help` as MessageKey) }))}
                selected={draft.roles}
                error={errors["user.roles"]}
                onChange={(roles) => setDraft({ ...draft, roles })}
              />
            </>
          )}
          {editing.mode !== "edit" && (
            <>
              <Choices
                id="users-password-choice"
                legend={t("users.password")}
                choices={[
                  { value: "one_time", label: t("users.password.oneTime"), help: t("users.password.oneTime.help") },
                  { value: "set", label: t("users.password.set"), help: t("users.password.set.help") },
                ]}
                selected={[draft.password]}
                onChange={([password]) => setDraft({ ...draft, password: password ?? "one_time" })}
              />
              {draft.password === "set" && (
                <PasswordField
                  id="users-password"
                  label={t("user.password")}
                  help={t("user.passwordHelp")}
                  value={draft.typed}
                  error={errors["user.password"] ?? errors["password"]}
                  autoComplete="new-password"
                  onInput={(typed) => setDraft({ ...draft, typed })}
                />
              )}
            </>
          )}
          <div class="actions">
            <button type="submit" id="users-save">
              {editing.mode === "add" ? t("users.add.submit") : editing.mode === "edit" ? t("users.edit.submit") : t("users.resetPassword.submit")}
            </button>
            <button type="button" class="secondary" onClick={() => setEditing({ mode: "none" })}>
              {t("common.cancel")}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
