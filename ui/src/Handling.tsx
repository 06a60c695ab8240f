import { useEffect, useState } from "preact/hooks";
import type { Backend } from "./api";
import { toCommandError } from "./api";
import type { AssessmentInput } from "./bindings/AssessmentInput";
import type { AwareInput } from "./bindings/AwareInput";
import type { Channel } from "./bindings/Channel";
import type { FilingInput } from "./bindings/FilingInput";
import type { FilingKind } from "./bindings/FilingKind";
import type { Case } from "./bindings/Case";
import type { CommandError } from "./bindings/CommandError";
import type { DecisionInput } from "./bindings/DecisionInput";
import type { EnisaInput } from "./bindings/EnisaInput";
import type { EnisaPreview } from "./bindings/EnisaPreview";
import type { Handling } from "./bindings/Handling";
import type { Measure } from "./bindings/Measure";
import type { MeasureInput } from "./bindings/MeasureInput";
import type { MeasureKind } from "./bindings/MeasureKind";
import type { MeasureStatus } from "./bindings/MeasureStatus";
import type { User } from "./bindings/User";
import {
  ART34_GROUNDS,
  DPC_CATEGORIES,
  IDENTIFICATIONS,
  IMPACTS,
  LOSSES,
  MEASURE_KINDS,
  MEASURE_STATUSES,
  DESCRIPTION_MAX_CHARS,
  NOTE_MAX_CHARS,
  SEVERITIES,
  SUBJECT_CHANNELS,
  VERDICTS,
} from "./bindings/vocabulary";
import { Choices } from "./Choices";
import { Countdown } from "./Countdown";
import { DocumentsSection, HistorySection } from "./Documents";
import { ErrorNotice, useFieldErrors } from "./ErrorNotice";
import type { Change } from "./bindings/Change";
import type { Duty } from "./bindings/Duty";
import type { SubjectChannel } from "./bindings/SubjectChannel";
import type { SubjectNoticeInput } from "./bindings/SubjectNoticeInput";
import { type Lang, type MessageKey, type Translate, formatInstant, hasKey, countText } from "./i18n";
import { TextField } from "./TextField";
import { TimeField } from "./TimeField";
import { FilingGuidePanel } from "./FilingGuide";
import { DocumentPreview } from "./Preview";


const k = (key: string) => key as MessageKey;

/** A changed part of what is reported, in words: the form's question or the field's label. */
function changeLabel(path: string, t: Translate): string {
  const [section = "", field] = path.split(".");
  const key = section === "case" ? `q.${field}` : section === "awareness" ? `field.aware.${field}` : `field.${section}.${field}`;
  if (field && hasKey(key)) return t(key);
  return t(k(`change.${section}`)) + (field ? ` (${field})` : "");
}

/** The changes as a list of labels, in the core's order. */
export function Changes({ changes, t, id }: { changes: readonly Change[]; t: Translate; id?: string }) {
  return (
    <ul class="changes" id={id}>
      {changes.map((c) => (
        <li key={c.path}>{changeLabel(c.path, t)}</li>
      ))}
    </ul>
  );
}

