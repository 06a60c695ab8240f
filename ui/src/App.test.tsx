import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Backend } from "./api";
import { App } from "./App";
import type { Attachment } from "./bindings/Attachment";
import type { Case } from "./bindings/Case";
import type { CaseDocument } from "./bindings/CaseDocument";
import type { CommandError } from "./bindings/CommandError";
import type { DemoInfo } from "./bindings/DemoInfo";
import type { Handling } from "./bindings/Handling";
import type { Restored } from "./bindings/Restored";
import type { RetentionStatus } from "./bindings/RetentionStatus";
import type { StorageStatus } from "./bindings/StorageStatus";
import type { System } from "./bindings/System";
import type { Task } from "./bindings/Task";
import type { User } from "./bindings/User";
import type { ValidationError } from "./bindings/ValidationError";
import { AUTOSAVE_DELAY_MS } from "./Wizard";

/** What the core would say is missing; enough of its rules for the UI's behaviour. */
function missing(doc: CaseDocument): ValidationError[] {
  const errors: ValidationError[] = [];
  const need = (field: string, step: number, ok: unknown) => {
    if (!ok) errors.push({ field, problem: "required", detail: `${field} is required to submit`, step });
  };
  need("personal_data", 1, doc.personal_data);
  need("systems", 2, doc.systems?.length);
  need("title", 6, doc.title?.trim());
  return errors;
}

const LEDER: User = {
  id: "u1",
  username: "leder",
  name: "Lise Leder",
  email: null,
  roles: ["handler", "admin"],
  created_at: "2026-01-01T00:00:00Z",
  disabled_at: null,
  must_change_password: false,
};

/** A case an employee reported this morning, its 72-hour clock running; `over` changes parts. */
function reportedCase(over: Partial<Case> = {}): Case {
  return {
    id: "c1",
    reference: "AVVIK-2026-0001",
    status: "reported",
    created_at: "2026-11-22T09:00:00Z",
    updated_at: "2026-11-22T09:00:00Z",
    submitted_at: "2026-11-22T09:00:00Z",
    created_by: "u2",
    notices: [],
    clock: {
      regime: "gdpr-33-1",
      hours: 72,
      aware_at: "2026-11-22T09:00:00Z",
      deadline_at: "2999-11-25T09:00:00Z",
      deadline_local: "2999-11-25T10:00:00+01:00",
      seconds_left: 0,
      state: "running",
      follow_up_due: false,
    },
    warnings: [],
    title: "Lønnsslipper sendt til feil mottaker",
    ...over,
  } as Case;
}

