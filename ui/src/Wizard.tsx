import { beforeClose, screenToken } from "./closing";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { type Backend, toCommandError } from "./api";
import type { Case } from "./bindings/Case";
import type { User } from "./bindings/User";
import type { CaseDocument } from "./bindings/CaseDocument";
import type { CommandError } from "./bindings/CommandError";
import type { Count } from "./bindings/Count";
import type { CountKind } from "./bindings/CountKind";
import type { DataCategory } from "./bindings/DataCategory";
import type { DataClass } from "./bindings/DataClass";
import type { IncidentType } from "./bindings/IncidentType";
import type { OccurredKind } from "./bindings/OccurredKind";
import type { Review } from "./bindings/Review";
import type { System } from "./bindings/System";
import type { ValidationError } from "./bindings/ValidationError";
import {
  CAUSES,
  COUNT_KINDS,
  DATA_CATEGORIES,
  DATA_CLASS,
  DATA_SUBJECTS,
  DISCOVERED_BY,
  INCIDENT_TYPES,
  NATURES,
  OCCURRED_KINDS,
  PERSONAL_DATA,
  TEMPLATE_TYPES,
} from "./bindings/vocabulary";
import { Attachments } from "./Attachments";
import { CaseSummary } from "./CaseSummary";
import { type Choice, Choices } from "./Choices";
import { compact, documentOf, errorFor, errorText } from "./document";
import { ErrorNotice } from "./ErrorNotice";
import { type Lang, type MessageKey, type Translate, fieldKey, formatInstant, formatTime, vocabKey } from "./i18n";
import {
  DESCRIPTION_MAX_CHARS,
  NOTE_MAX_CHARS,
  SYSTEM_NAME_MAX_CHARS,
  SYSTEM_PURPOSE_MAX_CHARS,
  TITLE_MAX_CHARS,
} from "./limits";
import { TextField } from "./TextField";
import { TimeField } from "./TimeField";

/** How long typing may rest before the draft is saved: at most this much is ever lost. */
export const AUTOSAVE_DELAY_MS = 400;
const STEPS = [1, 2, 3, 4, 5, 6, 7] as const;
const REVIEW = 7;

type SaveState = { kind: "idle" } | { kind: "saving" } | { kind: "saved"; at: Date } | { kind: "failed" };

function choices<T extends string>(t: Translate, prefix: string, values: readonly T[], help = true): Choice<T>[] {
  return values.map((value) => ({
    value,
    label: t(vocabKey(prefix, value)),
    help: help ? t(vocabKey(prefix, value, true)) : undefined,
  }));
}

/**
 * The mapping form: six steps and a review page. The draft is saved to the store as
 * the user types, so closing the window loses at most the last moment of typing.
 */
