// The UI's only door to the back end. Components receive a `Backend`, so tests
// can pass a fake and the app passes the Tauri one. The operations of the register are
// generated from their declarations in Rust (`bindings/operations.ts`, crates/avvik-api):
// one IPC command carries them all. What only the desktop does (the first run, the
// store's file, the OS dialogs) is declared here.
import { invoke } from "@tauri-apps/api/core";
import { operations, type Operations } from "./bindings/operations";
import type { AppInfo } from "./bindings/AppInfo";
import type { AuthStatus } from "./bindings/AuthStatus";
import type { DemoInfo } from "./bindings/DemoInfo";
import type { Organisation } from "./bindings/Organisation";
import type { User } from "./bindings/User";
import type { UserInput } from "./bindings/UserInput";
import type { Attachment } from "./bindings/Attachment";
import type { DocumentKind } from "./bindings/DocumentKind";
import type { BackupFile } from "./bindings/BackupFile";
import type { EncryptionChoice } from "./bindings/EncryptionChoice";
import type { KeychainOutcome } from "./bindings/KeychainOutcome";
import type { Restored } from "./bindings/Restored";
import type { SetUpResult } from "./bindings/SetUpResult";
import type { StorageStatus } from "./bindings/StorageStatus";
import type { Verification } from "./bindings/Verification";
import type { CaseFilter } from "./bindings/CaseFilter";
import type { CommandError } from "./bindings/CommandError";
import type { ErrorKind } from "./bindings/ErrorKind";
import { ERROR_KINDS } from "./bindings/vocabulary";
import type { Lang } from "./bindings/Lang";

export interface Backend extends Operations {
  authStatus(): Promise<AuthStatus>;
  setUp(organisation: Organisation, user: UserInput, encryption: EncryptionChoice): Promise<SetUpResult>;
  /** Makes the demo company in its own store and opens it (first run only). */
  createDemo(): Promise<DemoInfo>;
  /** Closes and deletes the demo company; the real store (or the first run) follows. */
  removeDemo(): Promise<void>;
  /** Opens the encrypted store; `remember` keeps the passphrase in the OS keychain. */
  unlock(passphrase: string, remember: boolean): Promise<KeychainOutcome>;
  /** Saves the recovery sheet (only right after the passphrase is chosen); null when cancelled. */
  saveRecoverySheet(lang: Lang): Promise<string | null>;
  dismissRecoverySheet(): Promise<void>;
  storageStatus(): Promise<StorageStatus>;
  backupNow(): Promise<BackupFile>;
  /**
   * Picks a backup and restores it; null when cancelled. Everyone is signed out after.
   * `plainConfirmed`: the admin says the copy is unencrypted (asked for by the core with
   * a `restore.plain_confirmed` field error when the store is encrypted).
   */
  restoreBackup(passphrase: string | null, plainConfirmed: boolean): Promise<Restored | null>;
  changePassphrase(passphrase: string, remember: boolean): Promise<KeychainOutcome>;
  encryptStore(passphrase: string, remember: boolean): Promise<KeychainOutcome>;
  /**
   * Signs in; with `newPassword`, replaces the password in the same step (required when
   * an admin gave it: the error kind `password_change_required`).
   */
  signIn(username: string, password: string, staySignedIn?: boolean, newPassword?: string): Promise<User>;
  signOut(): Promise<void>;
  appInfo(): Promise<AppInfo>;
  addAttachment(caseKey: string, fileName: string, bytes: Uint8Array): Promise<Attachment>;
  /** Asks where to save; resolves to the path, or null when the user cancels. */
  saveAttachment(id: string): Promise<string | null>;
  exportRegister(filter: CaseFilter, format: "csv" | "json", lang: Lang): Promise<string | null>;
  /**
   * Saves a document where the user chooses (the notice: a filing's, or a preview when
   * `filing` is null); the path, or null when cancelled. The export joins the history.
   */
  exportDocument(document: DocumentKind, caseKey: string, filing: number | null, lang: Lang): Promise<string | null>;
  /** A document's pages as PNG data URLs, for the preview in the window (not an export). */
  previewDocument(document: DocumentKind, caseKey: string, filing: number | null, lang: Lang): Promise<string[]>;
  /** The history's hash chain checked end to end. */
  auditStatus(): Promise<Verification>;
  /** Saves a chart (an SVG drawing) where the user chooses; the path, or null when cancelled. */
  saveChart(name: string, svg: string): Promise<string | null>;
  /** Saves a chart drawn on a canvas as PNG (base64 or a data URL); the path, or null when cancelled. */
  saveChartPng(name: string, base64: string): Promise<string | null>;
  testSmtp(to: string): Promise<void>;
  /** Puts the text on the desktop's clipboard exactly (æøå and line breaks intact). */
  copyText(text: string): Promise<void>;
  /** What is typed is saved: the window closes to the tray, back at `screen` when reopened. */
  closeToTray(screen: string | null): Promise<void>;
  /** The screen the window showed when it was closed to the tray (once), or null. */
  resumeScreen(): Promise<string | null>;
}


