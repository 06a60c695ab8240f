import { useEffect, useState } from "preact/hooks";
import type { Backend } from "./api";
import { toCommandError } from "./api";
import type { CommandError } from "./bindings/CommandError";
import type { Organisation } from "./bindings/Organisation";
import type { SmtpInput } from "./bindings/SmtpInput";
import type { SmtpSecurity } from "./bindings/SmtpSecurity";
import type { SmtpSettings } from "./bindings/SmtpSettings";
import type { User } from "./bindings/User";
import { REMINDER_POINTS } from "./bindings/vocabulary";
import { Choices } from "./Choices";
import { ErrorNotice, type FieldErrors, fieldErrors } from "./ErrorNotice";
import { type Lang, type MessageKey, type Translate, countText } from "./i18n";
import { StorageSection } from "./Storage";
import { RetentionSection } from "./Retention";
import { UsersSection } from "./Users";
import { Input } from "./TextField";


const SECURITIES: readonly SmtpSecurity[] = ["starttls", "tls", "none"];

/** The retention periods offered, in months (2, 3, 5, 10 and 20 years). */
const RETENTION_MONTHS: readonly number[] = [24, 36, 60, 120, 240];

/** The fields this page shows an error beside. */
const SHOWN = new Set([
  "org.name",
  "org.org_number",
  "org.address",
  "org.contact.name",
  "org.contact.email",
  "org.contact.phone",
  "org.retention_months",
  "org.altinn_submitter",
  "smtp.host",
  "smtp.security",
  "smtp.port",
  "smtp.password",
  "smtp.sender",
  "smtp.ca_certificate",
]);

/**
 * The admin's settings: the people who use Avvik, the organisation with its contact
 * point and general manager, e-mail, and the store (backups, restore, passphrase). `onRestored` is called after a
 * restore, which signs everyone out.
 */