function fakeBackend(opts: { failList?: CommandError; auth?: "setup" | "signin" | "signed" } = {}) {
  let auth = opts.auth ?? "signed";
  // The demo company, once made: its users are offered at sign-in.
  let demo: DemoInfo | null = null;
  // The store as a whole; tests may change it. `restores` are the restore dialog's answers in turn.
  const storage: StorageStatus & { plainBackup?: boolean } = {
    location: "/tmp/avvik.sqlite3",
    encrypted: true,
    keychain: false,
    remembered: false,
    backups: [{ path: "/tmp/backups/avvik-20261121T020000Z-scheduled.sqlite3", at: "2026-11-21T02:00:00Z", reason: "scheduled", bytes: 2048 }],
    recovery_sheet: false,
  };
  const restores: (Restored | null)[] = [];
  // The screens `resumeScreen` answers in turn (the window reopened from the tray).
  const resume: string[] = [];
  // The signed-in user's open measures, as the overview lists them.
  const tasks: Task[] = [];
  // Retention: the period saved with the organisation, and the closed cases due under it.
  const retention: RetentionStatus = {
    months: null,
    candidates: [{ id: "c9", reference: "AVVIK-2023-0004", closed_at: "2023-02-01T10:00:00Z" }],
  };
  const cases: Case[] = [];
  const systems: System[] = [
    { id: "s1", name: "Tripletex", purpose: "Regnskap", data_categories: ["economic_financial"], processor: null, created_at: "2026-01-01T00:00:00Z" },
  ];
  const calls: string[] = [];
  const attachments: Attachment[] = [];
  const acked = new Set<string>();
  const stamp = "2026-11-22T09:00:00.000000Z";
  const people: User[] = [LEDER];
  const toCase = (id: string, doc: CaseDocument, old?: Case): Case => ({
    ...doc,
    id,
    reference: old?.reference ?? null,
    status: old?.status ?? "draft",
    created_at: old?.created_at ?? stamp,
    updated_at: stamp,
    submitted_at: old?.submitted_at ?? null,
    created_by: "u1",
    notices: [],
    clock: null,
    warnings: doc.description?.match(/\d{11}/) ? [{ field: "description", warning: "national_id_number", step: 6 }] : [],
  });
  let assessed: Handling["assessment"] = null;
  const handling = (key: string): Handling => ({
    case_id: key,
    status: assessed ? "handling" : "reported",
    assessment: assessed,
    decision: null,
    measures: [],
    approval: null,
    closing: null,
    comments: [],
    awareness: null,
    filings: [],
    unfiled_changes: [],
    subject_notices: [],
    duties: [],
    clock: {
      regime: "gdpr-33-1",
      hours: 72,
      aware_at: "2026-11-22T09:00:00Z",
      deadline_at: "2026-11-25T09:00:00Z",
      deadline_local: "2026-11-25T10:00:00+01:00",
      seconds_left: 3 * 86400,
      state: "running",
    follow_up_due: false,
    },
    overdue: [],
    blockers: assessed ? [{ kind: "decision" }] : [{ kind: "assessment" }],
  });
  const backend: Backend = {
    authStatus: async () => ({
      store: auth === "setup" ? "new" : "open",
      encrypted: auth !== "setup",
      needs_setup: auth === "setup",
      user: auth === "signed" ? LEDER : null,
      organisation: auth === "setup" ? null : { name: "Fjordtech AS", org_number: "974760673" },
      single_user: false,
      demo,
    }),
    createDemo: async () => {
      calls.push("create demo");
      demo = {
        users: [
          { username: "leder", password: "demopassord", name: "Kari Nordmann", roles: ["handler", "admin"] },
          { username: "ansatt", password: "demopassord", name: "Ola Nordmann", roles: ["employee"] },
        ],
      };
      auth = "signin";
      return demo;
    },
    removeDemo: async () => {
      calls.push("remove demo");
      demo = null;
      auth = "setup";
    },
    setUp: async (organisation, user, encryption) => {
      calls.push(`encryption ${JSON.stringify(encryption)}`);
      calls.push(`setup ${organisation.org_number} ${user.username}`);
      const errors: ValidationError[] = [];
      if (organisation.org_number.replace(/\s/g, "") !== "974760673")
        errors.push({ field: "org.org_number", problem: "malformed", detail: "bad" });
      if (user.password.length < 10) errors.push({ field: "user.password", problem: "required", detail: "short" });
      if (errors.length) throw { kind: "validation", message: "invalid", errors } satisfies CommandError;
      auth = "signed";
      return {
        user: { ...LEDER, username: user.username, name: user.name },
        generated_passphrase: "abcde-fghjk-mnpqr-stuvw-xyz23-45678",
        keychain_error: null,
      };
    },
    signIn: async (username, password) => {
      if (password !== (demo ? "demopassord" : "et langt passord"))
        throw { kind: "unauthorized", message: "the user name or the password is wrong" } satisfies CommandError;
      auth = "signed";
      return { ...LEDER, username };
    },
    signOut: async () => {
      auth = "signin";
    },
    inbox: async () =>
      cases
        .filter((c) => c.status === "reported")
        .map((c) => ({ id: `n-${c.id}`, case_id: c.id, reference: c.reference ?? "", title: c.title ?? "", submitted_at: stamp, acknowledged_at: acked.has(c.id) ? stamp : null, overdue_measures: 0, status: c.status })),
    acknowledge: async (id) => {
      const caseId = id.slice(2);
      acked.add(caseId);
      calls.push(`ack ${caseId}`);
      const c = cases.find((c) => c.id === caseId)!;
      return { id, case_id: caseId, reference: c.reference ?? "", title: c.title ?? "", submitted_at: stamp, acknowledged_at: stamp, overdue_measures: 0, status: c.status };
    },
    appInfo: async () => ({ version: "0.1.0", store_location: "/tmp/test.sqlite3", schema_version: 2 }),
    listCases: async (filter) => {
      calls.push(`list ${JSON.stringify(filter)}`);
      if (opts.failList) throw opts.failList;
      const q = filter.query?.trim().toLowerCase();
      const found = cases.filter(
        (c) => (!q || `${c.reference} ${c.title}`.toLowerCase().includes(q)) && (!filter.status || c.status === filter.status),
      );
      return { cases: found.slice(filter.offset ?? 0, (filter.offset ?? 0) + (filter.limit ?? found.length)), total: found.length };
    },
    getCase: async (key) => {
      const c = cases.find((c) => c.id === key || c.reference === key);
      if (!c) throw { kind: "not_found", message: `no case ${key}` } satisfies CommandError;
      return c;
    },
    createDraft: async (doc) => {
      calls.push(`create ${JSON.stringify(doc)}`);
      const c = toCase(`00000000-0000-4000-8000-00000000000${cases.length + 1}`, doc);
      cases.unshift(c);
      return c;
    },
    saveDraft: async (id, doc) => {
      calls.push(`save ${id} ${JSON.stringify(doc)}`);
      const i = cases.findIndex((c) => c.id === id);
      const c = toCase(id, doc, cases[i]);
      cases[i] = c;
      return c;
    },
    submitCase: async (key) => {
      calls.push(`submit ${key}`);
      const i = cases.findIndex((c) => c.id === key);
      const c = cases[i]!;
      const errors = missing(c);
      if (errors.length) throw { kind: "validation", message: "invalid case", errors } satisfies CommandError;
      cases[i] = { ...c, status: "reported", reference: `AVVIK-2026-000${i + 1}`, submitted_at: stamp };
      return cases[i]!;
    },
    reviewDocument: async (doc) => ({
      errors: missing(doc),
      warnings: doc.description?.match(/\d{11}/) ? [{ field: "description", warning: "national_id_number", step: 6 }] : [],
    }),
    applyTemplate: async (doc, incidentType) => ({ ...doc, incident_type: incidentType, nature: ["confidentiality"] }),
    maskNationalIds: async (text) => text.replace(/\d{11}/g, "***********"),
    resolveLocalTime: async (local) => ({ kind: "exact", utc: `${local}:00Z` }),
    listSystems: async () => systems,
    addAttachment: async (caseKey, fileName, bytes) => {
      calls.push(`attach ${caseKey} ${fileName} ${bytes.length}`);
      const a = { id: `a${attachments.length + 1}`, case_id: caseKey, file_name: fileName, media_type: "text/plain", size: bytes.length, sha256: "0".repeat(64), added_at: stamp };
      attachments.push(a);
      return a;
    },
    listAttachments: async (caseKey) => attachments.filter((a) => a.case_id === caseKey),
    attachmentPreview: async () => ({ kind: "text", text: "Hei Åse" }),
    saveAttachment: async () => "/home/åse/feilsendt.eml",
    exportRegister: async (filter, format, lang) => {
      calls.push(`export ${format} ${lang} ${JSON.stringify(filter)}`);
      return `/home/åse/avviksregister.${format}`;
    },
    getHandling: async (key) => handling(key),
    saveAssessment: async (key, input) => {
      calls.push(`assess ${key} ${JSON.stringify(input)}`);
      if (!input.verdict)
        throw {
          kind: "validation",
          message: "invalid",
          errors: [{ field: "assessment.verdict", problem: "required", detail: "choose" }],
        } satisfies CommandError;
      assessed = {
        input,
        enisa: { dpc: 1, ei: 0.5, cb: 0, score: 0.5, band: "low" },
        presumption: "unlikely",
        verdict: input.verdict,
        departs: input.verdict !== "unlikely",
        stamp: { by: { id: "u1", name: "Lise Leder" }, at: stamp },
      };
      return handling(key);
    },
    evaluateEnisa: async () => ({ result: { dpc: 1, ei: 0.5, cb: 0, score: 0.5, band: "low" }, presumption: "unlikely" }),
    recordDecision: async (key) => handling(key),
    addMeasure: async (key) => handling(key),
    updateMeasure: async (key) => handling(key),
    approveMeasures: async (key) => handling(key),
    setAwareness: async (key) => handling(key),
    correctCase: async (key) => handling(key),
    informSubjects: async (key) => handling(key),
    exportDocument: async () => null,
    previewDocument: async () => ["data:image/png;base64,iVBORw0KGgo="],
    caseHistory: async () => [],
    unlock: async () => ({ remembered: false, keychain_error: null }),
    saveRecoverySheet: async (lang) => {
      calls.push(`recovery sheet ${lang}`);
      if (!storage.recovery_sheet) throw { kind: "conflict", message: "the recovery sheet is made only once" } satisfies CommandError;
      storage.recovery_sheet = false;
      return "/home/åse/avvik-gjenopprettingsark.pdf";
    },
    dismissRecoverySheet: async () => {
      storage.recovery_sheet = false;
    },
    storageStatus: async () => ({ ...storage, backups: [...storage.backups] }),
    backupNow: async () => {
      calls.push("backup");
      const b = { path: "/tmp/backups/avvik-20261122T100000Z-manual.sqlite3", at: "2026-11-22T10:00:00Z", reason: "manual" as const, bytes: 3 * 1024 };
      storage.backups.unshift(b);
      return b;
    },
    restoreBackup: async (passphrase, plainConfirmed) => {
      calls.push(`restore ${JSON.stringify(passphrase)}${plainConfirmed ? " plain" : ""}`);
      if (storage.plainBackup && !plainConfirmed)
        throw {
          kind: "validation",
          message: "invalid",
          errors: [{ field: "restore.plain_confirmed", problem: "required", detail: "plain" }],
        } satisfies CommandError;
      const restored = restores.shift() ?? null;
      if (restored) auth = "signin";
      return restored;
    },
    changePassphrase: async (passphrase, remember) => {
      calls.push(`passphrase ${passphrase} ${remember}`);
      if (passphrase.length < 12)
        throw { kind: "validation", message: "invalid", errors: [{ field: "passphrase", problem: "required", detail: "short" }] } satisfies CommandError;
      storage.recovery_sheet = true;
      return { remembered: false, keychain_error: null };
    },
    encryptStore: async (passphrase, remember) => {
      calls.push(`encrypt ${passphrase} ${remember}`);
      storage.encrypted = true;
      storage.recovery_sheet = true;
      return { remembered: false, keychain_error: null };
    },
    auditStatus: async () => ({ events: 0, head: "0".repeat(64), broken: null, head_found: null, state: [] }),
    // The overview: the open cases with their clocks, the tasks a test gives, the store's state.
    dashboard: async () => {
      if (opts.failList) throw opts.failList;
      return {
        open_cases: cases
          .filter((c) => (c.status === "reported" || c.status === "handling") && c.reference)
          .map((c) => ({ id: c.id, reference: c.reference!, title: c.title ?? "", status: c.status, clock: c.clock })),
        my_tasks: tasks,
        approvals: [],
        overdue: { clocks: 0, measures: tasks.filter((t) => t.overdue).length },
        readiness: { contact_point: false, altinn_submitter: "Kari Nordmann", smtp_configured: false, last_backup: storage.backups[0]?.at ?? null },
        charts: {
          months: ["2026-10", "2026-11"],
          cases_per_month: [{ month: "2026-11", incident_type: "sent_by_mistake", cases: 2 }],
          filings: [
            { month: "2026-10", filed: 0, in_time: 0, percent_in_time: null, average_hours: null, max_hours: null },
            { month: "2026-11", filed: 2, in_time: 1, percent_in_time: 50, average_hours: 40.5, max_hours: 80 },
          ],
          deadline_hours: 72,
          measure_ages: [
            { bucket: "days_0_7", measures: tasks.length },
            { bucket: "days_8_30", measures: 0 },
            { bucket: "days_31_90", measures: 0 },
            { bucket: "over_90", measures: 0 },
          ],
        },
      };
    },
    saveChart: async (name, svg) => {
      calls.push(`chart ${name} ${svg.startsWith("<svg")}`);
      return `/home/åse/avvik-${name}.svg`;
    },
    saveChartPng: async (name) => `/home/åse/avvik-${name}.png`,
    addFiling: async (key) => handling(key),
    setFilingReceipt: async (key) => handling(key),
    filingGuide: async () => ({
      url: "https://www.datatilsynet.no/",
      altinn_role: "Utfyller/innsender",
      altinn_submitter: null,
      sections: [{ heading: "Tidslinje", answers: [{ label: "Oppdaget", text: "20.11.2026 kl. 09:05", gap: null }] }],
    }),
    closeCase: async (key) => handling(key),
    addComment: async (key) => handling(key),
    people: async () => people,
    users: async () => people,
    addUser: async (person) => {
      const user: User = {
        id: `u${people.length + 1}`,
        username: person.username.trim().toLowerCase(),
        name: person.name,
        email: person.email ?? null,
        roles: person.roles,
        created_at: stamp,
        disabled_at: null,
        must_change_password: true,
      };
      people.push(user);
      return { user, one_time_password: person.password.kind === "one_time" ? "abcd-efgh-jkmn-pqrs" : null };
    },
    updateUser: async (id, update) => {
      if (id === LEDER.id && update.roles.some((r) => !LEDER.roles.includes(r)))
        throw { kind: "forbidden", message: "nobody can give themselves a role" } satisfies CommandError;
      const i = people.findIndex((p) => p.id === id);
      people[i] = { ...people[i]!, name: update.name, email: update.email ?? null, roles: update.roles };
      return people[i]!;
    },
    resetPassword: async (id) => {
      const user = { ...people.find((p) => p.id === id)!, must_change_password: true };
      return { user, one_time_password: "abcd-efgh-jkmn-pqrs" };
    },
    setUserDisabled: async (id, disabled) => {
      if (id === LEDER.id) throw { kind: "conflict", message: "nobody can disable themselves" } satisfies CommandError;
      const i = people.findIndex((p) => p.id === id);
      people[i] = { ...people[i]!, disabled_at: disabled ? stamp : null };
      return people[i]!;
    },
    updateOrganisation: async (o) => {
      retention.months = o.retention_months ?? null;
      return o;
    },
    retentionStatus: async () => ({ months: retention.months, candidates: retention.months ? [...retention.candidates] : [] }),
    anonymiseCases: async (ids) => {
      calls.push(`anonymise ${ids.join(" ")}`);
      const done = retention.candidates.filter((c) => ids.includes(c.id));
      retention.candidates = [];
      return done.map((c) => ({ reference: c.reference, months: retention.months ?? 0, texts: 9, comments: 1, attachments: 0, events: 12 }));
    },
    smtpSettings: async () => null,
    saveSmtp: async () => null,
    testSmtp: async () => {},
    copyText: async (text) => {
      calls.push(`copy ${text}`);
    },
    closeToTray: async (screen) => {
      calls.push(`close ${screen ?? ""}`);
    },
    resumeScreen: async () => resume.shift() ?? null,
    templateTypes: async () => [],
    addSystem: async (input) => {
      const s: System = { id: `s${systems.length + 1}`, name: input.name, purpose: input.purpose ?? null, data_categories: [], processor: input.processor ?? null, created_at: stamp };
      systems.push(s);
      return s;
    },
  };
  return { backend, cases, calls, storage, restores, tasks, resume };
}

