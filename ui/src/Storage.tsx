import { useCallback, useEffect, useState } from "preact/hooks";
import { type Backend, toCommandError } from "./api";
import type { BackupFile } from "./bindings/BackupFile";
import type { BackupReason } from "./bindings/BackupReason";
import type { CommandError } from "./bindings/CommandError";
import type { Problem } from "./bindings/Problem";
import type { StorageStatus } from "./bindings/StorageStatus";
import { ErrorNotice } from "./ErrorNotice";
import { CheckChoice, PasswordField } from "./TextField";
import { type Lang, type MessageKey, type Translate, formatInstant, formatNumber, problemKey, countText } from "./i18n";

/** How many of the newest backups the table shows. */
const SHOWN_BACKUPS = 5;

const REASON_KEYS: Record<BackupReason, MessageKey> = {
  scheduled: "storage.reason.scheduled",
  manual: "storage.reason.manual",
  before_restore: "storage.reason.before_restore",
  before_migration: "storage.reason.before_migration",
};

/** The folder part of a path, whichever separator the machine uses. */
const folderOf = (path: string) => path.replace(/[\\/][^\\/]*$/, "") || path;

/** An outcome announced where it happened (role=status), hidden while there is none. */
function Status({ id, text }: { id: string; text: string | null }) {
  return (
    <p id={id} class={text ? "notice notice-ok" : "sr-only"} role="status">
      {text ?? ""}
    </p>
  );
}

/**
 * The admin's view of the store as a whole: where it is, whether it is encrypted and
 * remembered, its backups, restoring one, and the passphrase. `onRestored` is called
 * after a restore, which signs everyone out.
 */
export function StorageSection({
  backend,
  lang,
  t,
  onRestored,
}: {
  backend: Backend;
  lang: Lang;
  t: Translate;
  onRestored: () => void;
}) {
  const [status, setStatus] = useState<StorageStatus | null>(null);
  const [loadError, setLoadError] = useState<CommandError | null>(null);
  // Kept here: saving the sheet ends the offer, but the path is still worth showing.
  const [sheetSaved, setSheetSaved] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      setStatus(await backend.storageStatus());
      setLoadError(null);
    } catch (e) {
      setLoadError(toCommandError(e));
    }
  }, [backend]);
  useEffect(() => void reload(), [reload]);

  return (
    <section class="storage" aria-labelledby="storage-heading">
      <h3 id="storage-heading">{t("storage.heading")}</h3>
      <p class="help">{t("storage.help")}</p>
      {loadError && <ErrorNotice error={loadError} t={t} onDismiss={() => setLoadError(null)} />}
      {status && (
        <>
          <Overview status={status} t={t} />
          <Backups backend={backend} lang={lang} t={t} backups={status.backups} reload={reload} />
          <Restore backend={backend} t={t} onRestored={onRestored} />
          {/* One form for both: after encrypting it stays, with its outcome, as the change form. */}
          <PassphraseForm
            backend={backend}
            t={t}
            encrypted={status.encrypted}
            keychain={status.keychain}
            reload={reload}
          />
          {status.recovery_sheet && (
            <RecoverySheet
              backend={backend}
              lang={lang}
              t={t}
              onSaved={(path) => {
                setSheetSaved(path);
                void reload();
              }}
              reload={reload}
            />
          )}
        </>
      )}
      <Status id="storage-recovery-status" text={sheetSaved && t("storage.recovery.saved", { path: sheetSaved })} />
    </section>
  );
}

/** Where the store is, whether it is encrypted, and whether the keychain holds its passphrase. */
function Overview({ status, t }: { status: StorageStatus; t: Translate }) {
  const keychain = !status.keychain
    ? t("storage.keychain.off")
    : !status.encrypted
      ? t("storage.keychain.unused")
      : status.remembered
        ? t("storage.keychain.remembered")
        : t("storage.keychain.notRemembered");
  return (
    <dl class="storage-overview">
      <dt>{t("storage.location")}</dt>
      <dd>
        <code id="storage-location">{status.location}</code>
      </dd>
      <dt>{t("storage.encryption")}</dt>
      <dd id="storage-encryption">
        {status.encrypted ? (
          t("storage.encrypted")
        ) : (
          <span class="warning">
            <strong>{t("storage.unencrypted")}</strong> {t("storage.unencrypted.help")}
          </span>
        )}
      </dd>
      <dt>{t("storage.keychain")}</dt>
      <dd id="storage-keychain">{keychain}</dd>
    </dl>
  );
}