/** A day (YYYY-MM-DD) as dd.mm.yyyy, and back; null when the text is not a day. */
export function dayToText(day: string): string {
  const [y, m, d] = day.split("-");
  return `${d}.${m}.${y}`;
}
export function textToDay(text: string): string | null {
  const m = /^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$/.exec(text);
  if (!m) return null;
  const [, d, mo, y] = m;
  const iso = `${y}-${mo!.padStart(2, "0")}-${d!.padStart(2, "0")}`;
  const date = new Date(`${iso}T12:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso ? null : iso;
}

/**
 * The general manager's side of a submitted case: what keeps it open, the assessment
 * with the ENISA presumption, the decisions, the measures and their approval, the
 * DPO's comments, and closing. The core decides who may do what; this only hides
 * what it would refuse.
 */
export function HandlingPanel({
  case: c,
  user,
  backend,
  lang,
  t,
  onChanged,
}: {
  case: Case;
  user: User;
  backend: Backend;
  lang: Lang;
  t: Translate;
  onChanged: () => void;
}) {
  const [handling, setHandling] = useState<Handling | null>(null);
  const [people, setPeople] = useState<User[]>([]);
  const [error, setError] = useState<CommandError | null>(null);
  const isHandler = user.roles.includes("handler");
  const mayComment = isHandler || user.roles.includes("dpo");
  // Counts exports, which add to the history without changing the handling.
  const [exports, setExports] = useState(0);

  useEffect(() => {
    let live = true;
    backend.getHandling(c.id).then(
      (h) => live && setHandling(h),
      (e) => live && setError(toCommandError(e)),
    );
    if (isHandler) backend.people().then((p) => live && setPeople(p), () => {});
    // The clock's state is the core's: asked for again every minute.
    const refresh = setInterval(
      () => backend.getHandling(c.id).then((h) => live && setHandling(h), () => {}),
      60_000,
    );
    return () => {
      live = false;
      clearInterval(refresh);
    };
  }, [c.id, backend, isHandler]);

  if (!handling) return error ? <ErrorNotice error={error} t={t} /> : null;
  const closed = handling.status === "closed";

  /** Runs a change; the new handling replaces the old, and errors stay by the form. */
  /**
   * Runs a change; the new handling replaces the old. A validation error goes back to
   * the form, which shows it at its fields; with `noFields` (a change made without a
   * form) every error is shown at the top.
   */
  const run = async (work: () => Promise<Handling>, noFields = false): Promise<CommandError | null> => {
    try {
      setHandling(await work());
      setError(null);
      onChanged();
      return null;
    } catch (e) {
      const err = toCommandError(e);
      if (noFields || err.kind !== "validation") setError(err);
      return err;
    }
  };

  return (
    <section class="handling" aria-labelledby="handling-heading">
      <h3 id="handling-heading">{t("handling.heading")}</h3>
      {error && <ErrorNotice error={error} t={t} onDismiss={() => setError(null)} />}
      {handling.clock && <Countdown clock={handling.clock} lang={lang} t={t} />}
      {/* The next step first: what keeps the case open, then the sections in the order of the work. */}
      <Blockers handling={handling} t={t} />
      {handling.duties.length > 0 && <Duties duties={handling.duties} lang={lang} t={t} />}
      {handling.awareness && (
        <AwarenessSection
          handling={handling}
          editable={isHandler && !closed}
          backend={backend}
          caseKey={c.id}
          lang={lang}
          t={t}
          run={run}
        />
      )}
      <AssessmentSection
        handling={handling}
        case={c}
        editable={isHandler && !closed}
        backend={backend}
        lang={lang}
        t={t}
        run={run}
      />
      {handling.assessment && (
        <DecisionSection handling={handling} editable={isHandler && !closed} lang={lang} t={t} run={run} caseKey={c.id} backend={backend} />
      )}
      {(handling.filings.length > 0 || (isHandler && !closed && handling.decision?.decision.notify_authority !== false)) && (
        <FilingsSection
          handling={handling}
          editable={isHandler && !closed}
          backend={backend}
          caseKey={c.id}
          lang={lang}
          t={t}
          run={run}
        />
      )}
      {(handling.subject_notices.length > 0 || (isHandler && !closed && handling.decision?.decision.inform_subjects === true)) && (
        <SubjectsSection
          handling={handling}
          editable={isHandler && !closed}
          backend={backend}
          caseKey={c.id}
          lang={lang}
          t={t}
          run={run}
        />
      )}
      <MeasuresSection
        handling={handling}
        reporter={c.created_by}
        user={user}
        people={people}
        isHandler={isHandler}
        backend={backend}
        caseKey={c.id}
        lang={lang}
        t={t}
        run={run}
      />
      <CommentsSection handling={handling} mayComment={mayComment} backend={backend} caseKey={c.id} lang={lang} t={t} run={run} />
      <CloseSection handling={handling} isHandler={isHandler} backend={backend} caseKey={c.id} lang={lang} t={t} run={run} />
      {mayComment && (
        <>
          <DocumentsSection caseKey={c.id} backend={backend} lang={lang} t={t} onExported={() => setExports((n) => n + 1)} />
          <HistorySection caseKey={c.id} backend={backend} handling={handling} version={exports} lang={lang} t={t} />
        </>
      )}
    </section>
  );
}

type Run = (work: () => Promise<Handling>, noFields?: boolean) => Promise<CommandError | null>;

/** What a section of the panel gets: the handling, whether this user may change it, and how. */
interface SectionProps {
  handling: Handling;
  editable: boolean;
  backend: Backend;
  caseKey: string;
  lang: Lang;
  t: Translate;
  run: Run;
}

/**
 * When the company became aware: the report by default; the handler may record an
 * earlier moment with a reason (and a processor's times). The core checks it.
 */
function AwarenessSection({
  handling,
  editable,
  backend,
  caseKey,
  lang,
  t,
  run,
}: SectionProps) {
  const a = handling.awareness!;
  const [editing, setEditing] = useState(false);
  const [input, setInput] = useState<AwareInput>({ aware_at: a.aware_at });
  const [errors, setErrors] = useFieldErrors(t, input);
  const start = () => {
    setInput({
      aware_at: a.aware_at,
      ...(a.reason ? { reason: a.reason } : {}),
      ...(a.processor_aware_at ? { processor_aware_at: a.processor_aware_at } : {}),
      ...(a.processor_notified_at ? { processor_notified_at: a.processor_notified_at } : {}),
    });
    setEditing(true);
  };
  const save = async (e: Event) => {
    e.preventDefault();
    const err = await run(() => backend.setAwareness(caseKey, input));
    setErrors(err);
    if (!err) setEditing(false);
  };
  // The moment the report gives is confirmed as it stands (the processor's times kept).
  const confirm = () =>
    void run(
      () =>
        backend.setAwareness(caseKey, {
          aware_at: a.aware_at,
          ...(a.processor_aware_at ? { processor_aware_at: a.processor_aware_at } : {}),
          ...(a.processor_notified_at ? { processor_notified_at: a.processor_notified_at } : {}),
        }),
      true,
    );
  const time = formatInstant(a.aware_at, lang);
  return (
    <section class={a.to_confirm ? "awareness to-confirm" : "awareness"} aria-labelledby="awareness-heading">
      <h4 id="awareness-heading">{t("aware.heading")}</h4>
      <p id="awareness-summary">
        {a.to_confirm
          ? t("aware.proposed", { time })
          : a.set && a.reason
            ? t("aware.set", { time, name: a.set.by.name, reason: a.reason })
            : a.set
              ? t("aware.confirmed", { time, name: a.set.by.name })
              : t("aware.default", { time })}
      </p>
      {editable && !editing && (
        <div class="actions">
          {a.to_confirm && (
            <button type="button" id="awareness-confirm" onClick={confirm}>
              {t("aware.confirm", { time })}
            </button>
          )}
          <button type="button" class="secondary" id="awareness-edit" onClick={start}>
            {a.to_confirm ? t("aware.other") : t("aware.edit")}
          </button>
        </div>
      )}
      {editing && (
        <form onSubmit={save} noValidate>
          <p class="help">{t("aware.help")}</p>
          <TimeField
            id="aware-at"
            label={t("field.aware.aware_at")}
            value={input.aware_at}
            error={errors["aware.aware_at"]}
            onChange={(v) => v && setInput({ ...input, aware_at: v })}
            backend={backend}
            t={t}
          />
          <Note
            id="aware-reason"
            label={t("field.aware.reason")}
            help={t("aware.reason.help")}
            value={input.reason}
            error={errors["aware.reason"]}
            onInput={(reason) => setInput({ ...input, reason })}
            lang={lang}
            t={t}
          />
          {(["processor_aware_at", "processor_notified_at"] as const).map((field) => (
            <TimeField
              key={field}
              id={`aware-${field}`}
              label={t(k(`field.aware.${field}`))}
              value={input[field]}
              error={errors[`aware.${field}`]}
              onChange={(v) => setInput({ ...input, [field]: v })}
              backend={backend}
              t={t}
            />
          ))}
          <div class="actions">
            <button type="submit" id="save-awareness">
              {t("aware.save")}
            </button>
            <button type="button" class="secondary" onClick={() => setEditing(false)}>
              {t("common.cancel")}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

const FILING_KINDS: readonly FilingKind[] = ["preliminary", "follow_up", "complete", "withdrawal"];
const CHANNELS: readonly Channel[] = ["altinn", "email", "post"];

/** The filings to Datatilsynet, append-only, and the form that records the next one. */
function FilingsSection({
  handling,
  editable,
  backend,
  caseKey,
  lang,
  t,
  run,
}: SectionProps) {
  const first = handling.filings.length === 0;
  const [input, setInput] = useState<FilingInput>({ kind: first ? "preliminary" : "follow_up", channel: "altinn" });
  const [errors, setErrors] = useFieldErrors(t, input);
  const [receipts, setReceipts] = useState<Record<number, { ar: string; no: string }>>({});
  // Errors about the filing as a whole (its kind, its time): shown below its kind and channel,
  // and tied to the kind.
  const filingErrors = Object.entries(errors).filter(
    ([field]) => !["filing.delay_reason", "filing.withdrawal_reason", "filing.filed_at"].includes(field),
  );
  const withdrawn = handling.filings.some((f) => f.kind === "withdrawal");
  const overdue = first && handling.clock !== null && handling.clock.seconds_left < 0;
  // Recording a filing is irreversible: the first press shows what will be frozen and
  // asks for the time it was actually sent; the second records it.
  const [confirming, setConfirming] = useState(false);
  const [guiding, setGuiding] = useState(false);
  const [previewing, setPreviewing] = useState(false);
  const [recorded, setRecorded] = useState<number | null>(null);
  const save = async (e: Event) => {
    e.preventDefault();
    if (!confirming) {
      setConfirming(true);
      setRecorded(null);
      setSaved(null);
      return;
    }
    const err = await run(() => backend.addFiling(caseKey, input));
    setErrors(err);
    if (!err) {
      setConfirming(false);
      setRecorded(handling.filings.length + 1);
      setSaved(null);
      setInput({ kind: "follow_up", channel: input.channel });
    }
  };
  // Where the PDF was saved (the sentence is drawn in the current language).
  const [saved, setSaved] = useState<string | null>(null);
  const [receiptSaved, setReceiptSaved] = useState<number | null>(null);
  const exportNotice = async (filing: number | null) => {
    setSaved(null);
    let path: string | null = null;
    const err = await run(async () => {
      path = await backend.exportDocument("notice", caseKey, filing, lang);
      // The export joined the history: a fresh handling makes the history reload.
      return path ? backend.getHandling(caseKey) : handling;
    }, true);
    if (!err && path) setSaved(path);
  };
  const saveReceipt = async (number: number) => {
    const r = receipts[number];
    if (!r) return;
    setReceiptSaved(null);
    const err = await run(() => backend.setFilingReceipt(caseKey, number, r.ar.trim() || null, r.no.trim() || null), true);
    if (!err) {
      setReceiptSaved(number);
      setReceipts({ ...receipts, [number]: { ar: "", no: "" } });
    }
  };
  return (
    <section class="filings" aria-labelledby="filings-heading">
      <h4 id="filings-heading">{t("filings.heading")}</h4>
      {saved && (
        <p class="notice notice-ok" role="status" id="notice-saved">
          {t("filings.pdfSaved", { path: saved })}
        </p>
      )}
      {recorded !== null && (
        <p class="notice notice-ok" role="status" id="filing-recorded">
          {t("filings.recorded", { number: recorded })}
        </p>
      )}
      {receiptSaved !== null && (
        <p class="notice notice-ok" role="status" id="receipt-saved">
          {t("filings.receiptSaved", { number: receiptSaved })}
        </p>
      )}
      {handling.filings.length === 0 ? (
        <p>{t("filings.none")}</p>
      ) : (
        <table id="filings-table">
          <thead>
            <tr>
              <th scope="col">{t("filings.col.number")}</th>
              <th scope="col">{t("filings.col.kind")}</th>
              <th scope="col">{t("filings.col.channel")}</th>
              <th scope="col">{t("filings.col.filed")}</th>
              <th scope="col">{t("filings.receipt")}</th>
            </tr>
          </thead>
          <tbody>
            {handling.filings.map((f) => (
              <tr key={f.id}>
                <td>{f.number}</td>
                <td>
                  {f.follow_up ? t("filings.followUp", { number: f.follow_up }) : t(k(`filing_kind.${f.kind}`))}
                  {f.late && <span class="badge warn">{t("filings.late")}</span>}
                  {(f.delay_reason ?? f.withdrawal_reason) && <small class="help"> ({f.delay_reason ?? f.withdrawal_reason})</small>}
                  {f.number > 1 && (
                    <details class="filing-changes">
                      <summary>
                        {f.changes.length === 0
                          ? t("filings.noChanges")
                          : countText(lang, "filings.changes", f.changes.length, { previous: f.number - 1 })}
                      </summary>
                      <Changes changes={f.changes} t={t} />
                    </details>
                  )}
                </td>
                <td>{t(k(`channel.${f.channel}`))}</td>
                <td>
                  {formatInstant(f.filed_at, lang)}
                  <small class="help filing-recorded-by">
                    {f.stamp.at === f.filed_at
                      ? t("filings.recordedBy", { name: f.stamp.by.name })
                      : t("filings.recordedLater", { name: f.stamp.by.name, time: formatInstant(f.stamp.at, lang) })}
                  </small>
                  <div>
                    <button type="button" class="link" id={`notice-pdf-${f.number}`} onClick={() => void exportNotice(f.number)}>
                      {t("filings.pdf")}
                    </button>
                  </div>
                </td>
                <td>
                  {f.altinn_reference && <div>{f.altinn_reference}</div>}
                  {f.authority_case_number && <div>{f.authority_case_number}</div>}
                  {editable && (!f.altinn_reference || !f.authority_case_number) && (
                    <div class="receipt">
                      {!f.altinn_reference && (
                        <label class="receipt-field">
                          <span>{t("filings.receipt")}</span>
                          <input
                            id={`receipt-ar-${f.number}`}
                            placeholder="AR…"
                            value={receipts[f.number]?.ar ?? ""}
                            onInput={(e) =>
                              setReceipts({ ...receipts, [f.number]: { no: receipts[f.number]?.no ?? "", ar: (e.currentTarget as HTMLInputElement).value } })
                            }
                          />
                        </label>
                      )}
                      {!f.authority_case_number && (
                        <label class="receipt-field">
                          <span>{t("filings.caseNumber")}</span>
                          <input
                            id={`receipt-no-${f.number}`}
                            value={receipts[f.number]?.no ?? ""}
                            onInput={(e) =>
                              setReceipts({ ...receipts, [f.number]: { ar: receipts[f.number]?.ar ?? "", no: (e.currentTarget as HTMLInputElement).value } })
                            }
                          />
                        </label>
                      )}
                      <button
                        type="button"
                        class="secondary"
                        id={`receipt-save-${f.number}`}
                        aria-label={t("filings.saveReceipt.for", { number: f.number })}
                        onClick={() => void saveReceipt(f.number)}
                      >
                        {t("filings.saveReceipt")}
                      </button>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editable && !withdrawn && !guiding && (
        <div class="actions">
          <button type="button" class="secondary" id="filing-guide-open" onClick={() => setGuiding(true)}>
            {t("guide.open")}
          </button>
        </div>
      )}
      {previewing && (
        <DocumentPreview
          backend={backend}
          document="notice"
          caseKey={caseKey}
          filing={null}
          lang={lang}
          t={t}
          onSave={() => void exportNotice(null)}
          onClose={() => setPreviewing(false)}
        />
      )}
      {editable && guiding && <FilingGuidePanel backend={backend} caseKey={caseKey} lang={lang} t={t} onClose={() => setGuiding(false)} />}
      {editable && !withdrawn && (
        <form class="new-filing" onSubmit={save} noValidate>
          <p class="help">{t("filings.intro")}</p>
          {!first && (
            <div class="unfiled-changes" id="unfiled-changes">
              {handling.unfiled_changes.length === 0 ? (
                <p>{t("filings.unfiledNone", { number: handling.filings.length })}</p>
              ) : (
                <>
                  <p>{t("filings.unfiled", { number: handling.filings.length })}</p>
                  <Changes changes={handling.unfiled_changes} t={t} />
                </>
              )}
            </div>
          )}
          <label for="filing-kind">{t("field.filing.kind")}</label>
          <select
            id="filing-kind"
            value={input.kind}
            aria-invalid={filingErrors.length > 0 ? "true" : "false"}
            aria-describedby={filingErrors.map(([field]) => `${field.replace(/\W/g, "-")}-error`).join(" ") || undefined}
            onChange={(e) => setInput({ ...input, kind: (e.currentTarget as HTMLSelectElement).value as FilingKind })}
          >
            {FILING_KINDS.filter((f) => !first || f === "preliminary" || f === "complete").map((f) => (
              <option key={f} value={f}>
                {t(k(`filing_kind.${f}`))}
              </option>
            ))}
          </select>
          <label for="filing-channel">{t("field.filing.channel")}</label>
          <select
            id="filing-channel"
            value={input.channel}
            onChange={(e) => setInput({ ...input, channel: (e.currentTarget as HTMLSelectElement).value as Channel })}
          >
            {CHANNELS.map((c) => (
              <option key={c} value={c}>
                {t(k(`channel.${c}`))}
              </option>
            ))}
          </select>
          {filingErrors.map(([field, message]) => (
            <p key={field} id={`${field.replace(/\W/g, "-")}-error`} class="field-error" role="alert">
              {message}
            </p>
          ))}
          {(overdue || errors["filing.delay_reason"]) && (
            <Note
              id="filing-delay_reason"
              label={t("field.filing.delay_reason")}
              help={t("filing.delay_reason.help")}
              value={input.delay_reason}
              error={errors["filing.delay_reason"]}
              onInput={(delay_reason) => setInput({ ...input, delay_reason })}
              lang={lang}
              t={t}
            />
          )}
          {input.kind === "withdrawal" && (
            <Note
              id="filing-withdrawal_reason"
              label={t("field.filing.withdrawal_reason")}
              help={t("filing.withdrawal_reason.help")}
              value={input.withdrawal_reason}
              error={errors["filing.withdrawal_reason"]}
              onInput={(withdrawal_reason) => setInput({ ...input, withdrawal_reason })}
              lang={lang}
              t={t}
            />
          )}
          {confirming && (
            <div class="confirm" id="filing-confirm" role="group" aria-labelledby="filing-confirm-heading">
              <h5 id="filing-confirm-heading">{t("filings.confirm.heading", { kind: t(k(`filing_kind.${input.kind}`)).toLocaleLowerCase(lang === "nb" ? "nb-NO" : "en-GB") })}</h5>
              <p>{t("filings.confirm.frozen")}</p>
              <TimeField
                id="filing-filed_at"
                label={t("field.filing.filed_at")}
                help={t("filing.filed_at.help")}
                value={input.filed_at}
                error={errors["filing.filed_at"]}
                onChange={(filed_at) => setInput({ ...input, filed_at })}
                backend={backend}
                t={t}
              />
            </div>
          )}
          <div class="actions">
            <button type="button" class="secondary" id="preview-notice" onClick={() => setPreviewing(true)}>
              {t("filings.preview")}
            </button>
            <button type="submit" id={confirming ? "confirm-filing" : "add-filing"}>
              {confirming ? t("filings.confirm.submit") : t("filings.add")}
            </button>
            {confirming && (
              <button type="button" class="secondary" onClick={() => setConfirming(false)}>
                {t("common.cancel")}
              </button>
            )}
          </div>
        </form>
      )}
    </section>
  );
}

/**
 * The duties beside the clock: Datatilsynet's deadline, and the duties that have none
 * but «without undue delay» (the people affected, a processor's notice).
 */
function Duties({ duties, lang, t }: { duties: readonly Duty[]; lang: Lang; t: Translate }) {
  return (
    <ul class="duties" id="duties" aria-label={t("duties.heading")}>
      {duties.map((d) => (
        <li key={d.kind} id={`duty-${d.kind}`} class={`duty duty-${d.state}`}>
          <strong>{t(k(`duty.${d.kind}`))}</strong>{" "}
          <span class="duty-due">
            {d.deadline ? t("duties.deadline", { time: formatInstant(d.deadline, lang) }) : t("duties.undueDelay")}
          </span>
          {" · "}
          <span class="duty-state">
            {d.state === "done" && d.done_at
              ? t(k(`duty.done.${d.kind}`), { time: formatInstant(d.done_at, lang) })
              : t(k(`duty.state.${d.state}`))}
            {d.all_reached === false && ` · ${t("duties.notAllReached")}`}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Informing the people affected (art. 34): each round as it went out; append-only. */
function SubjectsSection({
  handling,
  editable,
  backend,
  caseKey,
  lang,
  t,
  run,
}: SectionProps) {
  const empty: SubjectNoticeInput = { channel: "letter", all_reached: true };
  const [input, setInput] = useState<SubjectNoticeInput>(empty);
  const [errors, setErrors] = useFieldErrors(t, input);
  const save = async (e: Event) => {
    e.preventDefault();
    const err = await run(() => backend.informSubjects(caseKey, input));
    setErrors(err);
    if (!err) setInput(empty);
  };
  return (
    <section class="subjects" aria-labelledby="subjects-heading">
      <h4 id="subjects-heading">{t("subjects.heading")}</h4>
      {handling.subject_notices.length === 0 ? (
        <p>{t("subjects.none")}</p>
      ) : (
        <ol id="subject-notices">
          {handling.subject_notices.map((n) => (
            <li key={n.number}>
              <p>
                <strong>{formatInstant(n.sent_at, lang)}</strong> · {t(k(`subject_channel.${n.channel}`))}
                {n.recipients !== null && ` · ${countText(lang, "subjects.recipients", n.recipients)}`} ·{" "}
                {n.all_reached ? t("subjects.allReached") : t("subjects.notAllReached", { reason: n.not_reached_reason ?? "" })}
              </p>
              <details>
                <summary>{t("subjects.textSent")}</summary>
                <p class="prose">{n.text}</p>
              </details>
              <Stamped stamp={n.stamp} lang={lang} t={t} label="subjects.stamp" />
            </li>
          ))}
        </ol>
      )}
      {editable && (
        <form class="new-subjects" onSubmit={save} noValidate>
          <p class="help">{t("subjects.intro")}</p>
          <TimeField
            id="subjects-sent-at"
            label={t("field.subjects.sent_at")}
            value={input.sent_at}
            error={errors["subjects.sent_at"]}
            onChange={(v) => setInput({ ...input, sent_at: v ?? undefined })}
            backend={backend}
            t={t}
          />
          <label for="subjects-channel">{t("field.subjects.channel")}</label>
          <select
            id="subjects-channel"
            value={input.channel}
            onChange={(e) => setInput({ ...input, channel: (e.currentTarget as HTMLSelectElement).value as SubjectChannel })}
          >
            {SUBJECT_CHANNELS.map((c: SubjectChannel) => (
              <option key={c} value={c}>
                {t(k(`subject_channel.${c}`))}
              </option>
            ))}
          </select>
          <label for="subjects-recipients">{t("field.subjects.recipients")}</label>
          <input
            id="subjects-recipients"
            type="number"
            min={0}
            inputMode="numeric"
            value={input.recipients ?? ""}
            onInput={(e) => {
              const v = (e.currentTarget as HTMLInputElement).value;
              setInput({ ...input, recipients: v === "" ? undefined : Math.max(0, Math.trunc(Number(v))) });
            }}
          />
          <TextField
            id="subjects-text"
            label={t("field.subjects.text")}
            help={t("subjects.text.help")}
            value={input.text ?? ""}
            max={DESCRIPTION_MAX_CHARS}
            required
            multiline
            error={errors["subjects.text"]}
            onInput={(text) => setInput({ ...input, text })}
            lang={lang}
            t={t}
          />
          <YesNo
            id="subjects-all-reached"
            legend={t("field.subjects.all_reached")}
            value={input.all_reached}
            t={t}
            onChange={(all_reached) => setInput({ ...input, all_reached })}
          />
          {!input.all_reached && (
            <Note
              id="subjects-not-reached-reason"
              label={t("field.subjects.not_reached_reason")}
              help={t("subjects.notReached.help")}
              value={input.not_reached_reason}
              error={errors["subjects.not_reached_reason"]}
              onInput={(not_reached_reason) => setInput({ ...input, not_reached_reason })}
              lang={lang}
              t={t}
            />
          )}
          <div class="actions">
            <button type="submit" id="add-subjects">
              {t("subjects.add")}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function Blockers({ handling, t }: { handling: Handling; t: Translate }) {
  if (handling.status === "closed") return null;
  if (handling.blockers.length === 0)
    return (
      <p class="notice notice-ok" id="handling-ready">
        {t("handling.readyToClose")}
      </p>
    );
  return (
    <div class="notice blockers" id="handling-blockers">
      <p>{t("handling.blockers")}</p>
      <ul>
        {handling.blockers.map((b) => (
          <li key={JSON.stringify(b)}>
            {b.kind === "open_measure" ? t("blocker.open_measure", { number: b.number }) : t(k(`blocker.${b.kind}`))}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Stamped({ stamp, lang, t, label }: { stamp: { by: { name: string }; at: string }; lang: Lang; t: Translate; label: MessageKey }) {
  return (
    <p class="stamp">
      {t(label, { name: stamp.by.name, time: formatInstant(stamp.at, lang) })}
    </p>
  );
}

/** A yes/no question as two radio buttons; unanswered until one is chosen. */
function YesNo({
  id,
  legend,
  value,
  error,
  t,
  onChange,
}: {
  id: string;
  legend: string;
  value: boolean | undefined;
  error?: string;
  t: Translate;
  onChange: (value: boolean) => void;
}) {
  return (
    <Choices
      id={id}
      legend={legend}
      choices={[
        { value: "yes", label: t("common.yes") },
        { value: "no", label: t("common.no") },
      ]}
      selected={value === undefined ? [] : [value ? "yes" : "no"]}
      error={error}
      onChange={([v]) => onChange(v === "yes")}
    />
  );
}

/** A required free-text note (a reason, a justification) under the shared limit. */
function Note({
  id,
  label,
  help,
  value,
  error,
  optional = false,
  lang,
  t,
  onInput,
}: {
  id: string;
  label: string;
  help: string;
  value: string | undefined;
  error?: string;
  /** Not required: the label says nothing of it, the help says «optional». */
  optional?: boolean;
  lang: Lang;
  t: Translate;
  onInput: (v: string) => void;
}) {
  return (
    <TextField
      id={id}
      label={label}
      help={help}
      value={value ?? ""}
      max={NOTE_MAX_CHARS}
      required={!optional}
      multiline
      error={error}
      onInput={onInput}
      lang={lang}
      t={t}
    />
  );
}

const DEFAULT_ENISA: EnisaInput = {
  category: "simple",
  adjustment: 0,
  identification: "limited",
  confidentiality: "none",
  integrity: "none",
  availability: "none",
  malicious: false,
};

function AssessmentSection({
  handling,
  case: c,
  editable,
  backend,
  lang,
  t,
  run,
}: {
  handling: Handling;
  case: Case;
  editable: boolean;
  backend: Backend;
  lang: Lang;
  t: Translate;
  run: Run;
}) {
  const saved = handling.assessment;
  const [input, setInput] = useState<AssessmentInput>(() => saved?.input ?? { impacts: [], enisa: DEFAULT_ENISA });
  const [errors, setErrors] = useFieldErrors(t, input);
  const [preview, setPreview] = useState<EnisaPreview | null>(null);
  const [editing, setEditing] = useState(!saved);
  const enisa = input.enisa ?? DEFAULT_ENISA;

  useEffect(() => {
    let live = true;
    backend.evaluateEnisa(enisa).then(
      (p) => live && setPreview(p),
      () => live && setPreview(null),
    );
    return () => {
      live = false;
    };
  }, [JSON.stringify(enisa), backend]);

  const set = (patch: Partial<AssessmentInput>) => setInput({ ...input, ...patch });
  const setEnisa = (patch: Partial<EnisaInput>) => set({ enisa: { ...enisa, ...patch } });
  const departs = preview !== null && input.verdict !== undefined && preview.presumption !== input.verdict;

  if (saved && !editing) {
    const a = saved;
    return (
      <section class="assessment" aria-labelledby="assessment-heading">
        <h4 id="assessment-heading">{t("assessment.heading")}</h4>
        <dl class="meta" id="assessment-summary">
          <dt>{t("field.assessment.immediate_measures_needed")}</dt>
          <dd>{t(a.input.immediate_measures_needed ? "common.yes" : "common.no")}: {a.input.immediate_measures_reason}</dd>
          {(["confidentiality", "integrity", "availability"] as const).map(
            (n) =>
              a.input[`consequences_${n}`] && (
                <>
                  <dt>{t(k(`field.assessment.consequences_${n}`))}</dt>
                  <dd class="prose">{a.input[`consequences_${n}`]}</dd>
                </>
              ),
          )}
          {a.input.impacts.length > 0 && (
            <>
              <dt>{t("field.assessment.impacts")}</dt>
              <dd>{a.input.impacts.map((i) => t(k(`impact.${i}`))).join(", ")}</dd>
            </>
          )}
          <dt>{t("field.assessment.severity")}</dt>
          <dd>{a.input.severity && t(k(`severity.${a.input.severity}`))}</dd>
          <dt>{t("assessment.enisa")}</dt>
          <dd id="enisa-figure">
            {t("enisa.figure", {
              dpc: a.enisa.dpc,
              ei: a.enisa.ei.toLocaleString(lang === "nb" ? "nb-NO" : "en-GB"),
              cb: a.enisa.cb.toLocaleString(lang === "nb" ? "nb-NO" : "en-GB"),
              score: a.enisa.score.toLocaleString(lang === "nb" ? "nb-NO" : "en-GB"),
              band: t(k(`band.${a.enisa.band}`)),
            })}
          </dd>
          <dt>{t("field.assessment.verdict")}</dt>
          <dd id="assessment-verdict">
            <strong>{t(k(`verdict.${a.verdict}`))}</strong>
            {a.departs && <span class="badge warn">{t("assessment.departs", { presumption: t(k(`verdict.${a.presumption}`)) })}</span>}
          </dd>
          <dt>{t("field.assessment.justification")}</dt>
          <dd class="prose">{a.input.justification}</dd>
          {a.input.departure_reason && (
            <>
              <dt>{t("field.assessment.departure_reason")}</dt>
              <dd class="prose">{a.input.departure_reason}</dd>
            </>
          )}
        </dl>
        <Stamped stamp={a.stamp} lang={lang} t={t} label="assessment.stamp" />
        {editable && (
          <button type="button" class="secondary" onClick={() => setEditing(true)}>
            {t("assessment.revise")}
          </button>
        )}
      </section>
    );
  }
  if (!editable) {
    return (
      <section class="assessment">
        <h4>{t("assessment.heading")}</h4>
        <p>{t("assessment.none")}</p>
      </section>
    );
  }

  const save = async (e: Event) => {
    e.preventDefault();
    const err = await run(() => backend.saveAssessment(c.id, input));
    setErrors(err);
    if (!err) setEditing(false);
  };
  const text = (field: keyof AssessmentInput, required: boolean) =>
    required ? (
      <Note
        id={`assessment-${field}`}
        label={t(k(`field.assessment.${field}`))}
        help={t(k(`assessment.${field}.help`))}
        value={input[field] as string | undefined}
        error={errors[`assessment.${field}`]}
        onInput={(v) => set({ [field]: v })}
        lang={lang}
        t={t}
      />
    ) : (
      <TextField
        id={`assessment-${field}`}
        label={t(k(`field.assessment.${field}`))}
        help={t(k(`assessment.${field}.help`))}
        value={(input[field] as string | undefined) ?? ""}
        max={NOTE_MAX_CHARS}
        multiline
        error={errors[`assessment.${field}`]}
        onInput={(v) => set({ [field]: v })}
        lang={lang}
        t={t}
      />
    );
  const natures = c.nature ?? [];
  return (
    <form class="assessment" aria-labelledby="assessment-heading" onSubmit={save} noValidate>
      <h4 id="assessment-heading">{t("assessment.heading")}</h4>
      <p class="help">{t("assessment.intro")}</p>
      <YesNo
        id="assessment-immediate_measures_needed"
        legend={t("field.assessment.immediate_measures_needed")}
        value={input.immediate_measures_needed}
        error={errors["assessment.immediate_measures_needed"]}
        t={t}
        onChange={(v) => set({ immediate_measures_needed: v })}
      />
      {text("immediate_measures_reason", true)}
      {text("consequences_confidentiality", natures.includes("confidentiality"))}
      {text("consequences_integrity", natures.includes("integrity"))}
      {text("consequences_availability", natures.includes("availability"))}
      <Choices
        id="assessment-impacts"
        legend={t("field.assessment.impacts")}
        help={t("assessment.impacts.help")}
        multiple
        choices={IMPACTS.map((i) => ({ value: i, label: t(k(`impact.${i}`)) }))}
        selected={input.impacts}
        error={errors["assessment.impacts"]}
        onChange={(impacts) => set({ impacts })}
      />
      <Choices
        id="assessment-severity"
        legend={t("field.assessment.severity")}
        choices={SEVERITIES.map((s) => ({ value: s, label: t(k(`severity.${s}`)) }))}
        selected={input.severity ? [input.severity] : []}
        error={errors["assessment.severity"]}
        onChange={([severity]) => set({ severity })}
      />
      <fieldset class="enisa" id="assessment-enisa">
        <legend>{t("assessment.enisa")}</legend>
        <p class="help">{t("assessment.enisa.help")}</p>
        <label for="enisa-category">{t("enisa.category")}</label>
        <small id="enisa-category-help" class="help">
          {t("enisa.category.help")}
        </small>
        <select
          id="enisa-category"
          aria-describedby="enisa-category-help"
          value={enisa.category}
          onChange={(e) => setEnisa({ category: (e.currentTarget as HTMLSelectElement).value as EnisaInput["category"] })}
        >
          {DPC_CATEGORIES.map((v) => (
            <option key={v} value={v}>
              {t(k(`dpc.${v}`))}
            </option>
          ))}
        </select>
        <label for="enisa-adjustment">{t("enisa.adjustment")}</label>
        <small id="enisa-adjustment-help" class="help">
          {t("enisa.adjustment.help")}
        </small>
        <select
          id="enisa-adjustment"
          aria-describedby="enisa-adjustment-help"
          value={String(enisa.adjustment ?? 0)}
          onChange={(e) => setEnisa({ adjustment: Number((e.currentTarget as HTMLSelectElement).value) })}
        >
          {[-3, -2, -1, 0, 1, 2, 3].map((v) => (
            <option key={v} value={String(v)}>
              {v > 0 ? `+${v}` : String(v)}
            </option>
          ))}
        </select>
        {(enisa.adjustment ?? 0) !== 0 && (
          <TextField
            id="enisa-adjustment_reason"
            label={t("enisa.adjustment_reason")}
            help={t("enisa.adjustment_reason.help")}
            value={enisa.adjustment_reason ?? ""}
            max={2000}
            required
            error={errors["assessment.enisa.adjustment_reason"] ?? errors["assessment.enisa.adjustment"]}
            onInput={(v) => setEnisa({ adjustment_reason: v })}
            lang={lang}
            t={t}
          />
        )}
        <label for="enisa-identification">{t("enisa.identification")}</label>
        <small id="enisa-identification-help" class="help">
          {t("enisa.identification.help")}
        </small>
        <select
          id="enisa-identification"
          aria-describedby="enisa-identification-help"
          value={enisa.identification}
          onChange={(e) =>
            setEnisa({ identification: (e.currentTarget as HTMLSelectElement).value as EnisaInput["identification"] })
          }
        >
          {IDENTIFICATIONS.map((v) => (
            <option key={v} value={v}>
              {t(k(`identification.${v}`))}
            </option>
          ))}
        </select>
        <small id="enisa-loss-help" class="help">
          {t("enisa.loss.help")}
        </small>
        {(["confidentiality", "integrity", "availability"] as const).map((n) => (
          <>
            <label for={`enisa-${n}`}>{t(k(`enisa.${n}`))}</label>
            <select
              id={`enisa-${n}`}
              aria-describedby="enisa-loss-help"
              value={enisa[n] ?? "none"}
              onChange={(e) => setEnisa({ [n]: (e.currentTarget as HTMLSelectElement).value })}
            >
              {LOSSES.map((v) => (
                <option key={v} value={v}>
                  {t(k(`loss.${v}`))}
                </option>
              ))}
            </select>
          </>
        ))}
        <label class="choice" for="enisa-malicious">
          <input
            id="enisa-malicious"
            aria-describedby="enisa-malicious-help"
            type="checkbox"
            checked={enisa.malicious ?? false}
            onChange={(e) => setEnisa({ malicious: (e.currentTarget as HTMLInputElement).checked })}
          />
          {t("enisa.malicious")}
        </label>
        <small id="enisa-malicious-help" class="help">
          {t("enisa.malicious.help")}
        </small>
        <p id="enisa-preview" aria-live="polite">
          {preview
            ? t("enisa.previewLine", {
                score: preview.result.score.toLocaleString(lang === "nb" ? "nb-NO" : "en-GB"),
                band: t(k(`band.${preview.result.band}`)),
                presumption: t(k(`verdict.${preview.presumption}`)),
              })
            : t("enisa.previewInvalid")}
        </p>
      </fieldset>
      <Choices
        id="assessment-verdict"
        legend={t("field.assessment.verdict")}
        help={t("assessment.verdict.help")}
        choices={VERDICTS.map((v) => ({ value: v, label: t(k(`verdict.${v}`)), help: t(k(`verdict.${v}.help`)) }))}
        selected={input.verdict ? [input.verdict] : []}
        error={errors["assessment.verdict"]}
        onChange={([verdict]) => set({ verdict })}
      />
      {text("justification", true)}
      {departs && (
        <>
          <p class="notice notice-warn" id="assessment-departs">
            {t("assessment.departsWarning", { presumption: t(k(`verdict.${preview!.presumption}`)) })}
          </p>
          {text("departure_reason", true)}
        </>
      )}
      <div class="actions">
        <button type="submit" id="save-assessment">
          {t("assessment.save")}
        </button>
        {saved && (
          <button type="button" class="secondary" onClick={() => setEditing(false)}>
            {t("common.cancel")}
          </button>
        )}
      </div>
    </form>
  );
}

function DecisionSection({
  handling,
  editable,
  lang,
  t,
  run,
  caseKey,
  backend,
}: SectionProps) {
  const saved = handling.decision;
  const verdict = handling.assessment!.verdict;
  const [input, setInput] = useState<DecisionInput>(() => saved?.decision ?? {});
  const [errors, setErrors] = useFieldErrors(t, input);
  const [editing, setEditing] = useState(!saved);
  useEffect(() => {
    if (!handling.decision) setEditing(true);
  }, [handling.decision]);
  const set = (patch: Partial<DecisionInput>) => setInput({ ...input, ...patch });

  if (saved && !editing) {
    const d = saved.decision;
    return (
      <section class="decision" aria-labelledby="decision-heading">
        <h4 id="decision-heading">{t("decision.heading")}</h4>
        <ul id="decision-summary">
          <li>{t(d.notify_authority ? "decision.notifies" : "decision.notNotified", { reason: d.notify_reason ?? "" })}</li>
          <li>
            {d.inform_subjects
              ? t("decision.informs")
              : d.exemption
                ? t("decision.exempt", { ground: t(k(`art34.${d.exemption}`)), reason: d.inform_reason ?? "" })
                : t("decision.notInformed", { reason: d.inform_reason ?? t("decision.notHighRisk") })}
          </li>
          {d.other_authorities && <li>{t("decision.otherAuthorities", { text: d.other_authorities })}</li>}
        </ul>
        <Stamped stamp={saved.stamp} lang={lang} t={t} label="decision.stamp" />
        {editable && (
          <button type="button" class="secondary" onClick={() => setEditing(true)}>
            {t("decision.revise")}
          </button>
        )}
      </section>
    );
  }
  if (!editable) return null;
  const note = (field: "notify_reason" | "inform_reason" | "other_authorities") => (
    <Note
      id={`decision-${field}`}
      label={t(k(`field.decision.${field}`))}
      help={t(k(`decision.${field}.help`))}
      value={input[field]}
      error={errors[`decision.${field}`]}
      optional={field === "other_authorities"}
      onInput={(v) => set({ [field]: v })}
      lang={lang}
      t={t}
    />
  );
  const save = async (e: Event) => {
    e.preventDefault();
    const err = await run(() => backend.recordDecision(caseKey, input));
    setErrors(err);
    if (!err) setEditing(false);
  };
  return (
    <form class="decision" aria-labelledby="decision-heading" onSubmit={save} noValidate>
      <h4 id="decision-heading">{t("decision.heading")}</h4>
      <p class="help">{t(k(`decision.intro.${verdict}`))}</p>
      <YesNo
        id="decision-notify_authority"
        legend={t("field.decision.notify_authority")}
        value={input.notify_authority}
        error={errors["decision.notify_authority"]}
        t={t}
        onChange={(v) => set({ notify_authority: v })}
      />
      {input.notify_authority === false && note("notify_reason")}
      <YesNo
        id="decision-inform_subjects"
        legend={t("field.decision.inform_subjects")}
        value={input.inform_subjects}
        error={errors["decision.inform_subjects"]}
        t={t}
        onChange={(v) => set({ inform_subjects: v })}
      />
      {input.inform_subjects === false && verdict === "high_risk" && (
        <>
          <Choices
            id="decision-exemption"
            legend={t("field.decision.exemption")}
            choices={ART34_GROUNDS.map((g) => ({ value: g, label: t(k(`art34.${g}`)) }))}
            selected={input.exemption ? [input.exemption] : []}
            error={errors["decision.exemption"]}
            onChange={([exemption]) => set({ exemption })}
          />
          {note("inform_reason")}
        </>
      )}
      {note("other_authorities")}
      <div class="actions">
        <button type="submit" id="save-decision">
          {t("decision.save")}
        </button>
      </div>
    </form>
  );
}

function MeasuresSection({
  handling,
  reporter,
  user,
  people,
  isHandler,
  backend,
  caseKey,
  lang,
  t,
  run,
}: {
  handling: Handling;
  reporter: string | null;
  user: User;
  people: User[];
  isHandler: boolean;
  backend: Backend;
  caseKey: string;
  lang: Lang;
  t: Translate;
  run: Run;
}) {
  const closed = handling.status === "closed";
  const approval = handling.approval;
  const setStatus = (m: Measure, status: MeasureStatus) => {
    if (status === "dropped") {
      const reason = window.prompt(t("measure.dropReason"));
      if (!reason) return;
      void run(() => backend.updateMeasure(caseKey, m.number, { ...inputOf(m), status, status_reason: reason }), true);
    } else {
      void run(() => backend.updateMeasure(caseKey, m.number, { ...inputOf(m), status }), true);
    }
  };
  return (
    <section class="measures" aria-labelledby="measures-heading">
      <h4 id="measures-heading">{t("measures.heading")}</h4>
      {handling.measures.length === 0 ? (
        <p>{t("measures.none")}</p>
      ) : (
        <table id="measures-table">
          <thead>
            <tr>
              <th scope="col">{t("measures.col.number")}</th>
              <th scope="col">{t("field.measure.kind")}</th>
              <th scope="col">{t("field.measure.description")}</th>
              <th scope="col">{t("field.measure.owner")}</th>
              <th scope="col">{t("field.measure.due")}</th>
              <th scope="col">{t("field.measure.status")}</th>
            </tr>
          </thead>
          <tbody>
            {handling.measures.map((m) => {
              const overdue = handling.overdue.includes(m.number);
              const mayChange = (isHandler || m.owner.id === user.id) && !(closed && !m.status.match(/planned|in_progress/));
              return (
                <tr key={m.id} class={overdue ? "overdue" : undefined}>
                  <td>{m.number}</td>
                  <td>{t(k(`measure_kind.${m.kind}`))}</td>
                  <td class="prose">
                    {m.description}
                    {m.status_reason && <small class="help"> ({m.status_reason})</small>}
                  </td>
                  <td>{m.owner.name}</td>
                  <td>
                    {dayToText(m.due)}
                    {overdue && <span class="badge warn">{t("measures.overdue")}</span>}
                  </td>
                  <td>
                    {mayChange ? (
                      <select
                        aria-label={t("measures.statusOf", { number: m.number })}
                        id={`measure-${m.number}-status`}
                        value={m.status}
                        onChange={(e) => setStatus(m, (e.currentTarget as HTMLSelectElement).value as MeasureStatus)}
                      >
                        {MEASURE_STATUSES.filter((s) => isHandler && !closed || s !== "dropped").map((s) => (
                          <option key={s} value={s}>
                            {t(k(`measure_status.${s}`))}
                          </option>
                        ))}
                      </select>
                    ) : (
                      t(k(`measure_status.${m.status}`))
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {handling.measures.length > 0 && (
        <p id="measures-approval" class={approval?.current ? "notice notice-ok" : "notice notice-warn"}>
          {approval
            ? approval.current
              ? t("measures.approved", { name: approval.stamp.by.name, time: formatInstant(approval.stamp.at, lang) })
              : t("measures.changedSinceApproval", { time: formatInstant(approval.stamp.at, lang) })
            : t("measures.notApproved")}
        </p>
      )}
      {isHandler && !closed && handling.measures.length > 0 && !approval?.current && (
        <button type="button" id="approve-measures" onClick={() => void run(() => backend.approveMeasures(caseKey))}>
          {t("measures.approve")}
        </button>
      )}
      {isHandler && !closed && (
        <NewMeasure
          // Only active people who can see the case can act on a measure: handlers, the DPO,
          // the reporter (the core refuses anyone else).
          people={people.filter(
            (p) => p.disabled_at === null && (p.roles.includes("handler") || p.roles.includes("dpo") || p.id === reporter),
          )}
          user={user}
          backend={backend}
          caseKey={caseKey}
          lang={lang}
          t={t}
          run={run}
        />
      )}
    </section>
  );
}

function inputOf(m: Measure): MeasureInput {
  return {
    kind: m.kind,
    description: m.description,
    owner: m.owner.id,
    due: m.due,
    status: m.status,
    ...(m.status_reason ? { status_reason: m.status_reason } : {}),
  };
}

function NewMeasure({
  people,
  user,
  backend,
  caseKey,
  lang,
  t,
  run,
}: {
  people: User[];
  user: User;
  backend: Backend;
  caseKey: string;
  lang: Lang;
  t: Translate;
  run: Run;
}) {
  const [kind, setKind] = useState<MeasureKind>("immediate");
  const [description, setDescription] = useState("");
  const [owner, setOwner] = useState(user.id);
  const [due, setDue] = useState("");
  const [errors, setErrors] = useFieldErrors(t, { kind, description, owner, due });
  const add = async (e: Event) => {
    e.preventDefault();
    const day = textToDay(due);
    if (!day) {
      setErrors({ kind: "validation", message: "", errors: [{ field: "measure.due", problem: "malformed", detail: "" }] });
      return;
    }
    const err = await run(() => backend.addMeasure(caseKey, { kind, description, owner, due: day, status: "planned" }));
    setErrors(err);
    if (!err) {
      setDescription("");
      setDue("");
    }
  };
  return (
    <form class="new-measure" aria-labelledby="new-measure-heading" onSubmit={add} noValidate>
      <h5 id="new-measure-heading">{t("measures.add")}</h5>
      <label for="measure-kind">{t("field.measure.kind")}</label>
      <select id="measure-kind" value={kind} onChange={(e) => setKind((e.currentTarget as HTMLSelectElement).value as MeasureKind)}>
        {MEASURE_KINDS.map((v) => (
          <option key={v} value={v}>
            {t(k(`measure_kind.${v}`))}
          </option>
        ))}
      </select>
      <TextField
        id="measure-description"
        label={t("field.measure.description")}
        help={t("measure.description.help")}
        value={description}
        max={2000}
        required
        error={errors["measure.description"]}
        onInput={setDescription}
        lang={lang}
        t={t}
      />
      <label for="measure-owner">{t("field.measure.owner")}</label>
      <select id="measure-owner" value={owner} onChange={(e) => setOwner((e.currentTarget as HTMLSelectElement).value)}>
        {(people.length ? people : [user]).map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
      <div class={`field ${errors["measure.due"] ? "has-error" : ""}`}>
        <label for="measure-due">{t("field.measure.due")}</label>
        <small id="measure-due-help">{t("measure.due.help")}</small>
        <input
          id="measure-due"
          type="text"
          inputMode="numeric"
          placeholder={t("measure.due.placeholder")}
          value={due}
          aria-describedby={errors["measure.due"] ? "measure-due-help measure-due-error" : "measure-due-help"}
          aria-invalid={errors["measure.due"] ? "true" : "false"}
          onInput={(e) => setDue((e.currentTarget as HTMLInputElement).value)}
        />
        {errors["measure.due"] && (
          <p id="measure-due-error" class="field-error" role="alert">
            {errors["measure.due"]}
          </p>
        )}
      </div>
      <div class="actions">
        <button type="submit" id="add-measure">
          {t("measures.addButton")}
        </button>
      </div>
    </form>
  );
}

function CommentsSection({
  handling,
  mayComment,
  backend,
  caseKey,
  lang,
  t,
  run,
}: {
  handling: Handling;
  mayComment: boolean;
  backend: Backend;
  caseKey: string;
  lang: Lang;
  t: Translate;
  run: Run;
}) {
  const [text, setText] = useState("");
  const [errors, setErrors] = useFieldErrors(t, { text });
  if (!mayComment && handling.comments.length === 0) return null;
  const add = async (e: Event) => {
    e.preventDefault();
    const err = await run(() => backend.addComment(caseKey, text));
    setErrors(err);
    if (!err) setText("");
  };
  return (
    <section class="comments" aria-labelledby="comments-heading">
      <h4 id="comments-heading">{t("comments.heading")}</h4>
      <ul id="comments-list">
        {handling.comments.map((c) => (
          <li key={`${c.stamp.at}-${c.stamp.by.id}`}>
            <p class="prose">{c.text}</p>
            <Stamped stamp={c.stamp} lang={lang} t={t} label="comments.stamp" />
          </li>
        ))}
      </ul>
      {mayComment && (
        <form onSubmit={add} noValidate>
          <TextField
            id="comment-text"
            label={t("field.comment.text")}
            help={t("comments.help")}
            value={text}
            max={NOTE_MAX_CHARS}
            multiline
            error={errors["comment.text"]}
            onInput={setText}
            lang={lang}
            t={t}
          />
          <button type="submit" class="secondary">
            {t("comments.add")}
          </button>
        </form>
      )}
    </section>
  );
}

function CloseSection({
  handling,
  isHandler,
  backend,
  caseKey,
  lang,
  t,
  run,
}: {
  handling: Handling;
  isHandler: boolean;
  backend: Backend;
  caseKey: string;
  lang: Lang;
  t: Translate;
  run: Run;
}) {
  const [lessons, setLessons] = useState("");
  const [errors, setErrors] = useFieldErrors(t, { lessons_learned: lessons });
  if (handling.closing) {
    return (
      <section class="closing" aria-labelledby="closing-heading">
        <h4 id="closing-heading">{t("closing.heading")}</h4>
        <p class="prose" id="closing-lessons">
          {handling.closing.lessons_learned}
        </p>
        <Stamped stamp={handling.closing.stamp} lang={lang} t={t} label="closing.stamp" />
      </section>
    );
  }
  if (!isHandler || handling.status === "reported") return null;
  const close = async (e: Event) => {
    e.preventDefault();
    const err = await run(() => backend.closeCase(caseKey, lessons));
    setErrors(err);
  };
  return (
    <form class="closing" aria-labelledby="closing-heading" onSubmit={close} noValidate>
      <h4 id="closing-heading">{t("closing.heading")}</h4>
      <Note
        id="closing-lessons_learned"
        label={t("field.closing.lessons_learned")}
        help={t("closing.help")}
        value={lessons}
        error={errors["closing.lessons_learned"]}
        onInput={setLessons}
        lang={lang}
        t={t}
      />
      <button type="submit" id="close-case" disabled={handling.blockers.length > 0} aria-describedby="handling-blockers">
        {t("closing.close")}
      </button>
    </form>
  );
}