afterEach(() => {
  cleanup();
  localStorage.clear();
  vi.useRealTimers();
});

const type = (label: RegExp | string, value: string) =>
  fireEvent.input(screen.getByLabelText(label), { target: { value } });
const click = (name: RegExp | string) => fireEvent.click(screen.getByRole("button", { name }));
const autosave = () => new Promise((r) => setTimeout(r, AUTOSAVE_DELAY_MS + 50));

describe("the mapping form", () => {
  it("autosaves a draft as the user types, then saves changes to the same draft", async () => {
    const { backend, calls } = fakeBackend();
    render(<App backend={backend} />);
    fireEvent.click(await screen.findByRole("button", { name: "Meld nytt avvik" }));
    fireEvent.click(await screen.findByLabelText(/^Usikker/));
    await autosave();
    await screen.findByText(/Utkastet er lagret/);
    // The reporter is the signed-in person from the start: nobody retypes their own name.
    expect(calls.filter((c) => c.startsWith("create"))).toEqual([
      'create {"reporter":{"name":"Lise Leder"},"personal_data":"unsure"}',
    ]);
    fireEvent.click(screen.getByLabelText(/^Ja/));
    await autosave();
    await waitFor(() => expect(calls.some((c) => c.startsWith("save 00000000-0000-4000-8000-000000000001"))).toBe(true));
  });

  it("does not leave a step with a missing answer, and ties the error to the field", async () => {
    const { backend } = fakeBackend();
    render(<App backend={backend} />);
    fireEvent.click(await screen.findByRole("button", { name: "Meld nytt avvik" }));
    click("Neste");
    const error = await screen.findByText("Svaret om personopplysninger må fylles ut.");
    const group = document.getElementById("q-personal_data")!;
    expect(group.getAttribute("aria-invalid")).toBe("true");
    expect(group.getAttribute("aria-describedby")).toContain(error.id);
    // Each choice carries the error too, and focus goes to the first of them.
    const choices = [...group.querySelectorAll("input")];
    expect(choices.length).toBe(3);
    for (const input of choices) expect(input.getAttribute("aria-describedby")).toContain(error.id);
    expect(document.activeElement?.id).toBe(choices[0]!.id);
    expect(screen.getByRole("heading", { level: 2 }).textContent).toContain("Personopplysninger");
  });

  it("redraws what is on screen in the other language and keeps what was typed", async () => {
    const { backend } = fakeBackend();
    render(<App backend={backend} />);
    fireEvent.click(await screen.findByRole("button", { name: "Meld nytt avvik" }));
    fireEvent.click(await screen.findByRole("button", { name: /Hva skjedde/ }));
    fireEvent.input(await screen.findByLabelText(/^Hva har skjedd\?/), { target: { value: "Typed, not yet saved" } });
    click("Neste");
    await screen.findByText("Tittelen må fylles ut.");
    expect(document.getElementById("wizard-notice")!.textContent).toBe("Rett det som er markert før du går videre.");
    fireEvent.change(screen.getByLabelText("Språk"), { target: { value: "en" } });
    await screen.findByText("The title is required.");
    expect(document.getElementById("wizard-notice")!.textContent).toBe("Fix what is marked before you go on.");
    expect((screen.getByLabelText(/^What happened\?/) as HTMLTextAreaElement).value).toBe("Typed, not yet saved");
    expect(screen.getByRole("heading", { level: 2 }).textContent).toBe("Report a breach · What happened");
  });

  it("suggests a system's data, lists what is missing, and submits", async () => {
    const { backend, calls } = fakeBackend();
    render(<App backend={backend} />);
    fireEvent.click(await screen.findByRole("button", { name: "Meld nytt avvik" }));
    fireEvent.click(await screen.findByLabelText(/^Ja/));
    click("Neste");
    fireEvent.click(await screen.findByLabelText(/^Tripletex/));
    click("Neste");
    await screen.findByText("Hva slags brudd er det?");
    click(/Se over og send inn/);
    const missingList = await screen.findByText("Dette mangler før du kan sende inn:");
    expect(missingList.parentElement!.textContent).toContain("Tittelen må fylles ut.");
    expect((screen.getByRole("button", { name: "Send inn avviket" }) as HTMLButtonElement).disabled).toBe(true);
    // The system's data category was suggested in step 4.
    expect(screen.getByText("Økonomi")).toBeTruthy();

    click(/Endre \(Hva skjedde\)/);
    type(/^Kort tittel/, "Lønnsliste på avveie – æøå");
    type(/^Hva har skjedd/, "Gjelder 15878542112 og flere.");
    click(/Se over og send inn/);
    await screen.findByText("Alt som trengs er fylt ut.");
    expect(screen.getByText(/ser ut til å inneholde et fødselsnummer/)).toBeTruthy();
    click("Masker nummeret");
    await waitFor(() => expect(screen.queryByText(/ser ut til å inneholde et fødselsnummer/)).toBeNull());
    expect(screen.getByText("Gjelder *********** og flere.")).toBeTruthy();

    click("Send inn avviket");
    await screen.findByText("Avviket er sendt inn og registrert som AVVIK-2026-0001.");
    expect(screen.getByRole("heading", { name: "Avvik AVVIK-2026-0001" })).toBeTruthy();

    // Files go with the case, and can be shown and saved again.
    const file = new File(["Hei Åse"], "feilsendt æøå.eml", { type: "message/rfc822" });
    fireEvent.change(screen.getByLabelText("Legg ved fil"), { target: { files: [file] } });
    await screen.findByText("feilsendt æøå.eml er lagt ved.");
    expect(calls).toContain("attach 00000000-0000-4000-8000-000000000001 feilsendt æøå.eml 8");
    click("Vis");
    await screen.findByText("Hei Åse");
    click("Lagre som …");
    await screen.findByText("Lagret i /home/åse/feilsendt.eml.");

    // The general manager sees the notice and acknowledges it.
    fireEvent.click(await screen.findByRole("button", { name: "Innboks (1 ny)" }));
    click("Kvitter mottatt");
    await screen.findByRole("button", { name: "Innboks" });
    expect(calls).toContain("ack 00000000-0000-4000-8000-000000000001");
    expect(calls).toContain("submit 00000000-0000-4000-8000-000000000001");
  });

  it("offers to continue a draft after a restart", async () => {
    const { backend } = fakeBackend();
    await backend.createDraft({ title: "Halvferdig rapport", personal_data: "yes" });
    render(<App backend={backend} />);
    fireEvent.click(await screen.findByRole("button", { name: "Avviksregister" }));
    click(await screen.findByRole("button", { name: "Fortsett utkastet" }).then((b) => b.textContent!));
    await screen.findByText(/Utkast påbegynt/);
    click("6 Hva skjedde");
    expect((screen.getByLabelText(/^Kort tittel/) as HTMLInputElement).value).toBe("Halvferdig rapport");
  });
});

