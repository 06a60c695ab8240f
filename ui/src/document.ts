// Helpers around the case document that the form and the views share.
import type { Case } from "./bindings/Case";
import type { CaseDocument } from "./bindings/CaseDocument";
import type { ValidationError } from "./bindings/ValidationError";
import { type Translate, fieldKey, problemKey } from "./i18n";

/** The form's document inside a case (the case JSON is the document plus metadata). */
export function documentOf(c: Case): CaseDocument {
  const {
    id: _id,
    reference: _reference,
    status: _status,
    created_at: _created,
    updated_at: _updated,
    submitted_at: _submitted,
    warnings: _warnings,
    created_by: _createdBy,
    notices: _notices,
    ...form
  } = c;
  return form;
}

/** The first error about `field` itself or any part of it (`occurred` covers `occurred.from`). */
export function errorFor(errors: readonly ValidationError[], field: string): ValidationError | undefined {
  return errors.find(
    (e) => e.field === field || e.field.startsWith(`${field}.`) || e.field.startsWith(`${field}[`),
  );
}

/** The words for a field error, from the catalogue: never the core's English detail. */
export function errorText(t: Translate, e: ValidationError | undefined): string | undefined {
  return e && t(problemKey(e.problem), { field: t(fieldKey(e.field)) });
}

/** Drops empty texts and lists, so the document holds only what was answered. */
export function compact(doc: CaseDocument): CaseDocument {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) {
    if (v === undefined || v === null || v === "" || v === false) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
  }
  return out as CaseDocument;
}
