// The UI's only door to the back end. Components receive a `Backend`, so tests
// can pass a fake and the app passes the Tauri one.
import { invoke } from "@tauri-apps/api/core";
import type { AppInfo } from "./bindings/AppInfo";
import type { AuthStatus } from "./bindings/AuthStatus";
import type { DemoInfo } from "./bindings/DemoInfo";
import type { InboxItem } from "./bindings/InboxItem";
import type { AssessmentInput } from "./bindings/AssessmentInput";
import type { AwareInput } from "./bindings/AwareInput";
import type { FilingInput } from "./bindings/FilingInput";
import type { DecisionInput } from "./bindings/DecisionInput";
import type { EnisaInput } from "./bindings/EnisaInput";
import type { EnisaPreview } from "./bindings/EnisaPreview";
import type { Handling } from "./bindings/Handling";
import type { MeasureInput } from "./bindings/MeasureInput";
import type { SmtpInput } from "./bindings/SmtpInput";
import type { SmtpSettings } from "./bindings/SmtpSettings";
import type { Organisation } from "./bindings/Organisation";
import type { RetentionStatus } from "./bindings/RetentionStatus";
import type { Anonymised } from "./bindings/Anonymised";
import type { User } from "./bindings/User";
import type { UserInput } from "./bindings/UserInput";
import type { Attachment } from "./bindings/Attachment";
import type { Case } from "./bindings/Case";
import type { CaseDocument } from "./bindings/CaseDocument";
import type { CaseEvent } from "./bindings/CaseEvent";
import type { DocumentKind } from "./bindings/DocumentKind";
import type { BackupFile } from "./bindings/BackupFile";
import type { EncryptionChoice } from "./bindings/EncryptionChoice";
import type { KeychainOutcome } from "./bindings/KeychainOutcome";
import type { Restored } from "./bindings/Restored";
import type { SetUpResult } from "./bindings/SetUpResult";
import type { StorageStatus } from "./bindings/StorageStatus";
import type { Verification } from "./bindings/Verification";
import type { Dashboard } from "./bindings/Dashboard";
import type { SubjectNoticeInput } from "./bindings/SubjectNoticeInput";
import type { CaseFilter } from "./bindings/CaseFilter";
import type { CasePage } from "./bindings/CasePage";
import type { CommandError } from "./bindings/CommandError";
import type { ErrorKind } from "./bindings/ErrorKind";
import { ERROR_KINDS } from "./bindings/vocabulary";
import type { IncidentType } from "./bindings/IncidentType";
import type { Lang } from "./bindings/Lang";
import type { LocalTime } from "./bindings/LocalTime";
import type { Preview } from "./bindings/Preview";
import type { Review } from "./bindings/Review";
import type { System } from "./bindings/System";
import type { SystemInput } from "./bindings/SystemInput";