describe("the history's check", () => {
  it("names on every screen the cases that differ from what their history recorded", async () => {
    const { backend } = fakeBackend();
    backend.auditStatus = async () => ({
      events: 12,
      head: "0".repeat(64),
      broken: null,
      head_found: null,
      state: [
        { case_id: "c1", reference: "AVVIK-2026-0001", parts: ["case", "decision"] },
        { case_id: "c9", reference: null, parts: ["missing"] },
      ],
    });
    render(<App backend={backend} />);
    const alarm = await screen.findByRole("alert");
    expect(alarm.textContent).toContain("AVVIK-2026-0001 (case, decision); en slettet sak");
  });
});

describe("closing the window to the tray", () => {
  it("saves what is typed at once and names the draft, then opens on it again", async () => {
    const { backend, calls, resume } = fakeBackend();
    const first = render(<App backend={backend} />);
    fireEvent.click(await screen.findByRole("button", { name: "Meld nytt avvik" }));
    fireEvent.click(await screen.findByLabelText(/^Ja/));
    // The shell closes the window before the autosave's delay has passed.
    const close = (window as unknown as { __avvikBeforeClose: () => Promise<void> }).__avvikBeforeClose;
    await close();
    const id = "00000000-0000-4000-8000-000000000001";
    expect(calls.filter((c) => c.startsWith("create")).length).toBe(1);
    expect(calls.at(-1)).toBe(`close wizard:${id}`);
    first.unmount();
    // The window is built anew: the same draft, with its answer, is on the screen.
    resume.push(`wizard:${id}`);
    render(<App backend={backend} />);
    await screen.findByText(/Utkast påbegynt/);
    expect((screen.getByLabelText(/^Ja/) as HTMLInputElement).checked).toBe(true);
  });

  it("opens on the case the window showed, and at home when it is gone", async () => {
    const { backend, cases, calls, resume } = fakeBackend();
    cases.push(reportedCase({ nature: ["confidentiality"] }));
    const first = render(<App backend={backend} />);
    fireEvent.click(await screen.findByRole("button", { name: "AVVIK-2026-0001" }));
    await screen.findByText("Avviket må vurderes.");
    await (window as unknown as { __avvikBeforeClose: () => Promise<void> }).__avvikBeforeClose();
    expect(calls.at(-1)).toBe("close case:c1");
    first.unmount();
    resume.push("case:c1");
    const second = render(<App backend={backend} />);
    expect(await screen.findByText("Avviket må vurderes.")).toBeTruthy();
    second.unmount();
    resume.push("case:gone");
    render(<App backend={backend} />);
    await screen.findByRole("button", { name: "AVVIK-2026-0001" });
    expect(screen.queryByText("Avviket må vurderes.")).toBeNull();
  });
});

