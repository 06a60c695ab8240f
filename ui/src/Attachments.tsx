import { useCallback, useEffect, useState } from "preact/hooks";
import { type Backend, toCommandError } from "./api";
import type { Attachment } from "./bindings/Attachment";
import type { CommandError } from "./bindings/CommandError";
import type { Preview } from "./bindings/Preview";
import { MAX_ATTACHMENT_BYTES } from "./bindings/vocabulary";
import { errorFor, errorText } from "./document";
import { ErrorNotice } from "./ErrorNotice";
import type { ValidationError } from "./bindings/ValidationError";
import { type Lang, type MessageKey, type Translate, formatInstant, formatNumber } from "./i18n";

export function formatBytes(n: number, lang: Lang): string {
  if (n < 1024) return `${formatNumber(n, lang)} B`;
  if (n < 1024 * 1024) return `${formatNumber(Math.round(n / 102.4) / 10, lang)} KiB`;
  return `${formatNumber(Math.round(n / (1024 * 102.4)) / 10, lang)} MiB`;
}

/** A chosen file's bytes (FileReader works in every webview and in the test DOM). */
function readBytes(file: Blob): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
    reader.onerror = () => reject(reader.error);
    reader.readAsArrayBuffer(file);
  });
}

/**
 * The files kept with a case: add one, see it in the window (images and text), or
 * save it where the user chooses. Nothing is written to disk behind the user's back.
 */
export function Attachments({
  caseKey,
  backend,
  lang,
  t,
}: {
  /** The case's id or reference; none while a draft has not been saved yet. */
  caseKey: string | null;
  backend: Backend;
  lang: Lang;
  t: Translate;
}) {
  const [files, setFiles] = useState<Attachment[]>([]);
  const [preview, setPreview] = useState<{ id: string; preview: Preview } | null>(null);
  // What happened last and the file's error, kept as keys and values: a switch of language redraws them.
  const [message, setMessage] = useState<[MessageKey, Record<string, string>] | null>(null);
  const [invalid, setInvalid] = useState<ValidationError | undefined>(undefined);
  const fieldError = invalid && errorText(t, invalid);
  const [failure, setFailure] = useState<CommandError | null>(null);

  const reload = useCallback(async () => {
    if (!caseKey) return;
    try {
      setFiles(await backend.listAttachments(caseKey));
    } catch (e) {
      setFailure(toCommandError(e));
    }
  }, [backend, caseKey]);

  useEffect(() => void reload(), [reload]);

  const add = async (input: HTMLInputElement) => {
    const file = input.files?.[0];
    if (!file || !caseKey) return;
    setMessage(null);
    setInvalid(undefined);
    try {
      const added = await backend.addAttachment(caseKey, file.name, await readBytes(file));
      setMessage(["attachments.added", { name: added.file_name }]);
      await reload();
    } catch (e) {
      const err = toCommandError(e);
      const field = errorFor(err.errors ?? [], "file") ?? errorFor(err.errors ?? [], "file_name");
      if (field) setInvalid(field);
      else setFailure(err);
    } finally {
      input.value = "";
    }
  };

  const show = async (a: Attachment) => {
    if (preview?.id === a.id) return setPreview(null);
    try {
      setPreview({ id: a.id, preview: await backend.attachmentPreview(a.id) });
    } catch (e) {
      setFailure(toCommandError(e));
    }
  };

  const save = async (a: Attachment) => {
    try {
      const path = await backend.saveAttachment(a.id);
      if (path) setMessage(["attachments.saved", { path }]);
    } catch (e) {
      setFailure(toCommandError(e));
    }
  };

  return (
    <section class="attachments" aria-labelledby="attachments-heading">
      <h3 id="attachments-heading">{t("attachments.heading")}</h3>
      <p class="help" id="attachments-help">
        {t("attachments.help", { max: formatBytes(MAX_ATTACHMENT_BYTES, lang) })}
      </p>
      {failure && <ErrorNotice error={failure} t={t} onDismiss={() => setFailure(null)} />}
      {!caseKey ? (
        <p class="muted">{t("attachments.needsDraft")}</p>
      ) : (
        <div class={`field ${fieldError ? "has-error" : ""}`}>
          {/* The native control's words are the OS's; ours stand on the label, styled as a button. */}
          <input
            id="attachment-file"
            class="file-input"
            type="file"
            aria-describedby={`attachments-help${fieldError ? " attachment-file-error" : ""}`}
            aria-invalid={fieldError ? "true" : "false"}
            onChange={(e) => void add(e.currentTarget as HTMLInputElement)}
          />
          <label for="attachment-file" class="file-button">
            {t("attachments.add")}
          </label>
          {fieldError && (
            <p id="attachment-file-error" class="field-error" role="alert">
              {fieldError}
            </p>
          )}
        </div>
      )}
      {message && (
        <p class="saved" role="status" id="attachments-status">
          {t(...message)}
        </p>
      )}
      {caseKey && files.length === 0 && <p class="muted">{t("attachments.empty")}</p>}
      {files.length > 0 && (
        <table class="register-table" id="attachments-table">
          <thead>
            <tr>
              <th scope="col">{t("attachments.col.name")}</th>
              <th scope="col">{t("attachments.col.size")}</th>
              <th scope="col">{t("attachments.col.added")}</th>
              <th scope="col">{t("attachments.col.sha256")}</th>
              <th scope="col">
                <span class="visually-hidden">{t("attachments.save")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {files.map((a) => (
              <tr key={a.id}>
                <td class="title-cell" id={`attachment-${a.id}-name`}>
                  {a.file_name}
                </td>
                <td>{formatBytes(a.size, lang)}</td>
                <td>{formatInstant(a.added_at, lang)}</td>
                <td>
                  <code title={a.sha256}>{a.sha256.slice(0, 12)}…</code>
                </td>
                <td class="row-actions">
                  {/* Each row's buttons say which file they act on. */}
                  <button
                    type="button"
                    class="link"
                    onClick={() => void show(a)}
                    aria-expanded={preview?.id === a.id}
                    aria-describedby={`attachment-${a.id}-name`}
                  >
                    {preview?.id === a.id ? t("attachments.hidePreview") : t("attachments.preview")}
                  </button>{" "}
                  <button type="button" class="link" onClick={() => void save(a)} aria-describedby={`attachment-${a.id}-name`}>
                    {t("attachments.save")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {preview?.preview.kind === "image" && (
        <img class="preview" src={preview.preview.data_url} alt={files.find((f) => f.id === preview.id)?.file_name ?? ""} />
      )}
      {preview?.preview.kind === "text" && <pre class="preview" id="attachment-preview">{preview.preview.text}</pre>}
    </section>
  );
}
