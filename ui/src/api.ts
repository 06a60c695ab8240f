// The UI's only door to the back end. Components receive a `Backend`, so tests
// can pass a fake and the app passes the Tauri one.
import { invoke } from "@tauri-apps/api/core";
import type { AppInfo } from "./bindings/AppInfo";
import type { Case } from "./bindings/Case";
import type { CaseInput } from "./bindings/CaseInput";
import type { CommandError } from "./bindings/CommandError";
import type { ErrorKind } from "./bindings/ErrorKind";

export interface Backend {
  appInfo(): Promise<AppInfo>;
  listCases(query?: string): Promise<Case[]>;
  getCase(key: string): Promise<Case>;
  createCase(input: CaseInput): Promise<Case>;
}

const ERROR_KINDS: readonly ErrorKind[] = [
  "validation",
  "not_found",
  "store_too_new",
  "storage",
  "internal",
];

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

export const tauriBackend: Backend = {
  appInfo: () => call<AppInfo>("app_info"),
  listCases: (query) => call<Case[]>("list_cases", { query: query?.trim() || null }),
  getCase: (key) => call<Case>("get_case", { key }),
  createCase: (input) => call<Case>("create_case", { input }),
};