describe("signing in", () => {
  it("sets up the organisation and its general manager on the first run", async () => {
    const { backend, calls } = fakeBackend({ auth: "setup" });
    render(<App backend={backend} />);
    await screen.findByRole("heading", { name: "Sett opp Avvik" });
    type(/^Navn/, "Fjordtech AS");
    type(/^Organisasjonsnummer/, "123 456 789");
    type(/^Fullt navn/, "Lise Leder");
    type(/^Brukernavn/, "leder");
    type(/^Passord/, "kort");
    type(/^Gjenta passordet/, "kort");
    click("Opprett og logg inn");
    await screen.findByText("Organisasjonsnummeret har feil form.");
    expect(screen.getByText("Passordet (minst 10 tegn) må fylles ut.")).toBeTruthy();
    type(/^Organisasjonsnummer/, "974 760 673");
    type(/^Passord/, "et langt passord");
    type(/^Gjenta passordet/, "et langt passord");
    click("Opprett og logg inn");
    // The passphrase Avvik made up is shown once, with the recovery sheet, before the overview.
    await screen.findByRole("heading", { name: "Ta vare på passfrasen" });
    expect(screen.getByText("abcde-fghjk-mnpqr-stuvw-xyz23-45678")).toBeTruthy();
    click("Jeg har tatt vare på passfrasen");
    await screen.findByRole("heading", { name: "Oversikt" });
    expect(calls).toContain("setup 974 760 673 leder");
    expect(calls).toContain('encryption {"passphrase":null,"unencrypted":false,"remember":true}');
    expect(screen.getByText(/Lise Leder \(daglig leder, administrator\)/)).toBeTruthy();
  });

  it("signs in and out, and says so when the password is wrong", async () => {
    const { backend } = fakeBackend({ auth: "signin" });
    render(<App backend={backend} />);
    await screen.findByRole("heading", { name: "Logg inn" });
    expect(screen.queryByRole("button", { name: "Meld nytt avvik" })).toBeNull();
    type(/^Brukernavn/, "leder");
    type(/^Passord/, "feil");
    click("Logg inn");
    await screen.findByText(/Brukernavnet eller passordet er feil/);
    type(/^Passord/, "et langt passord");
    click("Logg inn");
    await screen.findByRole("button", { name: "Meld nytt avvik" });
    click("Logg ut");
    await screen.findByRole("heading", { name: "Logg inn" });
  });
});

