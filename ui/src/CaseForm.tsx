import { useState } from "preact/hooks";
import { type Backend, toCommandError } from "./api";
import type { Case } from "./bindings/Case";
import type { CommandError } from "./bindings/CommandError";
import type { Problem } from "./bindings/Problem";
import { ErrorNotice } from "./ErrorNotice";
import { TextField } from "./TextField";
import { type Lang, type Translate, fieldKey, problemKey } from "./i18n";
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

  const problemText = (field: Field, problem: Problem) =>
    t(problemKey(problem), { field: t(fieldKey(field)) });

  const showFieldError = (field: Field, text: string) => {
    setFieldErrors({ [field]: text });
    document.getElementById(`case-${field}`)?.focus();
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
      document.getElementById("case-title")?.focus();
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

  return (
    <form class="card case-form" onSubmit={submit} noValidate aria-labelledby="form-heading">
      <h2 id="form-heading">{t("form.heading")}</h2>
      <p class="muted">{t("form.intro")}</p>

      <TextField
        id="case-title"
        label={t("form.title")}
        help={t("form.titleHelp")}
        value={title}
        max={TITLE_MAX_CHARS}
        error={fieldErrors.title}
        required
        onInput={setTitle}
        lang={lang}
        t={t}
      />
      <TextField
        id="case-description"
        label={t("form.description")}
        help={t("form.descriptionHelp")}
        value={description}
        max={DESCRIPTION_MAX_CHARS}
        error={fieldErrors.description}
        multiline
        onInput={setDescription}
        lang={lang}
        t={t}
      />

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
