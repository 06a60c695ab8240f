import { useLayoutEffect, useRef } from "preact/hooks";
import type { Role } from "./bindings/Role";
import type { MessageKey, Translate } from "./i18n";

/** The help's topics, each a heading and its paragraphs (`help.<topic>.1`, `.2`, …). */
const TOPICS: readonly { topic: string; paragraphs: number; roles?: readonly Role[] }[] = [
  { topic: "routine", paragraphs: 3 },
  { topic: "employee", paragraphs: 4 },
  { topic: "handler", paragraphs: 5, roles: ["handler"] },
  { topic: "deadline", paragraphs: 3 },
  { topic: "stages", paragraphs: 2 },
  { topic: "inform", paragraphs: 3 },
  { topic: "altinn", paragraphs: 3 },
  { topic: "dpo", paragraphs: 1, roles: ["dpo"] },
  { topic: "admin", paragraphs: 2, roles: ["admin"] },
];

/**
 * Hjelp: the routine in plain words for each role, the 72 hours, staged filing, when
 * to inform the people affected and how to file in Altinn. The texts ship with the app
 * (the catalogues), so help works offline. The signed-in person's own roles come first.
 */
export function Help({ roles, t }: { roles: readonly Role[]; t: Translate }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useLayoutEffect(() => heading.current?.focus(), []);
  const mine = (r?: readonly Role[]) => !r || r.some((role) => roles.includes(role));
  const ordered = [...TOPICS.filter((x) => mine(x.roles)), ...TOPICS.filter((x) => !mine(x.roles))];
  return (
    <section class="card help-page" aria-labelledby="help-heading">
      <h2 id="help-heading" tabIndex={-1} ref={heading}>
        {t("help.heading")}
      </h2>
      <p class="help">{t("help.intro")}</p>
      <nav aria-label={t("help.contents")}>
        <ul class="help-contents">
          {ordered.map(({ topic }) => (
            <li key={topic}>
              <a href={`#help-${topic}`}>{t(`help.${topic}` as MessageKey)}</a>
            </li>
          ))}
        </ul>
      </nav>
      {ordered.map(({ topic, paragraphs }) => (
        <section key={topic} id={`help-${topic}`} aria-labelledby={`help-${topic}-heading`}>
          <h3 id={`help-${topic}-heading`}>{t(`help.${topic}` as MessageKey)}</h3>
          {Array.from({ length: paragraphs }, (_, i) => (
            <p key={i}>{t(`help.${topic}.${i + 1}` as MessageKey)}</p>
          ))}
        </section>
      ))}
    </section>
  );
}
