import { useEffect, useState } from "preact/hooks";
import type { Backend } from "./api";
import { toCommandError } from "./api";
import type { CommandError } from "./bindings/CommandError";
import type { FilingGuide } from "./bindings/FilingGuide";
import { ErrorNotice } from "./ErrorNotice";
import type { Lang, Translate } from "./i18n";

/**
 * The filing assistant: where to file, who may, and the next notice's answers in the
 * order of the notice (Datatilsynet's sections), each ready to copy into Altinn with one
 * click. What Avvik does not know yet says what to do about it.
 */
export function FilingGuidePanel({
  backend,
  caseKey,
  lang,
  t,
  onClose,
}: {
  backend: Backend;
  caseKey: string;
  lang: Lang;
  t: Translate;
  onClose: () => void;
}) {
  const [guide, setGuide] = useState<FilingGuide | null>(null);
  const [error, setError] = useState<CommandError | null>(null);
  const [copied, setCopied] = useState<{ label: string; ok: boolean } | null>(null);
  useEffect(() => {
    let live = true;
    backend.filingGuide(caseKey, lang).then(
      (g) => live && setGuide(g),
      (e) => live && setError(toCommandError(e)),
    );
    return () => {
      live = false;
    };
  }, [backend, caseKey, lang]);

  const copy = async (label: string, text: string) => {
    try {
      await backend.copyText(text);
      setCopied({ label, ok: true });
    } catch {
      setCopied({ label, ok: false });
    }
  };

  return (
    <section class="filing-guide" id="filing-guide" aria-labelledby="filing-guide-heading">
      <div class="section-head">
        <h5 id="filing-guide-heading">{t("guide.heading")}</h5>
        <button type="button" class="secondary" id="filing-guide-close" onClick={onClose}>
          {t("guide.close")}
        </button>
      </div>
      {error && <ErrorNotice error={error} t={t} />}
      {guide && (
        <>
          <ol class="guide-steps">
            <li>
              {t("guide.where")} <code class="url" id="filing-guide-url">{guide.url}</code>{" "}
              <button type="button" class="link" onClick={() => void copy(t("guide.address"), guide.url)}>
                {t("guide.copyAddress")}
              </button>
            </li>
            <li id="filing-guide-role">
              {guide.altinn_submitter
                ? t("guide.role.holder", { role: guide.altinn_role, name: guide.altinn_submitter })
                : t("guide.role.unknown", { role: guide.altinn_role })}
            </li>
            <li>{t("guide.howto")}</li>
            <li>{t("guide.unknownHowto")}</li>
          </ol>
          <p class={copied ? `notice ${copied.ok ? "notice-ok" : "notice-error"}` : "sr-only"} role="status" id="filing-guide-status">
            {copied ? t(copied.ok ? "guide.copied" : "guide.copyFailed", { label: copied.label }) : ""}
          </p>
          {guide.sections.map((s, i) => (
            <section key={s.heading} class="guide-section" aria-labelledby={`guide-section-${i}`}>
              <h6 id={`guide-section-${i}`}>{s.heading}</h6>
              <dl>
                {s.answers.map((a, j) => (
                  <div key={`${a.label}-${j}`} class={a.gap ? "guide-answer gap" : "guide-answer"}>
                    <dt>{a.label}</dt>
                    <dd>
                      <span class="guide-text">{a.text}</span>
                      {a.gap && <small class="help">{t(a.gap === "not_yet_known" ? "guide.unknown" : "guide.notGiven")}</small>}
                    </dd>
                    <dd class="guide-copy">
                      {/* Nothing to copy for an answer not given yet: its help says what to do. */}
                      {!a.gap && (
                      <button
                        type="button"
                        class="secondary"
                        id={`guide-copy-${i}-${j}`}
                        aria-label={t("guide.copy.for", { label: a.label })}
                        onClick={() => void copy(a.label, a.text)}
                      >
                        {t("guide.copy")}
                      </button>
                      )}
                    </dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
        </>
      )}
    </section>
  );
}