describe("the demo company", () => {
  it("keeps the first-run form waiting while the demo is being made", async () => {
    const { backend, calls } = fakeBackend({ auth: "setup" });
    const made = backend.createDemo;
    let finish: () => void = () => {};
    backend.createDemo = () =>
      new Promise<DemoInfo>((resolve, reject) => {
        finish = () => made().then(resolve, reject);
      });
    render(<App backend={backend} />);
    await screen.findByRole("heading", { name: "Sett opp Avvik" });
    const submit = () => screen.getByRole("button", { name: "Opprett og logg inn" }) as HTMLButtonElement;
    expect(submit().disabled).toBe(false);
    click("Prøv med et demofirma");
    await waitFor(() => expect(submit().disabled).toBe(true));
    fireEvent.submit(submit().closest("form")!);
    expect(calls.filter((c) => c.startsWith("setup"))).toEqual([]);
    finish();
    await screen.findByRole("heading", { name: "Logg inn i demofirmaet" });
    expect(calls).toContain("create demo");
    expect(calls.filter((c) => c.startsWith("setup"))).toEqual([]);
  });

  it("lets the first run go on when the demo could not be made", async () => {
    const { backend } = fakeBackend({ auth: "setup" });
    backend.createDemo = async () => {
      throw { kind: "storage", message: "the disk is full" } satisfies CommandError;
    };
    render(<App backend={backend} />);
    await screen.findByRole("heading", { name: "Sett opp Avvik" });
    click("Prøv med et demofirma");
    await screen.findByText(/the disk is full/);
    expect((screen.getByRole("button", { name: "Opprett og logg inn" }) as HTMLButtonElement).disabled).toBe(false);
  });

  it("is made from the first run, is said on every screen, and is removed after a confirmation", async () => {
    const { backend, calls } = fakeBackend({ auth: "setup" });
    render(<App backend={backend} />);
    await screen.findByRole("heading", { name: "Sett opp Avvik" });
    expect(screen.queryByRole("complementary", { name: /Demofirma/ })).toBeNull();
    click("Prøv med et demofirma");
    // The sign-in screen offers the demo users, and the banner is there from now on.
    await screen.findByRole("heading", { name: "Logg inn i demofirmaet" });
    expect(screen.getByRole("complementary", { name: /Demofirma – eksempeldata, ikke ekte saker/ })).toBeTruthy();
    expect(screen.getAllByText("Brukernavn leder · passord demopassord").length).toBe(1);
    click("Logg inn som Kari Nordmann");
    await screen.findByRole("button", { name: "Meld nytt avvik" });
    expect(screen.getByRole("complementary", { name: /Demofirma/ })).toBeTruthy();
    // Removing asks first; cancelling keeps everything.
    click("Fjern demofirmaet");
    await screen.findByText(/Det kan ikke angres/);
    click("Avbryt");
    await screen.findByRole("button", { name: "Fjern demofirmaet" });
    expect(calls).not.toContain("remove demo");
    click("Fjern demofirmaet");
    click("Ja, fjern demofirmaet");
    await screen.findByRole("heading", { name: "Sett opp Avvik" });
    expect(calls).toContain("remove demo");
    expect(screen.queryByRole("complementary", { name: /Demofirma/ })).toBeNull();
    expect(screen.queryByRole("button", { name: "Meld nytt avvik" })).toBeNull();
  });
});

describe("the general manager's handling", () => {
  it("shows what keeps a case open, ties a missing verdict to its field, and asks why a verdict departs", async () => {
    const { backend, cases, calls } = fakeBackend();
    cases.push(reportedCase({ nature: ["confidentiality"] }));
    render(<App backend={backend} />);
    fireEvent.click(await screen.findByRole("button", { name: "AVVIK-2026-0001" }));
    expect(await screen.findByText("Avviket må vurderes.")).toBeTruthy();
    expect(screen.getByText(/Frist 25\. nov\. 2026.*72 timer/)).toBeTruthy();
    await screen.findByText(/ENISA: 0,5 \(lav\)/);
    fireEvent.click(screen.getByRole("button", { name: "Lagre vurderingen" }));
    const error = await screen.findByText("Risiko for de berørte må fylles ut.");
    expect(document.getElementById("assessment-verdict")!.getAttribute("aria-describedby")).toContain(error.id);
    fireEvent.click(screen.getByLabelText(/^Høy risiko/));
    // Answered: its error goes at once, not at the next save.
    await waitFor(() => expect(screen.queryByText("Risiko for de berørte må fylles ut.")).toBeNull());
    expect(document.getElementById("assessment-verdict")!.getAttribute("aria-describedby") ?? "").not.toContain(error.id);
    expect(await screen.findByText(/avviker fra ENISA-tallet/)).toBeTruthy();
    expect(screen.getByLabelText(/Hvorfor avvike fra ENISA/)).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Lagre vurderingen" }));
    await screen.findByText(/Vurdert av Lise Leder/);
    expect(calls.some((c) => c.startsWith("assess c1") && c.includes('"verdict":"high_risk"'))).toBe(true);
    expect(screen.getByText("Det må bestemmes om Datatilsynet og de berørte skal varsles.")).toBeTruthy();
  });
});

describe("the register", () => {
  it("switches on the error kind: a newer store replaces the workspace with an explanation", async () => {
    const failList: CommandError = {
      kind: "store_too_new",
      message: "the database has schema version 9, but this Avvik understands versions up to 2",
    };
    render(<App backend={fakeBackend({ failList }).backend} />);
    await screen.findByText("Avvik kan ikke åpne databasen");
    expect(screen.getByText(/laget av en nyere versjon av Avvik/)).toBeTruthy();
  });

  it("offers no search, filters or export on an empty register", async () => {
    const { backend } = fakeBackend();
    render(<App backend={backend} />);
    fireEvent.click(await screen.findByRole("button", { name: "Avviksregister" }));
    await screen.findByText(/Ingen avvik er registrert/);
    expect(screen.queryByLabelText("Status")).toBeNull();
    expect(screen.queryByRole("button", { name: "Eksporter som CSV (regneark)" })).toBeNull();
  });

  it("passes the filters to the core", async () => {
    const { backend, cases, calls } = fakeBackend();
    cases.push(reportedCase({ status: "closed", title: "En lukket sak" }));
    render(<App backend={backend} />);
    fireEvent.click(await screen.findByRole("button", { name: "Avviksregister" }));
    await screen.findByText("En lukket sak");
    fireEvent.change(screen.getByLabelText("Status"), { target: { value: "reported" } });
    fireEvent.change(screen.getByLabelText("System"), { target: { value: "Tripletex" } });
    await waitFor(() =>
      expect(calls).toContain('list {"sort":"newest_first","status":"reported","system":"Tripletex","limit":50}'),
    );
    expect(screen.getByText("Ingen avvik passer søket og filtrene.")).toBeTruthy();
  });

  it("reads the register a page at a time and shows more on request", async () => {
    const { backend, cases, calls } = fakeBackend();
    for (let i = 1; i <= 60; i++) {
      const reported = "2026-11-20T09:00:00Z";
      cases.push(
        reportedCase({
          id: `c${i}`,
          reference: `AVVIK-2026-${String(i).padStart(4, "0")}`,
          created_at: reported,
          updated_at: reported,
          submitted_at: reported,
          created_by: "u1",
          clock: null,
          title: `Sak ${i}`,
        }),
      );
    }
    render(<App backend={backend} />);
    fireEvent.click(await screen.findByRole("button", { name: "Avviksregister" }));
    await screen.findByText("Sak 50");
    expect(screen.queryByText("Sak 51")).toBeNull();
    expect(screen.getByText("60 avvik")).toBeTruthy();
    click("Vis flere (viser 50 av 60)");
    await screen.findByText("Sak 60");
    expect(calls).toContain('list {"sort":"newest_first","limit":100}');
    expect(screen.queryByRole("button", { name: /Vis flere/ })).toBeNull();
  });

  it("exports what the filters select, to where the user chooses", async () => {
    const { backend, cases, calls } = fakeBackend();
    cases.push(reportedCase({ title: "En meldt sak" }));
    render(<App backend={backend} />);
    fireEvent.click(await screen.findByRole("button", { name: "Avviksregister" }));
    await screen.findByText("En meldt sak");
    fireEvent.change(screen.getByLabelText("Status"), { target: { value: "reported" } });
    click("Eksporter som CSV (regneark)");
    await screen.findByText("Registeret er lagret i /home/åse/avviksregister.csv.");
    expect(calls).toContain('export csv nb {"sort":"newest_first","status":"reported"}');
  });

  it("speaks English when asked, and remembers it", async () => {
    render(<App backend={fakeBackend().backend} />);
    fireEvent.change(screen.getByLabelText("Språk"), { target: { value: "en" } });
    await screen.findByRole("button", { name: "Report a breach" });
    expect(document.documentElement.lang).toBe("en");
    expect(localStorage.getItem("avvik.lang")).toBe("en");
  });
});