export function Settings({
  backend,
  me,
  lang,
  t,
  onRestored,
}: {
  backend: Backend;
  /** The signed-in admin. */
  me: User;
  lang: Lang;
  t: Translate;
  onRestored?: () => void;
}) {
  const [org, setOrg] = useState<Organisation | null>(null);
  const [people, setPeople] = useState<User[]>([]);
  const [smtp, setSmtp] = useState<SmtpInput>({ host: "", security: "starttls", sender: "" });
  const [stored, setStored] = useState<SmtpSettings | null>(null);
  const [orgErrors, setOrgErrors] = useState<FieldErrors>({});
  const [smtpErrors, setSmtpErrors] = useState<FieldErrors>({});
  const [error, setError] = useState<CommandError | null>(null);
  // A key and its values, not finished text: the message follows a change of language.
  const [status, setStatus] = useState<{
    form: "org" | "smtp";
    key: MessageKey;
    values?: Record<string, string>;
  } | null>(null);
  const [testTo, setTestTo] = useState("");
  // The saved period: the retention list follows what is saved, not what is being typed.
  const [savedRetention, setSavedRetention] = useState<number | undefined>(undefined);

  useEffect(() => {
    void (async () => {
      try {
        const [auth, users, mail] = await Promise.all([backend.authStatus(), backend.people(), backend.smtpSettings()]);
        setOrg(auth.organisation);
        setSavedRetention(auth.organisation?.retention_months ?? undefined);
        setPeople(users);
        setStored(mail);
        if (mail)
          setSmtp({
            host: mail.host,
            port: mail.port,
            security: mail.security,
            ...(mail.username ? { username: mail.username } : {}),
            sender: mail.sender,
            ...(mail.ca_certificate ? { ca_certificate: mail.ca_certificate } : {}),
          });
      } catch (e) {
        setError(toCommandError(e));
      }
    })();
  }, [backend]);

  if (!org) return error ? <ErrorNotice error={error} t={t} /> : null;
  const contact = org.contact ?? { name: "" };
  const setContact = (patch: Partial<typeof contact>) => setOrg({ ...org, contact: { ...contact, ...patch } });

  const act = async (work: () => Promise<void>, setErrors: (e: FieldErrors) => void) => {
    setStatus(null);
    try {
      await work();
      setErrors({});
      setError(null);
    } catch (e) {
      const err = toCommandError(e);
      if (err.kind === "validation") setErrors(fieldErrors(err, t));
      // An error this page has no field for is shown at the top, never swallowed.
      if (err.kind !== "validation" || (err.errors ?? []).some((fe) => !SHOWN.has(fe.field))) setError(err);
    }
  };
  const saveOrg = (e: Event) => {
    e.preventDefault();
    const payload = { ...org, contact: contact.name || contact.email || contact.phone ? contact : undefined };
    void act(async () => {
      const saved = await backend.updateOrganisation(payload);
      setOrg(saved);
      setSavedRetention(saved.retention_months ?? undefined);
      setStatus({ form: "org", key: "settings.orgSaved" });
    }, setOrgErrors);
  };
  const saveSmtp = (e: Event) => {
    e.preventDefault();
    void act(async () => {
      const saved = await backend.saveSmtp(smtp);
      setStored(saved);
      setSmtp({ ...smtp, password: "" });
      setStatus({ form: "smtp", key: "settings.smtpSaved" });
    }, setSmtpErrors);
  };
  const removeSmtp = () =>
    void act(async () => {
      await backend.saveSmtp(null);
      setStored(null);
      setStatus({ form: "smtp", key: "settings.smtpRemoved" });
    }, setSmtpErrors);
  const sendTest = () =>
    void act(async () => {
      await backend.testSmtp(testTo);
      setStatus({ form: "smtp", key: "settings.testSent", values: { to: testTo } });
    }, setSmtpErrors);

  // The core takes only an active handler as the general manager.
  const handlers = people.filter((p) => p.roles.includes("handler") && p.disabled_at === null);
  return (
    <section class="card settings" aria-labelledby="settings-heading">
      <h2 id="settings-heading">{t("settings.heading")}</h2>
      {error && <ErrorNotice error={error} t={t} onDismiss={() => setError(null)} />}
      <UsersSection backend={backend} me={me} lang={lang} t={t} />
      <form onSubmit={saveOrg} noValidate aria-labelledby="settings-org-heading">
        <h3 id="settings-org-heading">{t("settings.org")}</h3>
        <Input id="org-name" label={t("setup.orgName")} value={org.name} error={orgErrors["org.name"]} onInput={(name) => setOrg({ ...org, name })} />
        <Input
          id="org-number"
          label={t("setup.orgNumber")}
          value={org.org_number}
          error={orgErrors["org.org_number"]}
          onInput={(org_number) => setOrg({ ...org, org_number })}
        />
        <Input id="org-address" label={t("settings.address")} value={org.address ?? ""} error={orgErrors["org.address"]} onInput={(address) => setOrg({ ...org, address })} />
        <Input
          id="org-altinn-submitter"
          label={t("settings.altinnSubmitter")}
          help={t("settings.altinnSubmitter.help")}
          value={org.altinn_submitter ?? ""}
          error={orgErrors["org.altinn_submitter"]}
          onInput={(altinn_submitter) => setOrg({ ...org, altinn_submitter })}
        />
        <label for="org-manager">{t("settings.generalManager")}</label>
        <select
          id="org-manager"
          value={org.general_manager ?? ""}
          onChange={(e) => setOrg({ ...org, general_manager: (e.currentTarget as HTMLSelectElement).value || undefined })}
        >
          <option value="">{t("settings.noGeneralManager")}</option>
          {handlers.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
        <Choices
          id="org-reminders"
          legend={t("settings.reminders")}
          help={t("settings.reminders.help")}
          multiple
          choices={REMINDER_POINTS.map((p) => ({ value: p, label: t(`reminder_point.${p}` as MessageKey) }))}
          selected={org.reminder_points ?? REMINDER_POINTS}
          onChange={(points) => setOrg({ ...org, reminder_points: points })}
        />
        <label for="org-retention">{t("settings.retention")}</label>
        <small id="org-retention-help">{t("settings.retention.help")}</small>
        <select
          id="org-retention"
          aria-describedby={orgErrors["org.retention_months"] ? "org-retention-help org-retention-error" : "org-retention-help"}
          aria-invalid={orgErrors["org.retention_months"] ? "true" : "false"}
          value={org.retention_months != null ? String(org.retention_months) : ""}
          onChange={(e) => {
            const v = (e.currentTarget as HTMLSelectElement).value;
            setOrg({ ...org, retention_months: v ? Number(v) : undefined });
          }}
        >
          <option value="">{t("settings.retention.forGood")}</option>
          {[...new Set([...RETENTION_MONTHS, ...(org.retention_months != null ? [org.retention_months] : [])])]
            .sort((a, b) => a - b)
            .map((m) => (
              <option key={m} value={String(m)}>
                {m % 12 === 0 ? countText(lang, "settings.retention.years", m / 12) : countText(lang, "settings.retention.months", m)}
              </option>
            ))}
        </select>
        {orgErrors["org.retention_months"] && (
          <p id="org-retention-error" class="field-error" role="alert">
            {orgErrors["org.retention_months"]}
          </p>
        )}
        <fieldset>
          <legend>{t("settings.contact")}</legend>
          <p class="help">{t("settings.contact.help")}</p>
          <Input id="contact-name" label={t("settings.contact.name")} value={contact.name} error={orgErrors["org.contact.name"]} onInput={(name) => setContact({ name })} />
          <Input id="contact-title" label={t("settings.contact.title")} value={contact.title ?? ""} onInput={(title) => setContact({ title })} />
          <Input id="contact-email" label={t("settings.contact.email")} value={contact.email ?? ""} error={orgErrors["org.contact.email"]} onInput={(email) => setContact({ email })} />
          <Input id="contact-phone" label={t("settings.contact.phone")} value={contact.phone ?? ""} error={orgErrors["org.contact.phone"]} onInput={(phone) => setContact({ phone })} />
        </fieldset>
        <button type="submit" id="save-org">
          {t("settings.saveOrg")}
        </button>
        <Status status={status} form="org" t={t} />
      </form>
      <form onSubmit={saveSmtp} noValidate aria-labelledby="settings-smtp-heading">
        <h3 id="settings-smtp-heading">{t("settings.smtp")}</h3>
        <p class="help">{t("settings.smtp.help")}</p>
        <Input id="smtp-host" label={t("field.smtp.host")} value={smtp.host} error={smtpErrors["smtp.host"]} onInput={(host) => setSmtp({ ...smtp, host })} />
        <label for="smtp-security">{t("field.smtp.security")}</label>
        <select
          id="smtp-security"
          value={smtp.security}
          aria-describedby={smtpErrors["smtp.security"] ? "smtp-security-error" : undefined}
          aria-invalid={smtpErrors["smtp.security"] ? "true" : "false"}
          onChange={(e) => setSmtp({ ...smtp, security: (e.currentTarget as HTMLSelectElement).value as SmtpSecurity })}
        >
          {SECURITIES.map((s) => (
            <option key={s} value={s}>
              {t(`smtp.security.${s}` as MessageKey)}
            </option>
          ))}
        </select>
        {smtpErrors["smtp.security"] && (
          <p id="smtp-security-error" class="field-error" role="alert">
            {smtpErrors["smtp.security"]}
          </p>
        )}
        <Input
          id="smtp-port"
          label={t("field.smtp.port")}
          help={t("settings.smtp.port.help")}
          value={smtp.port ? String(smtp.port) : ""}
          error={smtpErrors["smtp.port"]}
          onInput={(v) => setSmtp({ ...smtp, port: /^\d+$/.test(v) ? Number(v) : undefined })}
        />
        <Input id="smtp-username" label={t("field.smtp.username")} value={smtp.username ?? ""} onInput={(username) => setSmtp({ ...smtp, username })} />
        <Input
          id="smtp-password"
          type="password"
          label={t("field.smtp.password")}
          help={stored?.has_password ? t("settings.smtp.passwordKept") : undefined}
          value={smtp.password ?? ""}
          error={smtpErrors["smtp.password"]}
          onInput={(password) => setSmtp({ ...smtp, password })}
        />
        <Input id="smtp-sender" label={t("field.smtp.sender")} value={smtp.sender} error={smtpErrors["smtp.sender"]} onInput={(sender) => setSmtp({ ...smtp, sender })} />
        <div class="field">
          <label for="smtp-ca">{t("field.smtp.ca_certificate")}</label>
          <small id="smtp-ca-help">{t("settings.smtp.ca.help")}</small>
          <textarea
            id="smtp-ca"
            rows={3}
            value={smtp.ca_certificate ?? ""}
            aria-describedby={smtpErrors["smtp.ca_certificate"] ? "smtp-ca-help smtp-ca-error" : "smtp-ca-help"}
            aria-invalid={smtpErrors["smtp.ca_certificate"] ? "true" : "false"}
            onInput={(e) => setSmtp({ ...smtp, ca_certificate: (e.currentTarget as HTMLTextAreaElement).value })}
          />
          {smtpErrors["smtp.ca_certificate"] && (
            <p id="smtp-ca-error" class="field-error" role="alert">
              {smtpErrors["smtp.ca_certificate"]}
            </p>
          )}
        </div>
        <div class="actions">
          <button type="submit" id="save-smtp">
            {t("settings.saveSmtp")}
          </button>
          {stored && (
            <button type="button" class="secondary" onClick={removeSmtp}>
              {t("settings.removeSmtp")}
            </button>
          )}
        </div>
        {stored && (
          <div class="test-mail">
            <Input id="smtp-test-to" label={t("settings.testTo")} value={testTo} onInput={setTestTo} />
            <button type="button" class="secondary" id="smtp-test" onClick={sendTest}>
              {t("settings.sendTest")}
            </button>
          </div>
        )}
        <Status status={status} form="smtp" t={t} />
      </form>
      <RetentionSection backend={backend} lang={lang} t={t} months={savedRetention} />
      <StorageSection backend={backend} lang={lang} t={t} onRestored={onRestored ?? (() => {})} />
    </section>
  );
}

/** The outcome of a form's last action, announced and shown beside the form. */
function Status({
  status,
  form,
  t,
}: {
  status: { form: string; key: MessageKey; values?: Record<string, string> } | null;
  form: string;
  t: Translate;
}) {
  return (
    <p class={status?.form === form ? "notice notice-ok" : "sr-only"} role="status" id={`settings-${form}-status`}>
      {status?.form === form ? t(status.key, status.values) : ""}
    </p>
  );
}