export function Wizard({
  backend,
  lang,
  t,
  draft,
  onSubmitted,
  correcting = false,
  drill = false,
  me,
}: {
  backend: Backend;
  lang: Lang;
  t: Translate;
  /** A draft to continue, or none for a new report; or the reported case to correct. */
  draft: Case | null;
  onSubmitted: (c: Case) => void;
  /**
   * The handler corrects the facts of a reported case: nothing is saved until the
   * correction is confirmed with a reason, and it is saved whole.
   */
  correcting?: boolean;
  /** A new report starts as a drill (øvelse). */
  drill?: boolean;
  /** Who reports: a new report starts with their name and e-mail as the reporter's. */
  me?: User;
}) {
  const [doc, setDoc] = useState<CaseDocument>(() => {
    if (draft) return documentOf(draft);
    const reporter = me ? { reporter: { name: me.name, ...(me.email ? { contact: me.email } : {}) } } : {};
    return drill ? { drill: true, ...reporter } : reporter;
  });
  const [step, setStep] = useState(1);
  const [save, setSave] = useState<SaveState>({ kind: "idle" });
  const [saveErrors, setSaveErrors] = useState<ValidationError[]>([]);
  const [stepErrors, setStepErrors] = useState<ValidationError[]>([]);
  const [review, setReview] = useState<Review | null>(null);
  const [failure, setFailure] = useState<CommandError | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [systems, setSystems] = useState<System[]>([]);
  // A message key, not its words: a switch of language redraws it.
  const [notice, setNotice] = useState<MessageKey | null>(null);
  const [reason, setReason] = useState("");
  const [reasonInvalid, setReasonInvalid] = useState<ValidationError | undefined>(undefined);

  // Autosave: one save at a time, always of the latest document.
  const id = useRef<string | null>(draft?.id ?? null);
  // The same id as state, so parts that need a saved draft (attachments) appear.
  const [draftId, setDraftId] = useState<string | null>(draft?.id ?? null);
  const latest = useRef(doc);
  const saved = useRef<CaseDocument | null>(draft ? doc : null);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const saveNow = useCallback((): Promise<void> => {
    clearTimeout(timer.current);
    // A correction is saved whole, with its reason, or not at all.
    if (correcting) return Promise.resolve();
    chain.current = chain.current.then(async () => {
      const current = latest.current;
      if (current === saved.current) return;
      setSave({ kind: "saving" });
      try {
        const body = compact(current);
        const result = id.current ? await backend.saveDraft(id.current, body) : await backend.createDraft(body);
        id.current = result.id;
        setDraftId(result.id);
        saved.current = current;
        setSaveErrors([]);
        setSave({ kind: "saved", at: new Date() });
      } catch (e) {
        const err = toCommandError(e);
        setSave({ kind: "failed" });
        if (err.kind === "validation") setSaveErrors(err.errors ?? []);
        else setFailure(err);
      }
    });
    return chain.current;
  }, [backend, correcting]);

  const change = useCallback(
    (patch: Partial<CaseDocument>) => {
      setDoc((old) => {
        const next = { ...old, ...patch };
        latest.current = next;
        return next;
      });
      setStepErrors((old) => {
        const rest = old.filter((e) => !Object.keys(patch).some((k) => errorFor([e], k)));
        // «Fix what is marked» goes once the last marked answer on the step is changed.
        if (old.length > 0 && rest.length === 0) setNotice((n) => (n === "wizard.stepHasErrors" ? null : n));
        return rest;
      });
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void saveNow(), AUTOSAVE_DELAY_MS);
    },
    [saveNow],
  );

  // Closing the window to the tray saves first, and names this draft as the screen to
  // come back to (a correction is not resumed as a form; a new drill only once saved).
  useEffect(
    () =>
      beforeClose(async () => {
        await saveNow();
        return correcting || (drill && !id.current) ? null : screenToken({ name: "wizard", id: id.current });
      }),
    [saveNow, correcting, drill],
  );

  // Save what is pending when the form closes or the window goes away.
  useEffect(() => {
    const flush = () => void saveNow();
    window.addEventListener("beforeunload", flush);
    window.addEventListener("pagehide", flush);
    return () => {
      window.removeEventListener("beforeunload", flush);
      window.removeEventListener("pagehide", flush);
      flush();
    };
  }, [saveNow]);

  useEffect(() => {
    backend.listSystems().then(setSystems, (e) => setFailure(toCommandError(e)));
  }, [backend]);

  const heading = useRef<HTMLHeadingElement>(null);
  // Move focus to the new step's heading during the commit, before any later
  // keystroke can arrive: an effect after paint would steal focus from a field the
  // user has already started typing in.
  // A new step starts at the top of the page, not where the last one was scrolled to.
  useLayoutEffect(() => {
    heading.current?.focus({ preventScroll: true });
    document.documentElement.scrollTop = 0;
    document.body.scrollTop = 0;
  }, [step]);
  useEffect(() => {
    if (step === REVIEW) {
      void saveNow();
      backend.reviewDocument(compact(latest.current)).then(setReview, (e) => setFailure(toCommandError(e)));
    }
  }, [step]);

  const errors = useMemo(() => [...stepErrors, ...saveErrors], [stepErrors, saveErrors]);
  const err = (field: string) => errorText(t, errorFor(errors, field));
  const errOnly = (field: string) => errorText(t, errors.find((e) => e.field === field));

  const goTo = (next: number) => {
    setStepErrors([]);
    setNotice(null);
    setStep(next);
    void saveNow();
  };

  const next = async () => {
    try {
      const r = await backend.reviewDocument(compact(latest.current));
      const here = r.errors.filter((e) => e.step === step);
      if (here.length > 0) {
        setStepErrors(here);
        setNotice("wizard.stepHasErrors");
        if (here[0]) focusField(here[0].field);
        return;
      }
      goTo(step + 1);
    } catch (e) {
      setFailure(toCommandError(e));
    }
  };

  const submit = async () => {
    setSubmitting(true);
    setFailure(null);
    try {
      await saveNow();
      if (!id.current) return;
      const submitted = await backend.submitCase(id.current);
      onSubmitted(submitted);
    } catch (e) {
      const error = toCommandError(e);
      if (error.kind === "validation") {
        setReview({ errors: error.errors ?? [], warnings: review?.warnings ?? [] });
      } else {
        setFailure(error);
      }
    } finally {
      setSubmitting(false);
    }
  };

  const saveCorrection = async () => {
    if (!draft) return;
    setSubmitting(true);
    setFailure(null);
    setReasonInvalid(undefined);
    try {
      await backend.correctCase(draft.id, compact(latest.current), reason);
      onSubmitted(await backend.getCase(draft.id));
    } catch (e) {
      const error = toCommandError(e);
      const forReason = error.errors?.find((x) => x.field === "correction.reason");
      if (forReason) setReasonInvalid(forReason);
      const others = (error.errors ?? []).filter((x) => x.field !== "correction.reason");
      if (error.kind === "validation" && others.length > 0) {
        setReview({ errors: others, warnings: review?.warnings ?? [] });
      } else if (error.kind !== "validation") {
        setFailure(error);
      }
    } finally {
      setSubmitting(false);
    }
  };

  const mask = async (field: string) => {
    const [top, sub] = field.split(".");
    const current = latest.current;
    if (top === "reporter" && sub === "contact" && current.reporter?.contact) {
      change({ reporter: { ...current.reporter, contact: await backend.maskNationalIds(current.reporter.contact) } });
    } else {
      const text = (current as unknown as Record<string, unknown>)[field];
      if (typeof text === "string") change({ [field]: await backend.maskNationalIds(text) } as Partial<CaseDocument>);
    }
    await saveNow();
    setReview(await backend.reviewDocument(compact(latest.current)));
  };

  const stepProps = { doc, change, err, errOnly, t, lang, backend };

  return (
    <section class="card wizard" aria-labelledby="wizard-heading">
      <div class="section-head">
        <div>
          <h2 id="wizard-heading" tabIndex={-1} ref={heading}>
            {correcting ? t("wizard.correctHeading", { reference: draft?.reference ?? "" }) : t("wizard.heading")} ·{" "}
            {t(`wizard.step.${step}` as MessageKey)}
          </h2>
          <p class="muted">
            {t("wizard.stepOf", { step, total: STEPS.length })}
            {draft && !correcting && ` · ${t("wizard.draftOf", { created: formatInstant(draft.created_at, lang) })}`}
          </p>
        </div>
        <p id="save-status" class={`save-status save-${save.kind}`} role="status" aria-live="polite">
          {correcting
            ? t("wizard.correctNotSaved")
            : save.kind === "saving"
            ? t("wizard.saving")
            : save.kind === "saved"
              ? t("wizard.saved", { time: formatTime(save.at, lang) })
              : save.kind === "failed"
                ? t("wizard.saveFailed")
                : t("wizard.notSaved")}
        </p>
      </div>

      {doc.drill && <DrillBanner t={t} />}
      <nav aria-label={t("wizard.steps")}>
        <ol class="steps">
          {STEPS.map((s) => (
            <li key={s}>
              <button
                type="button"
                id={`step-link-${s}`}
                class={`step-link ${s === step ? "current" : ""}`}
                aria-current={s === step ? "step" : undefined}
                onClick={() => goTo(s)}
              >
                <span class="step-number">{s === REVIEW ? "✓" : s}</span> {t(`wizard.step.${s}` as MessageKey)}
              </button>
            </li>
          ))}
        </ol>
      </nav>

      <p class="why">{t(`wizard.why.${step}` as MessageKey)}</p>
      {notice && (
        <p class="notice notice-error" id="wizard-notice" role="alert">
          {t(notice)}
        </p>
      )}
      {failure && <ErrorNotice error={failure} t={t} onDismiss={() => setFailure(null)} />}

      <div class="step-body" id={`step-${step}`}>
        {step === 1 && <StepPersonalData {...stepProps} />}
        {step === 2 && <StepSystems {...stepProps} systems={systems} onSystemAdded={(s) => setSystems((old) => [...old, s])} />}
        {step === 3 && <StepCategory {...stepProps} />}
        {step === 4 && <StepData {...stepProps} systems={systems} />}
        {step === 5 && <StepWhen {...stepProps} />}
        {step === 6 && (
          <>
            <StepWhat {...stepProps} />
            {!correcting && <Attachments caseKey={draftId} backend={backend} lang={lang} t={t} />}
          </>
        )}
        {step === REVIEW && (
          <StepReview doc={doc} review={review} t={t} lang={lang} onEdit={goTo} onMask={(f) => void mask(f)} />
        )}
        {step === REVIEW && correcting && (
          <TextField
            id="correction-reason"
            label={t("wizard.correctReason")}
            help={t("wizard.correctReason.help")}
            value={reason}
            max={NOTE_MAX_CHARS}
            error={errorText(t, reasonInvalid)}
            required
            multiline
            onInput={setReason}
            lang={lang}
            t={t}
          />
        )}
      </div>

      <div class="actions wizard-actions">
        {step > 1 && (
          <button type="button" class="secondary" id="wizard-back" onClick={() => goTo(step - 1)}>
            {t("wizard.back")}
          </button>
        )}
        {step < REVIEW ? (
          <button type="button" id="wizard-next" onClick={() => void next()}>
            {t("wizard.next")}
          </button>
        ) : correcting ? (
          <button
            type="button"
            id="wizard-correct"
            disabled={submitting || !review || review.errors.length > 0}
            onClick={() => void saveCorrection()}
          >
            {submitting ? t("wizard.submitting") : t("wizard.correctSave")}
          </button>
        ) : (
          <button
            type="button"
            id="wizard-submit"
            disabled={submitting || !review || review.errors.length > 0}
            onClick={() => void submit()}
          >
            {submitting ? t("wizard.submitting") : t("wizard.submit")}
          </button>
        )}
      </div>
    </section>
  );
}