export function isCommandError(e: unknown): e is CommandError {
  if (typeof e !== "object" || e === null) return false;
  const { kind, message } = e as Record<string, unknown>;
  return ERROR_KINDS.includes(kind as ErrorKind) && typeof message === "string";
}

/** Any rejection as a CommandError: the shell's own errors pass through, anything else is internal. */
export function toCommandError(e: unknown): CommandError {
  if (isCommandError(e)) return e;
  return { kind: "internal", message: e instanceof Error ? e.message : String(e) };
}

async function call<T>(cmd: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(cmd, args);
  } catch (e) {
    throw toCommandError(e);
  }
}

async function callRaw<T>(cmd: string, body: Uint8Array, headers: Record<string, string>): Promise<T> {
  try {
    return await invoke<T>(cmd, body, { headers });
  } catch (e) {
    throw toCommandError(e);
  }
}

export const tauriBackend: Backend = {
  // Every operation of the register: one IPC command, named, with its request.
  ...operations((operation, request) => call("operation", { name: operation, request })),
  authStatus: () => call("auth_status"),
  setUp: (organisation, user, encryption) => call("set_up", { organisation, user, encryption }),
  createDemo: () => call("create_demo"),
  removeDemo: () => call("remove_demo"),
  unlock: (passphrase, remember) => call("unlock", { passphrase, remember }),
  saveRecoverySheet: (lang) => call("save_recovery_sheet", { lang }),
  dismissRecoverySheet: () => call("dismiss_recovery_sheet"),
  storageStatus: () => call("storage_status"),
  backupNow: () => call("backup_now"),
  restoreBackup: (passphrase, plainConfirmed) =>
    call("restore_backup", { passphrase, plain_confirmed: plainConfirmed }),
  changePassphrase: (passphrase, remember) => call("change_passphrase", { passphrase, remember }),
  encryptStore: (passphrase, remember) => call("encrypt_store", { passphrase, remember }),
  signIn: (username, password, staySignedIn, newPassword) =>
    call("sign_in", { username, password, stay_signed_in: staySignedIn ?? false, new_password: newPassword ?? null }),
  signOut: () => call("sign_out"),
  appInfo: () => call("app_info"),
  // The file's bytes travel as the raw request body; the name is percent-encoded
  // because headers carry ASCII only.
  addAttachment: (caseKey, fileName, bytes) =>
    callRaw("add_attachment", bytes, { "x-case": caseKey, "x-file-name": encodeURIComponent(fileName) }),
  saveAttachment: (id) => call("save_attachment", { id }),
  exportRegister: (filter, format, lang) => call("export_register", { filter, format, lang }),
  exportDocument: (document, key, filing, lang) => call("export_document", { document, key, filing, lang }),
  previewDocument: (document, key, filing, lang) => call("preview_document", { document, key, filing, lang }),
  auditStatus: () => call("audit_status"),
  saveChart: (name, svg) => call("save_chart", { name, svg }),
  saveChartPng: (name, base64) => call("save_chart_png", { name, base64 }),
  testSmtp: (to) => call("test_smtp", { to }),
  copyText: (text) => call("copy_text", { text }),
  closeToTray: (screen) => call("close_to_tray", { screen }),
  resumeScreen: () => call("resume_screen"),
};
