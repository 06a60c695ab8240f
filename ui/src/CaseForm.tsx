import { useRef, useState } from "preact/hooks";
import { type Backend, toCommandError } from "./api";
import type { Case } from "./bindings/Case";
import type { CommandError } from "./bindings/CommandError";
import type { Problem } from "./bindings/Problem";
import { ErrorNotice } from "./ErrorNotice";
import { type Lang, type Translate, fieldKey, formatNumber, problemKey } from "./i18n";
import { DESCRIPTION_MAX_CHARS, TITLE_MAX_CHARS, charCount } from "./limits";

type Field = "title" | "description";
type FieldErrors = Partial<Record<Field, string>>;

/**
 * The report form. It checks the obvious (an empty or too long field) for a quick
 * answer, but the core decides: whatever it refuses is shown at the field it names.
 */
export function CaseForm({
  backend,
  lang,
  t,
  onCreated,
}: {
  backend: Backend;
  lang: Lang;
  t: Translate;
  onCreated: (c: Case) => void;
}) {
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const [saving, setSaving] = useState(false);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<CommandError | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const refs = {
    title: useRef<HTMLInputElement>(null),
    description: useRef<HTMLTextAreaElement>(null),
  };

  const problemText = (field: Field, problem: Problem) =>
    t(problemKey(problem), { field: t(fieldKey(field)) });

  const showFieldError = (field: Field, text: string) => {
    setFieldErrors({ [field]: text });
    refs[field].current?.focus();
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setSaved(null);
    setFormError(null);
    if (!title.trim()) return showFieldError("title", problemText("title", "required"));
    if (charCount(title.trim()) > TITLE_MAX_CHARS)
      return showFieldError("title", problemText("title", "too_long"));
    if (charCount(description.trim()) > DESCRIPTION_MAX_CHARS)
      return showFieldError("description", problemText("description", "too_long"));
    setFieldErrors({});
    setSaving(true);
    try {
      const created = await backend.createCase({ title, description: description || null });
      setTitle("");
      setDescription("");
      setSaved(t("form.saved", { reference: created.reference }));
      onCreated(created);
      refs.title.current?.focus();
    } catch (err) {
      const error = toCommandError(err);
      if (
        error.kind === "validation" &&
        (error.field === "title" || error.field === "description") &&
        error.problem
      ) {
        showFieldError(error.field, problemText(error.field, error.problem));
      } else {
        setFormError(error);
      }
    } finally {
      setSaving(false);
    }
  };

  const describedBy = (field: Field) =>
    [`case-${field}-help`, `case-${field}-count`, fieldErrors[field] && `case-${field}-error`]
      .filter(Boolean)
      .join(" ");

  return (
    <form class="card case-form" onSubmit={submit} noValidate aria-labelledby="form-heading">
      <h2 id="form-heading">{t("form.heading")}</h2>
      <p class="muted">{t("form.intro")}</p>

      <div class={`field ${fieldErrors.title ? "has-error" : ""}`}>
        <label for="case-title">
          {t("form.title")} <span class="req">({t("form.required")})</span>
        </label>
        <small id="case-title-help">{t("form.titleHelp")}</small>
        <input
          id="case-title"
          ref={refs.title}
          type="text"
          value={title}
          required
          aria-required="true"
          aria-invalid={fieldErrors.title ? "true" : "false"}
          aria-describedby={describedBy("title")}
          onInput={(e) => setTitle((e.currentTarget as HTMLInputElement).value)}
        />
        <small id="case-title-count" class="counter">
          {t("form.chars", {
            n: formatNumber(charCount(title), lang),
            max: formatNumber(TITLE_MAX_CHARS, lang),
          })}
        </small>
        {fieldErrors.title && (
          <p id="case-title-error" class="field-error" role="alert">
            {fieldErrors.title}
          </p>
        )}
      </div>

      <div class={`field ${fieldErrors.description ? "has-error" : ""}`}>
        <label for="case-description">{t("form.description")}</label>
        <small id="case-description-help">{t("form.descriptionHelp")}</small>
        <textarea
          id="case-description"
          ref={refs.description}
          rows={8}
          value={description}
          aria-invalid={fieldErrors.description ? "true" : "false"}
          aria-describedby={describedBy("description")}
          onInput={(e) => setDescription((e.currentTarget as HTMLTextAreaElement).value)}
        />
        <small id="case-description-count" class="counter">
          {t("form.chars", {
            n: formatNumber(charCount(description), lang),
            max: formatNumber(DESCRIPTION_MAX_CHARS, lang),
          })}
        </small>
        {fieldErrors.description && (
          <p id="case-description-error" class="field-error" role="alert">
            {fieldErrors.description}
          </p>
        )}
      </div>

      {formError && <ErrorNotice error={formError} t={t} />}

      <div class="actions">
        <button id="case-submit" type="submit" disabled={saving}>
          {saving ? t("form.saving") : t("form.submit")}
        </button>
        <p id="form-status" class="saved" role="status" aria-live="polite">
          {saved}
        </p>
      </div>
    </form>
  );
}