/**
 * Puts focus on the control of a field that has an error: the field's own input (`title`,
 * `subjects_count.value`, `occurred.from`), else its group's chosen or first choice.
 */
function focusField(field: string) {
  const path = field.replace(/\[\d+\]/g, "").replace(/\./g, "-");
  const top = field.split(/[.[]/)[0] ?? field;
  for (const id of [`q-${path}`, path, `q-${top}`]) {
    const box = document.getElementById(id);
    if (!box) continue;
    const control = box.matches("input, textarea, select")
      ? box
      : (box.querySelector<HTMLElement>("input:checked") ?? box.querySelector<HTMLElement>("input, textarea, select"));
    if (control) return control.focus();
  }
}

/** Marks a drill (øvelse) wherever a case is shown. */
export function DrillBanner({ t }: { t: Translate }) {
  return (
    <p class="drill-banner" role="note" id="drill-banner">
      <strong>{t("drill.banner")}</strong> {t("drill.explain")}
    </p>
  );
}

interface StepProps {
  doc: CaseDocument;
  change: (patch: Partial<CaseDocument>) => void;
  err: (field: string) => string | undefined;
  /** An error about exactly this field, not its parts. */
  errOnly: (field: string) => string | undefined;
  t: Translate;
  lang: Lang;
  backend: Backend;
}

function StepPersonalData({ doc, change, err, t, lang, backend }: StepProps) {
  const [template, setTemplate] = useState<IncidentType | "">("");
  const [applied, setApplied] = useState(false);
  const apply = async () => {
    if (!template) return;
    change(await backend.applyTemplate(doc, template, lang));
    setApplied(true);
  };
  return (
    <>
      <div class="field template">
        <label for="template">{t("template.label")}</label>
        <small id="template-help">{t("template.help")}</small>
        <div class="time-row">
          <select
            id="template"
            aria-describedby="template-help"
            value={template}
            onChange={(e) => {
              setTemplate((e.currentTarget as HTMLSelectElement).value as IncidentType | "");
              setApplied(false);
            }}
          >
            <option value="">{t("template.none")}</option>
            {TEMPLATE_TYPES.map((type) => (
              <option key={type} value={type}>
                {t(vocabKey("incident_type", type))}
              </option>
            ))}
          </select>
          <button type="button" class="secondary" id="template-apply" disabled={!template} onClick={() => void apply()}>
            {t("template.apply")}
          </button>
        </div>
        {applied && (
          <p class="saved" role="status">
            {t("template.applied")}
          </p>
        )}
      </div>
      <Choices
        id="q-personal_data"
        legend={t("q.personal_data")}
        choices={choices(t, "personal_data", PERSONAL_DATA)}
        selected={doc.personal_data ? [doc.personal_data] : []}
        error={err("personal_data")}
        onChange={([v]) =>
          change(v === "no" ? { personal_data: v } : { personal_data: v, not_personal_data_reason: undefined })
        }
      />
      {doc.personal_data === "no" && (
        <TextField
          id="q-not_personal_data_reason"
          label={t("q.not_personal_data_reason")}
          help={t("q.not_personal_data_reason.help")}
          value={doc.not_personal_data_reason ?? ""}
          max={NOTE_MAX_CHARS}
          error={err("not_personal_data_reason")}
          required
          multiline
          onInput={(v) => change({ not_personal_data_reason: v })}
          lang={lang}
          t={t}
        />
      )}
    </>
  );
}

function StepSystems({
  doc,
  change,
  err,
  t,
  lang,
  backend,
  systems,
  onSystemAdded,
}: StepProps & { systems: System[]; onSystemAdded: (s: System) => void }) {
  const chosen = doc.systems ?? [];
  const [name, setName] = useState("");
  const [purpose, setPurpose] = useState("");
  const [processor, setProcessor] = useState("");
  const [addErrors, setAddErrors] = useState<ValidationError[]>([]);
  // The name of the system just added (its words are drawn in the current language).
  const [added, setAdded] = useState<string | null>(null);

  const choose = (names: string[]) => {
    // Picking a system suggests the kinds of data it holds.
    const suggested = systems.filter((s) => names.includes(s.name)).flatMap((s) => s.data_categories);
    const categories = [...(doc.data_categories ?? [])];
    for (const c of suggested) if (!categories.includes(c)) categories.push(c);
    change({ systems: names, data_categories: categories });
  };

  const add = async () => {
    try {
      const system = await backend.addSystem({
        name,
        purpose: purpose || undefined,
        processor: processor || undefined,
        data_categories: [],
      });
      onSystemAdded(system);
      change({ systems: [...chosen, system.name] });
      setName("");
      setPurpose("");
      setProcessor("");
      setAddErrors([]);
      setAdded(system.name);
    } catch (e) {
      const error = toCommandError(e);
      setAddErrors(error.errors ?? []);
      setAdded(null);
    }
  };

  const systemChoices: Choice<string>[] = systems.map((s) => ({
    value: s.name,
    label: s.name,
    help: [s.purpose, s.processor && t("systems.processor", { name: s.processor })].filter(Boolean).join(" · ") || undefined,
  }));
  return (
    <>
      <Choices
        id="q-systems"
        legend={t("q.systems")}
        help={t("q.systems.help")}
        choices={systemChoices}
        selected={chosen}
        multiple
        error={err("systems")}
        onChange={choose}
      >
        {systems.length === 0 && <p class="muted">{t("systems.empty")}</p>}
      </Choices>
      {chosen.length > 0 && <p class="muted">{t("systems.suggested")}</p>}
      <fieldset class="add-system">
        <legend>{t("system.add")}</legend>
        <TextField
          id="system-name"
          label={t("system.name")}
          help=""
          value={name}
          max={SYSTEM_NAME_MAX_CHARS}
          error={errorText(t, errorFor(addErrors, "name"))}
          required
          onInput={setName}
          lang={lang}
          t={t}
        />
        <TextField
          id="system-purpose"
          label={t("system.purpose")}
          help=""
          value={purpose}
          max={SYSTEM_PURPOSE_MAX_CHARS}
          error={errorText(t, errorFor(addErrors, "purpose"))}
          onInput={setPurpose}
          lang={lang}
          t={t}
        />
        <TextField
          id="system-processor"
          label={t("system.processor")}
          help=""
          value={processor}
          max={SYSTEM_NAME_MAX_CHARS}
          error={errorText(t, errorFor(addErrors, "processor"))}
          onInput={setProcessor}
          lang={lang}
          t={t}
        />
        <button type="button" class="secondary" id="system-add" onClick={() => void add()}>
          {t("system.save")}
        </button>
        {added && (
          <p class="saved" role="status">
            {t("system.added", { name: added })}
          </p>
        )}
      </fieldset>
    </>
  );
}

function StepCategory({ doc, change, err, t }: StepProps) {
  return (
    <>
      <Choices
        id="q-nature"
        legend={t("q.nature")}
        help={t("q.nature.help")}
        choices={choices(t, "nature", NATURES)}
        selected={doc.nature ?? []}
        multiple
        error={err("nature")}
        onChange={(nature) => change({ nature })}
      />
      <div class={`field ${err("incident_type") ? "has-error" : ""}`} id="q-incident_type">
        <label for="incident_type">{t("q.incident_type")}</label>
        <small id="incident_type-help">{t("q.incident_type.help")}</small>
        <select
          id="incident_type"
          value={doc.incident_type ?? ""}
          aria-describedby={`incident_type-help incident_type-choice${err("incident_type") ? " incident_type-error" : ""}`}
          aria-invalid={err("incident_type") ? "true" : "false"}
          onChange={(e) => {
            const v = (e.currentTarget as HTMLSelectElement).value as IncidentType | "";
            change({ incident_type: v || undefined });
          }}
        >
          <option value="" disabled>
            …
          </option>
          {INCIDENT_TYPES.map((type) => (
            <option key={type} value={type}>
              {t(vocabKey("incident_type", type))}
            </option>
          ))}
        </select>
        {doc.incident_type && (
          <small id="incident_type-choice" class="help">
            {t(vocabKey("incident_type", doc.incident_type, true))}
          </small>
        )}
        {err("incident_type") && (
          <p id="incident_type-error" class="field-error" role="alert">
            {err("incident_type")}
          </p>
        )}
      </div>
      <Choices
        id="q-cause"
        legend={t("q.cause")}
        choices={choices(t, "cause", CAUSES)}
        selected={doc.cause ? [doc.cause] : []}
        error={err("cause")}
        onChange={([cause]) => change({ cause })}
      />
    </>
  );
}

const CLASS_ORDER: readonly DataClass[] = ["ordinary", "national_id", "special", "criminal"];
const CLASS_GROUP: Record<DataClass, MessageKey> = {
  ordinary: "data.group.ordinary",
  national_id: "data.group.national_id",
  special: "data.group.special",
  criminal: "data.group.criminal",
};

function StepData({ doc, change, err, t, lang, systems }: StepProps & { systems: System[] }) {
  if (doc.personal_data === "no") {
    return <p class="muted">{t("personal_data.no.help")}</p>;
  }
  const selected = doc.data_categories ?? [];
  const fromSystems = new Set(
    systems.filter((s) => (doc.systems ?? []).includes(s.name)).flatMap((s) => s.data_categories),
  );
  return (
    <>
      <div id="q-data_categories" class="data-groups">
        {CLASS_ORDER.map((cls) => (
          <Choices
            key={cls}
            id={`q-data_categories-${cls}`}
            legend={cls === "ordinary" ? `${t("q.data_categories")} · ${t(CLASS_GROUP[cls])}` : t(CLASS_GROUP[cls])}
            help={cls === "ordinary" ? t("q.data_categories.help") : undefined}
            choices={DATA_CATEGORIES.filter((c) => DATA_CLASS[c] === cls).map((c) => ({
              value: c,
              label: t(vocabKey("data_category", c)),
              help: t(vocabKey("data_category", c, true)),
              badge: fromSystems.has(c) ? "✓ system" : undefined,
            }))}
            selected={selected.filter((c) => DATA_CLASS[c] === cls)}
            multiple
            error={cls === "ordinary" ? err("data_categories") : undefined}
            onChange={(inGroup: DataCategory[]) =>
              change({ data_categories: [...selected.filter((c) => DATA_CLASS[c] !== cls), ...inGroup] })
            }
          />
        ))}
      </div>
      <Choices
        id="q-data_subjects"
        legend={t("q.data_subjects")}
        help={t("q.data_subjects.help")}
        choices={choices(t, "data_subject", DATA_SUBJECTS, false)}
        selected={doc.data_subjects ?? []}
        multiple
        error={err("data_subjects")}
        onChange={(data_subjects) => change({ data_subjects })}
      />
      <CountField
        id="q-subjects_count"
        legend={t("q.subjects_count")}
        value={doc.subjects_count}
        error={err("subjects_count")}
        onChange={(subjects_count) => change({ subjects_count })}
        t={t}
        lang={lang}
      />
      <CountField
        id="q-records_count"
        legend={t("q.records_count")}
        help={t("q.records_count.help")}
        value={doc.records_count}
        error={err("records_count")}
        onChange={(records_count) => change({ records_count })}
        t={t}
        lang={lang}
      />
    </>
  );
}

function CountField({
  id,
  legend,
  help,
  value,
  error,
  onChange,
  t,
}: {
  id: string;
  legend: string;
  help?: string;
  value: Count | undefined;
  error?: string;
  onChange: (c: Count | undefined) => void;
  t: Translate;
  lang: Lang;
}) {
  const kind = value?.kind;
  return (
    <Choices
      id={id}
      legend={legend}
      help={help}
      choices={choices(t, "count_kind", COUNT_KINDS, false)}
      selected={kind ? [kind] : []}
      error={error}
      onChange={([k]: CountKind[]) => onChange(k === "unknown" ? { kind: "unknown" } : { kind: k!, value: value?.value })}
    >
      {kind && kind !== "unknown" && (
        <div class="field count-value">
          <label for={`${id}-value`}>{t("count.value")}</label>
          <input
            id={`${id}-value`}
            type="number"
            min={0}
            step={1}
            inputMode="numeric"
            value={value?.value ?? ""}
            aria-invalid={error ? "true" : "false"}
            aria-describedby={error ? `${id}-error` : undefined}
            onInput={(e) => {
              const text = (e.currentTarget as HTMLInputElement).value;
              const n = Number.parseInt(text, 10);
              onChange({ kind, value: Number.isNaN(n) ? undefined : n });
            }}
          />
        </div>
      )}
    </Choices>
  );
}

function StepWhen({ doc, change, err, errOnly, t, lang, backend }: StepProps) {
  const occurred = doc.occurred;
  const setOccurred = (patch: Partial<NonNullable<CaseDocument["occurred"]>>) => {
    const kind: OccurredKind = patch.kind ?? occurred?.kind ?? "unknown";
    const next = { ...occurred, ...patch, kind };
    // Times that the kind rules out are dropped, not kept hidden.
    if (kind === "unknown") {
      delete next.from;
      delete next.to;
    } else if (kind !== "period") {
      delete next.to;
    }
    change({ occurred: next });
  };
  return (
    <>
      <Choices
        id="q-occurred"
        legend={t("q.occurred")}
        choices={choices(t, "occurred_kind", OCCURRED_KINDS)}
        selected={occurred ? [occurred.kind] : []}
        error={errOnly("occurred")}
        onChange={([kind]) => setOccurred({ kind })}
      >
        {occurred && occurred.kind !== "unknown" && (
          <div class="time-pair">
            <TimeField
              id="occurred-from"
              label={t("occurred.from")}
              value={occurred.from}
              error={err("occurred.from")}
              onChange={(from) => setOccurred({ from })}
              backend={backend}
              t={t}
            />
            {occurred.kind === "period" && (
              <TimeField
                id="occurred-to"
                label={t("occurred.to")}
                value={occurred.to}
                error={err("occurred.to")}
                onChange={(to) => setOccurred({ to })}
                backend={backend}
                t={t}
              />
            )}
            <label class="choice">
              <input
                id="occurred-estimated"
                type="checkbox"
                checked={occurred.estimated ?? false}
                onChange={(e) => setOccurred({ estimated: (e.currentTarget as HTMLInputElement).checked })}
              />
              {t("occurred.estimated")}
            </label>
          </div>
        )}
      </Choices>
      <div id="q-discovered_at">
        <TimeField
          id="discovered_at"
          label={t("q.discovered_at")}
          value={doc.discovered_at}
          error={err("discovered_at")}
          onChange={(discovered_at) => change({ discovered_at })}
          backend={backend}
          t={t}
        />
      </div>
      <Choices
        id="q-discovered_by"
        legend={t("q.discovered_by")}
        choices={choices(t, "discovered_by", DISCOVERED_BY, false)}
        selected={doc.discovered_by ? [doc.discovered_by] : []}
        error={err("discovered_by")}
        onChange={([discovered_by]) => change({ discovered_by })}
      />
      {doc.discovered_by && doc.discovered_by !== "own_staff" && (
        <div id="q-learned_at">
          <TimeField
            id="learned_at"
            label={t("q.learned_at")}
            help={t("q.learned_at.help")}
            value={doc.learned_at}
            error={err("learned_at")}
            onChange={(learned_at) => change({ learned_at })}
            backend={backend}
            t={t}
          />
        </div>
      )}
      <TextField
        id="q-data_location"
        label={t("q.data_location")}
        help={t("q.data_location.help")}
        value={doc.data_location ?? ""}
        max={NOTE_MAX_CHARS}
        error={err("data_location")}
        multiline
        onInput={(data_location) => change({ data_location })}
        lang={lang}
        t={t}
      />
    </>
  );
}

function StepWhat({ doc, change, err, t, lang }: StepProps) {
  const text = (field: "title" | "description" | "immediate_actions" | "suggested_measures", max: number, multiline: boolean, required = false) => (
    <TextField
      id={`q-${field}`}
      label={t(`q.${field}` as MessageKey)}
      help={t(`q.${field}.help` as MessageKey)}
      value={doc[field] ?? ""}
      max={max}
      error={err(field)}
      required={required}
      multiline={multiline}
      onInput={(v) => change({ [field]: v })}
      lang={lang}
      t={t}
    />
  );
  return (
    <>
      {text("title", TITLE_MAX_CHARS, false, true)}
      {text("description", DESCRIPTION_MAX_CHARS, true, true)}
      {text("immediate_actions", DESCRIPTION_MAX_CHARS, true)}
      {text("suggested_measures", DESCRIPTION_MAX_CHARS, true)}
      <fieldset class="reporter" id="q-reporter">
        <legend>{t("q.reporter")}</legend>
        <label class="choice">
          <input
            id="anonymous"
            type="checkbox"
            checked={doc.anonymous ?? false}
            aria-describedby="anonymous-cost"
            onChange={(e) => {
              const anonymous = (e.currentTarget as HTMLInputElement).checked;
              change(anonymous ? { anonymous, reporter: undefined } : { anonymous });
            }}
          />
          {t("anonymous.label")}
        </label>
        <p id="anonymous-cost" class={doc.anonymous ? "notice notice-warn" : "help"}>
          {t("anonymous.cost")}
        </p>
        {!doc.anonymous && (
          <>
            <TextField
              id="q-reporter-name"
              label={t("reporter.name")}
              help=""
              value={doc.reporter?.name ?? ""}
              max={TITLE_MAX_CHARS}
              error={err("reporter.name")}
              required
              onInput={(name) => change({ reporter: { ...doc.reporter, name } })}
              lang={lang}
              t={t}
            />
            <TextField
              id="q-reporter-contact"
              label={t("reporter.contact")}
              help=""
              value={doc.reporter?.contact ?? ""}
              max={TITLE_MAX_CHARS}
              error={err("reporter.contact")}
              onInput={(contact) => change({ reporter: { ...doc.reporter, contact } })}
              lang={lang}
              t={t}
            />
          </>
        )}
      </fieldset>
    </>
  );
}

function StepReview({
  doc,
  review,
  t,
  lang,
  onEdit,
  onMask,
}: {
  doc: CaseDocument;
  review: Review | null;
  t: Translate;
  lang: Lang;
  onEdit: (step: number) => void;
  onMask: (field: string) => void;
}) {
  return (
    <>
      {review && review.errors.length > 0 && (
        <div class="notice notice-error" id="review-missing" role="alert">
          <p>{t("wizard.missing")}</p>
          <ul>
            {review.errors.map((e) => (
              <li key={`${e.field}-${e.problem}`}>
                {errorText(t, e)}{" "}
                {e.step && (
                  <button type="button" class="link" onClick={() => onEdit(e.step!)}>
                    {t("wizard.edit")} ({t(`wizard.step.${e.step}` as MessageKey)})
                  </button>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      {review && review.errors.length === 0 && (
        <p class="saved" id="review-complete">
          {t("wizard.complete")}
        </p>
      )}
      {review && review.warnings.length > 0 && (
        <div class="notice notice-warn" id="review-warnings">
          <p>{t("wizard.warnings")}</p>
          <ul>
            {review.warnings.map((w) => (
              <li key={w.field}>
                {t("warning.national_id_number", { field: t(fieldKey(w.field)) })}{" "}
                <button type="button" class="secondary" id={`mask-${w.field.replace(".", "-")}`} onClick={() => onMask(w.field)}>
                  {t("warning.mask")}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <CaseSummary doc={doc} t={t} lang={lang} onEdit={onEdit} />
    </>
  );
}