describe("storage and security", () => {
  const openSettings = async () => {
    fireEvent.click(await screen.findByRole("button", { name: "Innstillinger" }));
    await screen.findByRole("heading", { name: "Lagring og sikkerhet" });
    await screen.findByText("/tmp/avvik.sqlite3");
  };

  it("lists the backups, makes one now, and signs everyone out after a restore", async () => {
    const { backend, calls, restores, storage } = fakeBackend();
    render(<App backend={backend} />);
    await openSettings();
    expect(screen.getByText("/tmp/avvik.sqlite3")).toBeTruthy();
    expect(screen.getByText("Kryptert med passfrase")).toBeTruthy();
    expect(document.getElementById("storage-keychain")!.textContent).toMatch(/^Nøkkelringen er slått av på denne maskinen/);
    const table = () => screen.getByRole("table", { name: "De nyeste sikkerhetskopiene" });
    expect(table().textContent).toMatch(/21\. nov\. 2026.*Daglig.*2 kB/);
    expect(table().textContent).not.toContain("Manuell");

    click("Ta sikkerhetskopi nå");
    await screen.findByText("Sikkerhetskopi lagret: /tmp/backups/avvik-20261122T100000Z-manual.sqlite3");
    expect(calls).toContain("backup");
    // The new copy comes first: the list is newest first.
    await waitFor(() => expect(table().textContent).toMatch(/22\. nov\. 2026.*Manuell.*3 kB.*21\. nov\. 2026.*Daglig/));

    // Closing the file dialog does nothing.
    click("Gjenopprett fra sikkerhetskopi…");
    await waitFor(() => expect(calls).toContain("restore null"));
    expect(screen.getByRole("heading", { name: "Lagring og sikkerhet" })).toBeTruthy();

    // An unencrypted copy is restored only once the admin confirms it is one.
    storage.plainBackup = true;
    restores.push({ safety_copy: "/tmp/backups/avvik-before_restore.sqlite3", cases: 1, events: 4, chain_head: "0".repeat(64) });
    click("Gjenopprett fra sikkerhetskopi…");
    await screen.findByText(/Kopien du valgte er ikke kryptert/);
    expect(calls.filter((c) => c.startsWith("restore"))).toEqual(["restore null", "restore null"]);
    fireEvent.click(screen.getByLabelText(/Kopien er ukryptert/));
    storage.plainBackup = false;
    restores.shift();

    restores.push({ safety_copy: "/tmp/backups/avvik-before_restore.sqlite3", cases: 3, events: 12, chain_head: "0".repeat(64) });
    type("Passfrasen til sikkerhetskopien (hvis den er en annen)", "den gamle passfrasen");
    click("Gjenopprett fra sikkerhetskopi…");
    await screen.findByRole("heading", { name: "Logg inn" });
    expect(calls).toContain('restore "den gamle passfrasen" plain');
    expect(screen.queryByRole("button", { name: "Innstillinger" })).toBeNull();
  });

  it("adds a person with a one-time password shown once, and explains a refusal by the core", async () => {
    const { backend } = fakeBackend();
    render(<App backend={backend} />);
    await openSettings();
    const users = () => screen.getByRole("table", { name: "Brukere" });
    expect(users().textContent).toMatch(/Lise Leder.*deg.*leder.*daglig leder, administrator.*Aktiv/);
    click("Legg til en person");
    const form = within(screen.getByRole("form", { name: "Legg til en person" }));
    fireEvent.input(form.getByLabelText("Fullt navn"), { target: { value: "Kari Ny" } });
    fireEvent.input(form.getByLabelText(/^Brukernavn/), { target: { value: "Kari.Ny" } });
    fireEvent.click(form.getByRole("checkbox", { name: /^ansatt/ }));
    fireEvent.click(form.getByRole("checkbox", { name: /^personvernombud/ }));
    click("Legg til");
    await screen.findByText("Kari Ny er lagt til med brukernavnet kari.ny.");
    expect(document.getElementById("users-one-time-password")!.textContent).toBe("abcd-efgh-jkmn-pqrs");
    await waitFor(() => expect(users().textContent).toMatch(/Kari Ny.*kari\.ny.*personvernombud.*Har fått passord/));
    // Disabling asks first; the core's refusal is explained in words, not swallowed.
    click("Deaktiver Kari Ny");
    await screen.findByText("Deaktivere Kari Ny?");
    click("Deaktiver");
    await waitFor(() => expect(users().textContent).toMatch(/Kari Ny.*Deaktivert/));
    click("Aktiver Kari Ny");
    await screen.findByText("Kari Ny er aktivert igjen og kan logge inn.");
    click("Endre Lise Leder");
    fireEvent.click(within(screen.getByRole("form", { name: "Endre Lise Leder" })).getByRole("checkbox", { name: /^personvernombud/ }));
    click("Lagre endringene");
    await screen.findByText(/Endringen ble ikke gjort\. Avvik må alltid ha minst én aktiv administrator/);
  });

  it("anonymises closed cases past the retention period only after the admin confirms", async () => {
    const { backend, calls } = fakeBackend();
    render(<App backend={backend} />);
    await openSettings();
    await screen.findByText("Ingen oppbevaringstid er valgt: lukkede saker beholdes for alltid.");
    fireEvent.change(screen.getByLabelText("Oppbevaringstid for lukkede saker"), { target: { value: "36" } });
    click("Lagre virksomheten");
    await screen.findByText("Lukkede saker kan anonymiseres når de har vært lukket i 36 måneder.");
    const due = document.getElementById("retention-due")!;
    expect(due.textContent).toMatch(/AVVIK-2023-0004.*1\. feb\. 2023/);
    click("Anonymiser saken (1) …");
    await screen.findByText(/Dette kan ikke angres\./);
    click("Avbryt");
    expect(calls.filter((c) => c.startsWith("anonymise"))).toEqual([]);
    click("Anonymiser saken (1) …");
    click("Ja, anonymiser");
    await screen.findByText("Anonymiserte saker: 1.");
    expect(calls).toContain("anonymise c9");
    await screen.findByText("Ingen saker er klare for anonymisering.");
  });

  it("changes the passphrase only when both agree, ties the core's length rule to the field, and offers the recovery sheet", async () => {
    const { backend, calls } = fakeBackend();
    render(<App backend={backend} />);
    await openSettings();
    expect(screen.queryByRole("button", { name: "Lagre nytt gjenopprettingsark (PDF)" })).toBeNull();

    type("Ny passfrase", "en lang ny passfrase");
    type("Gjenta den nye passfrasen", "en annen passfrase");
    click("Bytt passfrasen");
    const mismatch = await screen.findByText("Passfrasene er ikke like.");
    expect(document.getElementById("new-passphrase2")!.getAttribute("aria-describedby")).toContain(mismatch.id);
    expect(calls.filter((c) => c.startsWith("passphrase"))).toEqual([]);

    type("Ny passfrase", "kort");
    type("Gjenta den nye passfrasen", "kort");
    click("Bytt passfrasen");
    const short = await screen.findByText("Passfrasen (minst 12 tegn) må fylles ut.");
    expect(document.getElementById("new-passphrase")!.getAttribute("aria-describedby")).toContain(short.id);
    expect(screen.queryByText("Passfrasene er ikke like.")).toBeNull();
    // The keychain is turned off on this machine: nothing to remember it in.
    expect(calls).toEqual(expect.arrayContaining(["passphrase kort false"]));

    type("Ny passfrase", "en lang ny passfrase");
    type("Gjenta den nye passfrasen", "en lang ny passfrase");
    click("Bytt passfrasen");
    await screen.findByText("Passfrasen er byttet.");
    expect(screen.queryByText("Passfrasen (minst 12 tegn) må fylles ut.")).toBeNull();
    fireEvent.click(await screen.findByRole("button", { name: "Lagre nytt gjenopprettingsark (PDF)" }));
    await screen.findByText("Gjenopprettingsarket er lagret: /home/åse/avvik-gjenopprettingsark.pdf");
    expect(calls).toContain("recovery sheet nb");
    await waitFor(() => expect(screen.queryByRole("button", { name: "Lagre nytt gjenopprettingsark (PDF)" })).toBeNull());
  });
});