/** The newest backups, and a copy made now. */
function Backups({
  backend,
  lang,
  t,
  backups,
  reload,
}: {
  backend: Backend;
  lang: Lang;
  t: Translate;
  backups: BackupFile[];
  reload: () => Promise<void>;
}) {
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const [busy, setBusy] = useState(false);
  const shown = backups.slice(0, SHOWN_BACKUPS);

  const backupNow = async () => {
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const made = await backend.backupNow();
      await reload();
      setSaved(made.path);
    } catch (e) {
      setError(toCommandError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="storage-part" role="group" aria-labelledby="storage-backups-heading">
      <h4 id="storage-backups-heading">{t("storage.backups")}</h4>
      <p class="help" id="storage-backups-help">
        {t("storage.backups.help")}
        {shown[0] && ` ${t("storage.backups.folder", { folder: folderOf(shown[0].path) })}`}
      </p>
      {shown.length === 0 ? (
        <p class="muted">{t("storage.backups.none")}</p>
      ) : (
        <table class="register-table storage-backups" aria-describedby="storage-backups-help">
          <caption class="sr-only">{t("storage.backups.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("storage.backups.at")}</th>
              <th scope="col">{t("storage.backups.reason")}</th>
              <th scope="col" class="number">
                {t("storage.backups.size")}
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((b) => (
              <tr key={b.path} title={b.path}>
                <td>{formatInstant(b.at, lang)}</td>
                <td>{t(REASON_KEYS[b.reason])}</td>
                <td class="number">{t("storage.backups.kb", { kb: formatNumber(Math.max(1, Math.round(b.bytes / 1024)), lang) })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {backups.length > shown.length && <p class="help">{countText(lang, "storage.backups.more", backups.length - shown.length)}</p>}
      {error && <ErrorNotice error={error} t={t} onDismiss={() => setError(null)} />}
      <div class="actions">
        <button type="button" class="secondary" id="backup-now" disabled={busy} onClick={() => void backupNow()}>
          {t("storage.backupNow")}
        </button>
      </div>
      <Status id="storage-backup-status" text={saved && t("storage.backupSaved", { path: saved })} />
    </div>
  );
}

/** Replaces the store with a backup the user picks; everyone is signed out after. */
function Restore({ backend, t, onRestored }: { backend: Backend; t: Translate; onRestored: () => void }) {
  const [passphrase, setPassphrase] = useState("");
  const [error, setError] = useState<CommandError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The core asks for a confirmation when the copy chosen is unencrypted.
  const [askPlain, setAskPlain] = useState(false);
  const [plain, setPlain] = useState(false);
  const plainAsked = (e: CommandError) =>
    e.kind === "validation" && (e.errors ?? []).some((f) => f.field === "restore.plain_confirmed");

  const restore = async () => {
    setBusy(true);
    setError(null);
    try {
      const restored = await backend.restoreBackup(passphrase || null, plain);
      if (!restored) return; // The user closed the file dialog.
      setPassphrase("");
      setDone(t("storage.restored", { cases: restored.cases }));
      onRestored();
    } catch (e) {
      const err = toCommandError(e);
      if (plainAsked(err)) setAskPlain(true);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="storage-part" role="group" aria-labelledby="storage-restore-heading">
      <h4 id="storage-restore-heading">{t("storage.restore")}</h4>
      <p class="warning" id="storage-restore-help">
        {t("storage.restore.help")}
      </p>
      <PasswordField
        id="restore-passphrase"
        label={t("storage.restore.passphrase")}
        help={t("storage.restore.passphrase.help")}
        value={passphrase}
        // A passphrase that does not open the backup is this field's problem.
        error={error?.kind === "locked" ? t("storage.restore.locked") : undefined}
        autoComplete="off"
        onInput={setPassphrase}
      />
      {askPlain && (
        <div class="field">
          <p class="warning" id="restore-plain-needed">
            {t("storage.restore.plain.needed")}
          </p>
          <CheckChoice
            id="restore-plain"
            checked={plain}
            onChange={setPlain}
            label={t("storage.restore.plain")}
            describedBy="restore-plain-needed"
          />
        </div>
      )}
      {error && <ErrorNotice error={error} t={t} onDismiss={() => setError(null)} />}
      <div class="actions">
        <button
          type="button"
          class="secondary"
          id="restore-backup"
          disabled={busy}
          aria-describedby="storage-restore-help"
          onClick={() => void restore()}
        >
          {t("storage.restore.submit")}
        </button>
      </div>
      <Status id="storage-restore-status" text={done} />
    </div>
  );
}

/** A new passphrase: changes the encrypted store's, or encrypts a store made without. */
function PassphraseForm({
  backend,
  t,
  encrypted,
  keychain,
  reload,
}: {
  backend: Backend;
  t: Translate;
  encrypted: boolean;
  keychain: boolean;
  reload: () => Promise<void>;
}) {
  const [passphrase, setPassphrase] = useState("");
  const [passphrase2, setPassphrase2] = useState("");
  const [remember, setRemember] = useState(true);
  const [mismatch, setMismatch] = useState(false);
  // The passphrase's problem and the outcome as keys: a switch of language redraws them.
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  const [error, setError] = useState<CommandError | null>(null);
  const [done, setDone] = useState<MessageKey | null>(null);
  const fieldError = problem && t(problemKey(problem), { field: t("storage.passphraseField") });
  const [keychainError, setKeychainError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const prefix = encrypted ? "change" : "encrypt";

  const submit = async (e: Event) => {
    e.preventDefault();
    setError(null);
    setProblem(undefined);
    setDone(null);
    setKeychainError(null);
    const differ = passphrase !== passphrase2;
    setMismatch(differ);
    if (differ) return;
    // Without a keychain on this machine there is nothing to remember it in.
    const keep = keychain && remember;
    setBusy(true);
    try {
      const outcome = encrypted ? await backend.changePassphrase(passphrase, keep) : await backend.encryptStore(passphrase, keep);
      setPassphrase("");
      setPassphrase2("");
      setKeychainError(outcome.keychain_error);
      setDone(encrypted ? "storage.changed" : "storage.encryptedNow");
      await reload();
    } catch (e) {
      const err = toCommandError(e);
      const invalid = err.kind === "validation" ? err.errors?.find((fe) => fe.field === "passphrase") : undefined;
      if (invalid) {
        // The core's rule, in words beside the field («Passfrasen (minst 12 tegn) må fylles ut.»).
        setProblem(invalid.problem);
        // Anything else it found has no field here: shown above the form, never swallowed.
        if (err.errors?.some((fe) => fe.field !== "passphrase")) setError(err);
      } else setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="storage-part" onSubmit={submit} noValidate aria-labelledby={`storage-${prefix}-heading`}>
      <h4 id={`storage-${prefix}-heading`}>{encrypted ? t("storage.change") : t("storage.encrypt")}</h4>
      <p class="help">{encrypted ? t("storage.change.help") : t("storage.encrypt.help")}</p>
      {error && <ErrorNotice error={error} t={t} onDismiss={() => setError(null)} />}
      <PasswordField
        id="new-passphrase"
        label={t("storage.newPassphrase")}
        help={t("setup.passphrase.help")}
        value={passphrase}
        error={fieldError}
        autoComplete="new-password"
        onInput={setPassphrase}
      />
      <PasswordField
        id="new-passphrase2"
        label={t("storage.newPassphrase2")}
        value={passphrase2}
        error={mismatch ? t("setup.passphraseMismatch") : undefined}
        autoComplete="new-password"
        onInput={setPassphrase2}
      />
      {keychain ? (
        <CheckChoice
          id="new-passphrase-remember"
          checked={remember}
          onChange={setRemember}
          label={t("setup.remember")}
          help={t("setup.remember.help")}
        />
      ) : (
        <p class="help">{t("storage.keychain.offAsk")}</p>
      )}
      <div class="actions">
        <button type="submit" id={encrypted ? "change-passphrase" : "encrypt-store"} disabled={busy}>
          {encrypted ? t("storage.change.submit") : t("storage.encrypt.submit")}
        </button>
      </div>
      <Status id="storage-passphrase-status" text={done && t(done)} />
      {keychainError && (
        <div class="warning" role="alert" id="storage-keychain-error">
          <p>{t("recovery.noKeychain")}</p>
          <details>
            <summary>{t("error.details")}</summary>
            <code>{keychainError}</code>
          </details>
        </div>
      )}
    </form>
  );
}

/** Saving the recovery sheet while the new passphrase is still in memory. */
function RecoverySheet({
  backend,
  lang,
  t,
  onSaved,
  reload,
}: {
  backend: Backend;
  lang: Lang;
  t: Translate;
  onSaved: (path: string) => void;
  reload: () => Promise<void>;
}) {
  const [error, setError] = useState<CommandError | null>(null);

  const save = async () => {
    setError(null);
    try {
      const path = await backend.saveRecoverySheet(lang);
      if (path) onSaved(path); // null: the user closed the save dialog.
    } catch (e) {
      setError(toCommandError(e));
    }
  };
  const finish = async () => {
    setError(null);
    try {
      await backend.dismissRecoverySheet();
      await reload();
    } catch (e) {
      setError(toCommandError(e));
    }
  };

  return (
    <div class="storage-part" role="group" aria-labelledby="storage-recovery-heading">
      <h4 id="storage-recovery-heading">{t("storage.recovery")}</h4>
      <p class="help">{t("storage.recovery.help")}</p>
      {error && <ErrorNotice error={error} t={t} onDismiss={() => setError(null)} />}
      <div class="actions">
        <button type="button" id="save-recovery" onClick={() => void save()}>
          {t("storage.recovery.save")}
        </button>
        <button type="button" class="secondary" id="dismiss-recovery" onClick={() => void finish()}>
          {t("recovery.done")}
        </button>
      </div>
    </div>
  );
}
