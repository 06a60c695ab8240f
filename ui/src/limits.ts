// Field limits come from the JSON schema that is generated from the Rust types,
// so the form and the core can never disagree.
import schema from "../../docs/case.schema.json";

export const TITLE_MAX_CHARS: number = schema.properties.title.maxLength;
export const DESCRIPTION_MAX_CHARS: number = schema.properties.description.maxLength;

/** Length as the core counts it: Unicode characters, not UTF-16 units. */
export function charCount(text: string): number {
  return [...text].length;
}