export interface Backend {
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
  /** Picks a backup and restores it; null when cancelled. Everyone is signed out after. */
  restoreBackup(passphrase: string | null): Promise<Restored | null>;
  changePassphrase(passphrase: string, remember: boolean): Promise<KeychainOutcome>;
  encryptStore(passphrase: string, remember: boolean): Promise<KeychainOutcome>;
  signIn(username: string, password: string, staySignedIn?: boolean): Promise<User>;
  signOut(): Promise<void>;
  inbox(): Promise<InboxItem[]>;
  acknowledge(id: string): Promise<InboxItem>;
  appInfo(): Promise<AppInfo>;
  listCases(filter: CaseFilter): Promise<CasePage>;
  getCase(key: string): Promise<Case>;
  createDraft(document: CaseDocument): Promise<Case>;
  saveDraft(id: string, document: CaseDocument): Promise<Case>;
  submitCase(key: string): Promise<Case>;
  reviewDocument(document: CaseDocument): Promise<Review>;
  applyTemplate(document: CaseDocument, incidentType: IncidentType, lang: Lang): Promise<CaseDocument>;
  maskNationalIds(text: string): Promise<string>;
  resolveLocalTime(local: string): Promise<LocalTime>;
  listSystems(): Promise<System[]>;
  addSystem(input: SystemInput): Promise<System>;
  addAttachment(caseKey: string, fileName: string, bytes: Uint8Array): Promise<Attachment>;
  listAttachments(caseKey: string): Promise<Attachment[]>;
  attachmentPreview(id: string): Promise<Preview>;
  /** Asks where to save; resolves to the path, or null when the user cancels. */
  saveAttachment(id: string): Promise<string | null>;
  exportRegister(filter: CaseFilter, format: "csv" | "json", lang: Lang): Promise<string | null>;
  getHandling(caseKey: string): Promise<Handling>;
  saveAssessment(caseKey: string, assessment: AssessmentInput): Promise<Handling>;
  evaluateEnisa(input: EnisaInput): Promise<EnisaPreview>;
  recordDecision(caseKey: string, decision: DecisionInput): Promise<Handling>;
  addMeasure(caseKey: string, measure: MeasureInput): Promise<Handling>;
  updateMeasure(caseKey: string, number: number, measure: MeasureInput): Promise<Handling>;
  approveMeasures(caseKey: string): Promise<Handling>;
  setAwareness(caseKey: string, awareness: AwareInput): Promise<Handling>;
  correctCase(caseKey: string, document: CaseDocument, reason: string): Promise<Handling>;
  informSubjects(caseKey: string, round: SubjectNoticeInput): Promise<Handling>;
  /**
   * Saves a document where the user chooses (the notice: a filing's, or a preview when
   * `filing` is null); the path, or null when cancelled. The export joins the history.
   */
  exportDocument(document: DocumentKind, caseKey: string, filing: number | null, lang: Lang): Promise<string | null>;
  caseHistory(caseKey: string): Promise<CaseEvent[]>;
  /** The history's hash chain checked end to end. */
  auditStatus(): Promise<Verification>;
  /** The overview («Oversikt»): handlers, the DPO and admins. */
  dashboard(): Promise<Dashboard>;
  /** Saves a chart (an SVG drawing) where the user chooses; the path, or null when cancelled. */
  saveChart(name: string, svg: string): Promise<string | null>;
  /** Saves a chart drawn on a canvas as PNG (base64 or a data URL); the path, or null when cancelled. */
  saveChartPng(name: string, base64: string): Promise<string | null>;
  addFiling(caseKey: string, filing: FilingInput): Promise<Handling>;
  setFilingReceipt(caseKey: string, number: number, altinnReference: string | null, caseNumber: string | null): Promise<Handling>;
  closeCase(caseKey: string, lessonsLearned: string): Promise<Handling>;
  addComment(caseKey: string, text: string): Promise<Handling>;
  people(): Promise<User[]>;
  updateOrganisation(organisation: Organisation): Promise<Organisation>;
  retentionStatus(): Promise<RetentionStatus>;
  anonymiseCases(ids: string[]): Promise<Anonymised[]>;
  smtpSettings(): Promise<SmtpSettings | null>;
  saveSmtp(smtp: SmtpInput | null): Promise<SmtpSettings | null>;
  testSmtp(to: string): Promise<void>;
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
  authStatus: () => call("auth_status"),
  setUp: (organisation, user, encryption) => call("set_up", { organisation, user, encryption }),
  createDemo: () => call("create_demo"),
  removeDemo: () => call("remove_demo"),
  unlock: (passphrase, remember) => call("unlock", { passphrase, remember }),
  saveRecoverySheet: (lang) => call("save_recovery_sheet", { lang }),
  dismissRecoverySheet: () => call("dismiss_recovery_sheet"),
  storageStatus: () => call("storage_status"),
  backupNow: () => call("backup_now"),
  restoreBackup: (passphrase) => call("restore_backup", { passphrase }),
  changePassphrase: (passphrase, remember) => call("change_passphrase", { passphrase, remember }),
  encryptStore: (passphrase, remember) => call("encrypt_store", { passphrase, remember }),
  signIn: (username, password, staySignedIn) =>
    call("sign_in", { username, password, stay_signed_in: staySignedIn ?? false }),
  signOut: () => call("sign_out"),
  inbox: () => call("inbox"),
  acknowledge: (id) => call("acknowledge", { id }),
  appInfo: () => call("app_info"),
  listCases: (filter) => call("list_cases", { filter }),
  getCase: (key) => call("get_case", { key }),
  createDraft: (document) => call("create_draft", { document }),
  saveDraft: (id, document) => call("save_draft", { id, document }),
  submitCase: (key) => call("submit_case", { key }),
  reviewDocument: (document) => call("review_document", { document }),
  applyTemplate: (document, incidentType, lang) =>
    call("apply_template", { document, incident_type: incidentType, lang }),
  maskNationalIds: (text) => call("mask_national_ids", { text }),
  resolveLocalTime: (local) => call("resolve_local_time", { local }),
  listSystems: () => call("list_systems"),
  addSystem: (input) => call("add_system", { input }),
  // The file's bytes travel as the raw request body; the name is percent-encoded
  // because headers carry ASCII only.
  addAttachment: (caseKey, fileName, bytes) =>
    callRaw("add_attachment", bytes, { "x-case": caseKey, "x-file-name": encodeURIComponent(fileName) }),
  listAttachments: (key) => call("list_attachments", { key }),
  attachmentPreview: (id) => call("attachment_preview", { id }),
  saveAttachment: (id) => call("save_attachment", { id }),
  exportRegister: (filter, format, lang) => call("export_register", { filter, format, lang }),
  getHandling: (key) => call("get_handling", { key }),
  saveAssessment: (key, assessment) => call("save_assessment", { key, assessment }),
  evaluateEnisa: (input) => call("evaluate_enisa", { input }),
  recordDecision: (key, decision) => call("record_decision", { key, decision }),
  addMeasure: (key, measure) => call("add_measure", { key, measure }),
  updateMeasure: (key, number, measure) => call("update_measure", { key, number, measure }),
  approveMeasures: (key) => call("approve_measures", { key }),
  setAwareness: (key, awareness) => call("set_awareness", { key, awareness }),
  correctCase: (key, document, reason) => call("correct_case", { key, document, reason }),
  informSubjects: (key, round) => call("inform_subjects", { key, round }),
  exportDocument: (document, key, filing, lang) => call("export_document", { document, key, filing, lang }),
  caseHistory: (key) => call("case_history", { key }),
  auditStatus: () => call("audit_status"),
  dashboard: () => call("dashboard"),
  saveChart: (name, svg) => call("save_chart", { name, svg }),
  saveChartPng: (name, base64) => call("save_chart_png", { name, base64 }),
  addFiling: (key, filing) => call("add_filing", { key, filing }),
  setFilingReceipt: (key, number, altinnReference, caseNumber) =>
    call("set_filing_receipt", { key, number, altinn_reference: altinnReference, authority_case_number: caseNumber }),
  closeCase: (key, lessonsLearned) => call("close_case", { key, lessons_learned: lessonsLearned }),
  addComment: (key, text) => call("add_comment", { key, text }),
  people: () => call("people"),
  updateOrganisation: (organisation) => call("update_organisation", { organisation }),
  retentionStatus: () => call("retention_status"),
  anonymiseCases: (ids) => call("anonymise_cases", { ids }),
  smtpSettings: () => call("smtp_settings"),
  saveSmtp: (smtp) => call("save_smtp", { smtp }),
  testSmtp: (to) => call("test_smtp", { to }),
};
