// Field limits are generated from the core (bindings/vocabulary.ts), so the form and
// the core can never disagree.
export {
  DESCRIPTION_MAX_CHARS,
  NOTE_MAX_CHARS,
  SYSTEM_NAME_MAX_CHARS,
  SYSTEM_PURPOSE_MAX_CHARS,
  TITLE_MAX_CHARS,
} from "./bindings/vocabulary";

/** Length as the core counts it: Unicode characters, not UTF-16 units. */
export function charCount(text: string): number {
  return [...text].length;
}
