import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import type { Backend } from "./api";
import { App } from "./App";
import type { Case } from "./bindings/Case";
import type { CaseInput } from "./bindings/CaseInput";
import type { CommandError } from "./bindings/CommandError";

/** An in-memory back end that follows the core's contract closely enough for the UI. */
function fakeBackend(opts: { failList?: CommandError; refuse?: CommandError } = {}) {
  const cases: Case[] = [];
  const calls: CaseInput[] = [];
  const backend: Backend = {
    appInfo: async () => ({ version: "0.1.0", store_location: "/tmp/test.sqlite3", schema_version: 1 }),
    listCases: async (query) => {
      if (opts.failList) throw opts.failList;
      const q = query?.trim().toLowerCase();
      return cases.filter((c) => !q || `${c.reference} ${c.title}`.toLowerCase().includes(q));
    },
    getCase: async (key) => {
      const c = cases.find((c) => c.id === key || c.reference === key);
      if (!c) throw { kind: "not_found", message: `no case ${key}` } satisfies CommandError;
      return c;
    },
    createCase: async (input) => {
      calls.push(input);
      if (opts.refuse) throw opts.refuse;
      const n = cases.length + 1;
      const c: Case = {
        id: `00000000-0000-4000-8000-00000000000${n}`,
        reference: `AVVIK-2026-000${n}`,
        title: input.title.trim(),
        description: input.description ?? "",
        status: "reported",
        created_at: "2026-11-22T09:00:00.000000Z",
        updated_at: "2026-11-22T09:00:00.000000Z",
      };
      cases.unshift(c);
      return c;
    },
  };
  return { backend, cases, calls };
}

afterEach(() => {
  cleanup();
  localStorage.clear();
});

const type = (label: RegExp, value: string) =>
  fireEvent.input(screen.getByLabelText(label), { target: { value } });

describe("the register and the report form", () => {
  it("reports a case and shows it in the register", async () => {
    const { backend, calls } = fakeBackend();
    render(<App backend={backend} />);
    await screen.findByText(/Ingen avvik er registrert/);
    type(/^Tittel/, "Lønnsslipp sendt til feil mottaker");
    type(/Hva har skjedd/, "Oppdaget av mottakeren.");
    fireEvent.click(screen.getByRole("button", { name: "Registrer avvik" }));
    await screen.findByText("AVVIK-2026-0001 er registrert.");
    expect(calls).toEqual([{ title: "Lønnsslipp sendt til feil mottaker", description: "Oppdaget av mottakeren." }]);
    expect(screen.getByRole("button", { name: "AVVIK-2026-0001" })).toBeTruthy();
    expect((screen.getByLabelText(/^Tittel/) as HTMLInputElement).value).toBe("");
  });

  it("refuses an empty title at the field, without calling the back end", async () => {
    const { backend, calls } = fakeBackend();
    render(<App backend={backend} />);
    type(/^Tittel/, "   ");
    fireEvent.click(screen.getByRole("button", { name: "Registrer avvik" }));
    const error = await screen.findByText("Tittel må fylles ut.");
    const input = screen.getByLabelText(/^Tittel/);
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(input.getAttribute("aria-describedby")).toContain(error.id);
    expect(document.activeElement).toBe(input);
    expect(calls).toEqual([]);
  });

  it("shows the core's validation error at the field it names", async () => {
    const refuse: CommandError = {
      kind: "validation",
      message: "invalid case: title: must be a single line without control characters",
      field: "title",
      problem: "control_characters",
    };
    const { backend } = fakeBackend({ refuse });
    render(<App backend={backend} />);
    type(/^Tittel/, "Tittel");
    fireEvent.click(screen.getByRole("button", { name: "Registrer avvik" }));
    await screen.findByText("Tittel inneholder tegn som ikke er tillatt.");
  });

  it("switches on the error kind: a newer store replaces the workspace with an explanation", async () => {
    const failList: CommandError = {
      kind: "store_too_new",
      message: "the database has schema version 9, but this Avvik understands versions up to 1",
    };
    render(<App backend={fakeBackend({ failList }).backend} />);
    await screen.findByText("Avvik kan ikke åpne databasen");
    expect(screen.getByText(/laget av en nyere versjon av Avvik/)).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Registrer avvik" })).toBeNull();
  });

  it("searches the register and opens a case", async () => {
    const { backend } = fakeBackend();
    render(<App backend={backend} />);
    for (const title of ["Phishing mot økonomi", "Tapt minnepinne"]) {
      type(/^Tittel/, title);
      fireEvent.click(screen.getByRole("button", { name: "Registrer avvik" }));
      await screen.findByText(/er registrert\./);
    }
    type(/Søk i registeret/, "MINNEPINNE");
    await waitFor(() => expect(screen.queryByText("Phishing mot økonomi")).toBeNull());
    fireEvent.click(screen.getByRole("button", { name: "AVVIK-2026-0002" }));
    await screen.findByRole("heading", { name: "Avvik AVVIK-2026-0002" });
    expect(screen.getByText("Venter på at daglig leder vurderer avviket.")).toBeTruthy();
  });

  it("speaks English when asked, and remembers it", async () => {
    render(<App backend={fakeBackend().backend} />);
    fireEvent.change(screen.getByLabelText("Språk"), { target: { value: "en" } });
    await screen.findByRole("button", { name: "Report breach" });
    expect(document.documentElement.lang).toBe("en");
    expect(localStorage.getItem("avvik.lang")).toBe("en");
  });
});