describe("the overview", () => {
  // The order itself (least time left first) is the core's, checked in the contract
  // suite (overview.rs); the window must keep it, whatever the references say.
  it("lists the open cases in the core's order, twenty at first and the rest on request", async () => {
    const { backend, cases } = fakeBackend();
    // The core's order: not by reference, not by title.
    const order = [7, 3, 25, 1, 12, 9, 18, 2, 21, 5, 14, 11, 20, 4, 16, 8, 23, 6, 13, 10, 19, 15, 24, 17, 22];
    for (const i of order) {
      const n = String(i).padStart(4, "0");
      cases.push(reportedCase({ id: `c${i}`, reference: `AVVIK-2026-${n}`, clock: null, title: `Sak nummer ${i}` }));
    }
    render(<App backend={backend} />);
    await screen.findByText("Sak nummer 7");
    const shown = () =>
      [...document.querySelectorAll("#dash-open-cases tbody tr")].map((r) => r.textContent!.match(/Sak nummer (\d+)/)![1]);
    expect(shown()).toEqual(order.slice(0, 20).map(String));
    expect(screen.queryByText("Sak nummer 15")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Viser 20 av 25. Vis alle" }));
    expect(shown()).toEqual(order.map(String));
    expect(document.getElementById("dash-open-more")).toBeNull();
  });

  it("is the general manager's first screen: the open case with its countdown, my tasks and readiness", async () => {
    const { backend, cases, tasks, calls } = fakeBackend();
    cases.push(reportedCase());
    tasks.push({ case_id: "c1", reference: "AVVIK-2026-0001", number: 1, description: "Be mottakeren slette e-posten", due: "2026-11-20", status: "planned", overdue: true });
    render(<App backend={backend} />);
    await screen.findByRole("heading", { name: "Oversikt" });
    expect(screen.getByRole("button", { name: "Oversikt" }).getAttribute("aria-current")).toBe("page");
    // The open case, its countdown and what to do next.
    const row = (await screen.findByText("Lønnsslipper sendt til feil mottaker")).closest("tr")!;
    expect(row.textContent).toMatch(/Meldt/);
    expect(row.textContent).toMatch(/igjen/);
    expect(row.textContent).toContain("Venter på at daglig leder vurderer avviket.");
    // My tasks, with the due day in the chosen language and the overdue mark.
    const task = document.getElementById("dash-task-list")!;
    expect(task.textContent).toMatch(/Be mottakeren slette e-posten.*Frist 20\. nov\. 2026.*Forfalt/);
    expect(document.getElementById("dash-overdue-measures")!.textContent).toBe("1");
    // Readiness: what is in place and what is missing.
    expect(document.getElementById("ready-contact")!.dataset.ok).toBe("false");
    expect(document.getElementById("ready-altinn")!.textContent).toContain("Innehas av Kari Nordmann");
    expect(document.getElementById("ready-smtp")!.dataset.ok).toBe("false");
    expect(document.getElementById("ready-backup")!.textContent).toMatch(/21\. nov\. 2026/);
    await waitFor(() => expect(document.getElementById("ready-audit")!.dataset.ok).toBe("true"));
    // The charts are images with a description and their figures in a table.
    const chart = screen.getByRole("img", { name: /Andel meldt i tide/ });
    expect(chart.textContent).toContain("1 av 2 første meldinger");
    expect(document.getElementById("chart-filed-in-time-figures")!.textContent).toMatch(/50 %/);
    fireEvent.click(document.getElementById("chart-cases-per-month-svg")!);
    await screen.findByText("Diagrammet er lagret i /home/åse/avvik-cases-per-month.svg.");
    expect(calls).toContain("chart cases-per-month true");
    // The case opens from its row.
    fireEvent.click(screen.getAllByRole("button", { name: "AVVIK-2026-0001" })[0]!);
    await screen.findByRole("heading", { name: "Avvik AVVIK-2026-0001" });
  });
});
