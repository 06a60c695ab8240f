import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import type { Backend } from "./api";
import type { AgeBucket } from "./bindings/AgeBucket";
import type { Charts } from "./bindings/Charts";
import type { Dashboard as Overview } from "./bindings/Dashboard";
import type { IncidentType } from "./bindings/IncidentType";
import type { Readiness } from "./bindings/Readiness";
import type { User } from "./bindings/User";
import type { Verification } from "./bindings/Verification";
import { ClockCell } from "./Countdown";
import {
  type Lang,
  type MessageKey,
  type Translate,
  formatInstant,
  formatNumber,
  statusKey,
  statusNextKey,
  vocabKey,
  countText,
} from "./i18n";

/** Handlers, the DPO and admins start on the overview; employees on the register. */
export function seesOverview(user: User): boolean {
  return user.roles.some((r) => r === "handler" || r === "dpo" || r === "admin");
}

const LOCALES: Record<Lang, string> = { nb: "nb-NO", en: "en-GB" };

/** `YYYY-MM` as a short month in the UI's language («sep. 26», «Sep 26»). */
function formatMonth(month: string, lang: Lang): string {
  const [y, m] = month.split("-").map(Number);
  return new Intl.DateTimeFormat(LOCALES[lang], { month: "short", year: "2-digit", timeZone: "UTC" }).format(
    new Date(Date.UTC(y ?? 2000, (m ?? 1) - 1, 15)),
  );
}

/** A calendar day (`YYYY-MM-DD`) in the UI's language. */
function formatDay(day: string, lang: Lang): string {
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${day}T12:00:00Z`));
}

/**
 * The overview («Oversikt»): open cases by time left, my tasks, approvals waiting,
 * what is overdue, readiness, and the charts. Errors go to the app (`onError`), which
 * knows which of them make the store unusable.
 */
/** How many open cases the overview lists before «show all». */
export const OPEN_SHOWN = 20;

export function Dashboard({
  backend,
  user,
  audit,
  lang,
  t,
  onOpen,
  onError,
}: {
  backend: Backend;
  user: User;
  audit: Verification | null;
  lang: Lang;
  t: Translate;
  onOpen: (caseId: string) => void;
  onError: (e: unknown) => void;
}) {
  const [data, setData] = useState<Overview | null>(null);
  // The open cases with the least time left; all of them on request (a backlog of
  // hundreds would otherwise bury the overview and slow the window down).
  const [allOpen, setAllOpen] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const load = () => backend.dashboard().then(setData, onError);
  useEffect(() => void load(), [backend]);
  // The chain is checked afresh whenever the overview opens (the store walks it on a
  // connection of its own, so nothing waits); until then the app's check at open shows.
  const [checked, setChecked] = useState<Verification | null>(null);
  useEffect(() => {
    backend.auditStatus().then(setChecked, () => {});
  }, [backend]);

  const save = async (work: () => Promise<string | null>) => {
    setSaved(null);
    try {
      const path = await work();
      if (path) setSaved(path);
    } catch (e) {
      onError(e);
    }
  };
  const ref = (caseId: string, reference: string) => (
    <button type="button" class="link reference" onClick={() => onOpen(caseId)}>
      {reference}
    </button>
  );

  return (
    <section class="dashboard" id="dashboard" aria-labelledby="dashboard-heading" aria-busy={data ? "false" : "true"}>
      <div class="section-head">
        <h2 id="dashboard-heading">{t("dashboard.heading")}</h2>
        <button type="button" class="secondary" id="dashboard-refresh" onClick={() => void load()}>
          {t("dashboard.refresh")}
        </button>
      </div>
      {saved && (
        <p class="notice notice-ok" id="chart-saved" role="status">
          {t("dashboard.chart.saved", { path: saved })}
        </p>
      )}
      {!data ? (
        <p class="muted">{t("dashboard.loading")}</p>
      ) : (
        <div style={{ display: "grid", gap: "1rem" }}>
          <section class="card" id="dash-open" aria-labelledby="dash-open-heading">
            <div class="section-head">
              <h3 id="dash-open-heading">{t("dashboard.open.heading")}</h3>
              <span class="count">{countText(lang, "dashboard.open.count", data.open_cases.length)}</span>
            </div>
            <p class="help">{t("dashboard.open.help")}</p>
            {data.open_cases.length === 0 ? (
              <p class="muted empty" id="dash-open-empty">
                {t("dashboard.open.empty")}
              </p>
            ) : (
              <table class="register-table" id="dash-open-cases">
                <thead>
                  <tr>
                    <th scope="col">{t("register.col.reference")}</th>
                    <th scope="col">{t("register.col.title")}</th>
                    <th scope="col">{t("register.col.status")}</th>
                    <th scope="col">{t("register.col.deadline")}</th>
                  </tr>
                </thead>
                <tbody>
                  {(allOpen ? data.open_cases : data.open_cases.slice(0, OPEN_SHOWN)).map((c) => (
                    <tr key={c.id} data-id={c.id} class={`status-row-${c.status}`}>
                      <td>{ref(c.id, c.reference)}</td>
                      <td class="title-cell">{c.title}</td>
                      <td>
                        <span class={`status status-${c.status}`}>{t(statusKey(c.status))}</span>
                        <p class="help status-next">{t(statusNextKey(c.status))}</p>
                      </td>
                      <td class="clock-col">
                        <ClockCell clock={c.clock} t={t} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {!allOpen && data.open_cases.length > OPEN_SHOWN && (
              <button type="button" class="link" id="dash-open-more" onClick={() => setAllOpen(true)}>
                {countText(lang, "dashboard.open.more", data.open_cases.length, { shown: formatNumber(OPEN_SHOWN, lang) })}
              </button>
            )}
          </section>

          <div style={{ display: "grid", gap: "1rem", gridTemplateColumns: "repeat(auto-fit, minmax(20rem, 1fr))" }}>
            <section class="card" id="dash-tasks" aria-labelledby="dash-tasks-heading">
              <h3 id="dash-tasks-heading">{t("dashboard.tasks.heading")}</h3>
              <p class="help">{t("dashboard.tasks.help")}</p>
              {data.my_tasks.length === 0 ? (
                <p class="muted" id="dash-tasks-empty">
                  {t("dashboard.tasks.empty")}
                </p>
              ) : (
                <ul id="dash-task-list">
                  {data.my_tasks.map((task) => (
                    <li key={`${task.case_id}-${task.number}`} data-overdue={task.overdue ? "true" : "false"}>
                      {ref(task.case_id, task.reference)} {task.description}{" "}
                      <span class="help">{t("dashboard.tasks.due", { day: formatDay(task.due, lang) })}</span>
                      {task.overdue && <span class="badge badge-special">{t("dashboard.tasks.overdue")}</span>}
                    </li>
                  ))}
                </ul>
              )}
              {user.roles.includes("handler") && (
                <>
                  <h3 id="dash-approvals-heading">{t("dashboard.approvals.heading")}</h3>
                  <p class="help">{t("dashboard.approvals.help")}</p>
                  {data.approvals.length === 0 ? (
                    <p class="muted" id="dash-approvals-empty">
                      {t("dashboard.approvals.empty")}
                    </p>
                  ) : (
                    <ul id="dash-approvals" aria-labelledby="dash-approvals-heading">
                      {data.approvals.map((a) => (
                        <li key={a.case_id}>
                          {ref(a.case_id, a.reference)} {a.title}{" "}
                          <span class="help">{countText(lang, "dashboard.approvals.item", a.measures)}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </>
              )}
            </section>

            <section class="card" id="dash-overdue" aria-labelledby="dash-overdue-heading">
              <h3 id="dash-overdue-heading">{t("dashboard.overdue.heading")}</h3>
              <dl class="meta">
                <dt>{t("dashboard.overdue.clocks")}</dt>
                <dd id="dash-overdue-clocks">{formatNumber(data.overdue.clocks, lang)}</dd>
                <dt>{t("dashboard.overdue.measures")}</dt>
                <dd id="dash-overdue-measures">{formatNumber(data.overdue.measures, lang)}</dd>
              </dl>
            </section>

            <ReadinessPanel readiness={data.readiness} audit={checked ?? audit} lang={lang} t={t} />
          </div>

          <ChartsPanel charts={data.charts} backend={backend} save={save} lang={lang} t={t} />
        </div>
      )}
    </section>
  );
}

function ReadinessPanel({ readiness, audit, lang, t }: { readiness: Readiness; audit: Verification | null; lang: Lang; t: Translate }) {
  const items: [string, MessageKey, boolean, string][] = [
    ["ready-contact", "dashboard.ready.contact", readiness.contact_point, t(readiness.contact_point ? "dashboard.ready.contactSet" : "dashboard.ready.contactNone")],
    [
      "ready-altinn",
      "dashboard.ready.altinn",
      readiness.altinn_submitter !== null,
      readiness.altinn_submitter ? t("dashboard.ready.altinnHolder", { name: readiness.altinn_submitter }) : t("dashboard.ready.altinnNone"),
    ],
    ["ready-smtp", "dashboard.ready.smtp", readiness.smtp_configured, t(readiness.smtp_configured ? "dashboard.ready.smtpSet" : "dashboard.ready.smtpNone")],
    [
      "ready-backup",
      "dashboard.ready.backup",
      readiness.last_backup !== null,
      readiness.last_backup ? formatInstant(readiness.last_backup, lang) : t("dashboard.ready.noBackup"),
    ],
    [
      "ready-audit",
      "dashboard.ready.audit",
      audit !== null && audit.broken === null && audit.state.length === 0,
      audit === null
        ? t("dashboard.ready.auditUnknown")
        : audit.broken || audit.state.length > 0
          ? t("dashboard.ready.auditBroken")
          : countText(lang, "dashboard.ready.auditOk", audit.events),
    ],
  ];
  return (
    <section class="card" id="dash-readiness" aria-labelledby="dash-readiness-heading">
      <h3 id="dash-readiness-heading">{t("dashboard.ready.heading")}</h3>
      <p class="help">{t("dashboard.ready.help")}</p>
      <ul style={{ listStyle: "none", padding: 0, display: "grid", gap: "0.4rem" }}>
        {items.map(([id, label, ok, text]) => (
          <li key={id} id={id} data-ok={ok ? "true" : "false"}>
            <strong style={{ color: ok ? "var(--ok)" : "var(--accent)" }}>
              <span aria-hidden="true">{ok ? "✓ " : "✗ "}</span>
              {t(ok ? "dashboard.ready.ok" : "dashboard.ready.missing")}:
            </strong>{" "}
            {t(label)} — <span class="ready-value">{text}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

// Plain SVG charts. Every colour has at least 4.5:1 contrast against the white background.
const W = 560;
const H = 240;
const M = { left: 44, right: 16, top: 16, bottom: 34 };
const INK = "#1b2430";
const GRID = "#8a8f98";
const PALETTE = ["#1d3a5f", "#b3432d", "#1f6b3a", "#6a3d8f", "#8a5a00", "#4a5563"];
const FONT = { "font-family": "DejaVu Sans, Arial, sans-serif", "font-size": 11, fill: INK };

/** A chart: the drawing (an image with a title and a description), its figures as a
 * table for screen readers, and saving it as SVG or PNG. */
function ChartFigure({
  name,
  title,
  desc,
  columns,
  rows,
  legend,
  backend,
  save,
  t,
  children,
}: {
  name: string;
  title: string;
  desc: string;
  /** The figures for screen readers: the column headings, and each row's key and cells. */
  columns: string[];
  rows: [key: string, ...cells: string[]][];
  legend?: ComponentChildren;
  backend: Backend;
  save: (work: () => Promise<string | null>) => Promise<void>;
  t: Translate;
  children: ComponentChildren;
}) {
  const svg = useRef<SVGSVGElement>(null);
  const text = () => {
    const clone = svg.current!.cloneNode(true) as SVGSVGElement;
    clone.setAttribute("xmlns", "http://www.w3.org/2000/svg");
    return new XMLSerializer().serializeToString(clone);
  };
  const png = async () => {
    const img = new Image();
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text())}`;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = W * 2;
    canvas.height = H * 2;
    const ctx = canvas.getContext("2d")!;
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return backend.saveChartPng(name, canvas.toDataURL("image/png"));
  };
  return (
    <figure class="card chart" id={`chart-${name}`} style={{ margin: 0 }}>
      <figcaption>
        <h4 id={`chart-${name}-caption`}>{title}</h4>
      </figcaption>
      <svg
        ref={svg}
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        style={{ maxWidth: `${W}px`, height: "auto" }}
        role="img"
        aria-labelledby={`chart-${name}-title chart-${name}-desc`}
      >
        <title id={`chart-${name}-title`}>{title}</title>
        <desc id={`chart-${name}-desc`}>{desc}</desc>
        <rect x={0} y={0} width={W} height={H} fill="#ffffff" />
        {children}
      </svg>
      {legend}
      <table class="visually-hidden" id={`chart-${name}-figures`}>
        <caption>
          {t("dashboard.chart.figures")}: {title}
        </caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(([key, ...cells]) => (
            <tr key={key}>
              {cells.map((c, i) => (
                <td key={i}>{c}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <div class="actions">
        <button type="button" class="secondary" id={`chart-${name}-svg`} onClick={() => void save(() => backend.saveChart(name, text()))}>
          {t("dashboard.chart.saveSvg")}
        </button>
        <button type="button" class="secondary" id={`chart-${name}-png`} onClick={() => void save(png)}>
          {t("dashboard.chart.savePng")}
        </button>
      </div>
    </figure>
  );
}

/** The value axis: grid lines and labels at 0, half and the top. */
function YAxis({ max, label }: { max: number; label: (v: number) => string }) {
  const ticks = max >= 2 ? [0, max / 2, max] : [0, max];
  const plotH = H - M.top - M.bottom;
  return (
    <g>
      {ticks.map((v) => {
        const y = M.top + plotH - (v / max) * plotH;
        return (
          <g key={v}>
            <line x1={M.left} x2={W - M.right} y1={y} y2={y} stroke={GRID} stroke-width={v === 0 ? 1.5 : 0.5} />
            <text x={M.left - 6} y={y + 4} text-anchor="end" {...FONT}>
              {label(v)}
            </text>
          </g>
        );
      })}
    </g>
  );
}

/** Month labels under the bars. */
function MonthAxis({ months, lang }: { months: string[]; lang: Lang }) {
  const step = (W - M.left - M.right) / months.length;
  return (
    <g>
      {months.map((m, i) => (
        <text key={m} x={M.left + step * (i + 0.5)} y={H - M.bottom + 16} text-anchor="middle" {...FONT} font-size={10}>
          {formatMonth(m, lang)}
        </text>
      ))}
    </g>
  );
}

/** A figure, or a dash where there is none. */
function orDash(v: number | null, show: (v: number) => string): string {
  return v !== null ? show(v) : "–";
}

function niceMax(v: number): number {
  if (v <= 2) return 2;
  const pow = 10 ** Math.floor(Math.log10(v));
  for (const f of [1, 2, 2.5, 5, 10]) if (f * pow >= v) return f * pow;
  return v;
}

function ChartsPanel({
  charts,
  backend,
  save,
  lang,
  t,
}: {
  charts: Charts;
  backend: Backend;
  save: (work: () => Promise<string | null>) => Promise<void>;
  lang: Lang;
  t: Translate;
}) {
  const n = (v: number) => formatNumber(v, lang);
  const months = charts.months;
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const step = plotW / Math.max(1, months.length);
  const barW = step * 0.6;
  const x = (i: number) => M.left + step * i + (step - barW) / 2;
  const common = { backend, save, t };

  // Cases per month, stacked by type: the five most frequent types, the rest together.
  const typeLabel = (k: IncidentType | null) => (k ? t(vocabKey("incident_type", k)) : t("dashboard.chart.cases.noType"));
  const totals = new Map<IncidentType | null, number>();
  for (const c of charts.cases_per_month) totals.set(c.incident_type, (totals.get(c.incident_type) ?? 0) + c.cases);
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([k]) => k);
  const shown = ranked.length <= PALETTE.length ? ranked : ranked.slice(0, PALETTE.length - 1);
  const series: { key: string; label: string; types: (IncidentType | null)[] }[] = shown.map((k) => ({
    key: k ?? "none",
    label: typeLabel(k),
    types: [k],
  }));
  if (ranked.length > shown.length)
    series.push({ key: "other", label: t("dashboard.chart.cases.other"), types: ranked.slice(shown.length) });
  const count = (month: string, types: (IncidentType | null)[]) =>
    charts.cases_per_month.filter((c) => c.month === month && types.includes(c.incident_type)).reduce((s, c) => s + c.cases, 0);
  const monthTotals = months.map((m) => count(m, ranked));
  const casesMax = niceMax(Math.max(0, ...monthTotals));
  const allCases = monthTotals.reduce((s, v) => s + v, 0);

  // Time to the first filing against the deadline.
  const hoursTop = niceMax(Math.max(charts.deadline_hours * 1.2, ...charts.filings.map((f) => f.max_hours ?? 0)));
  const yHours = (h: number) => M.top + plotH - (Math.max(0, h) / hoursTop) * plotH;
  const filed = charts.filings.reduce((s, f) => s + f.filed, 0);
  const inTime = charts.filings.reduce((s, f) => s + f.in_time, 0);

  // Open measures by age.
  const agesTotal = charts.measure_ages.reduce((s, a) => s + a.measures, 0);
  const agesMax = niceMax(Math.max(0, ...charts.measure_ages.map((a) => a.measures)));
  const ageLabel = (b: AgeBucket) => t(`dashboard.age.${b}` as MessageKey);
  const rowH = plotH / 4;

  return (
    <section class="card" id="dash-charts" aria-labelledby="dash-charts-heading">
      <h3 id="dash-charts-heading">{t("dashboard.charts.heading")}</h3>
      <p class="help">{t("dashboard.charts.help")}</p>
      <div style={{ display: "grid", gap: "1rem", gridTemplateColumns: "repeat(auto-fit, minmax(24rem, 1fr))" }}>
        <ChartFigure
          name="cases-per-month"
          title={t("dashboard.chart.cases.title")}
          desc={countText(lang, "dashboard.chart.cases.desc", allCases)}
          legend={
            series.length > 0 && (
          <ul class="legend" aria-label={t("dashboard.chart.cases.type")} style={{ listStyle: "none", padding: 0, margin: 0 }}>
            {series.map((s, si) => (
              <li key={s.key} style={{ display: "inline-block", marginRight: "1rem" }}>
                <span aria-hidden="true" style={{ display: "inline-block", width: "0.8rem", height: "0.8rem", background: PALETTE[si % PALETTE.length], marginRight: "0.3rem" }} />
                {s.label}
              </li>
            ))}
          </ul>
            )
          }
          columns={[t("dashboard.chart.month"), t("dashboard.chart.cases.type"), t("dashboard.chart.cases.count")]}
          rows={charts.cases_per_month.map((c) => [
            `${c.month}-${c.incident_type}`,
            formatMonth(c.month, lang),
            typeLabel(c.incident_type),
            n(c.cases),
          ])}
          {...common}
        >
          <YAxis max={casesMax} label={(v) => n(v)} />
          {months.map((m, i) => {
            let top = M.top + plotH;
            return (
              <g key={m}>
                {series.map((s, si) => {
                  const v = count(m, s.types);
                  if (!v) return null;
                  const h = (v / casesMax) * plotH;
                  top -= h;
                  return <rect key={s.key} x={x(i)} y={top} width={barW} height={h} fill={PALETTE[si % PALETTE.length]} stroke="#ffffff" stroke-width={1} />;
                })}
              </g>
            );
          })}
          <MonthAxis months={months} lang={lang} />
          {series.length === 0 && (
            <text x={W / 2} y={H / 2} text-anchor="middle" {...FONT}>
              {t("dashboard.chart.none")}
            </text>
          )}
        </ChartFigure>
        <ChartFigure
          name="time-to-filing"
          title={t("dashboard.chart.filing.title")}
          desc={t("dashboard.chart.filing.desc", { hours: n(charts.deadline_hours) })}
          columns={[
            t("dashboard.chart.month"),
            t("dashboard.chart.filing.filed"),
            t("dashboard.chart.filing.average"),
            t("dashboard.chart.filing.max"),
          ]}
          rows={charts.filings.map((f) => [f.month, formatMonth(f.month, lang), n(f.filed), orDash(f.average_hours, n), orDash(f.max_hours, n)])}
          {...common}
        >
          <YAxis max={hoursTop} label={(v) => n(v)} />
          {charts.filings.map((f, i) =>
            f.average_hours === null ? null : (
              <g key={f.month}>
                <rect x={x(i)} y={yHours(f.average_hours)} width={barW} height={M.top + plotH - yHours(f.average_hours)} fill={PALETTE[0]} />
                {f.max_hours !== null && (
                  <line x1={x(i) - 3} x2={x(i) + barW + 3} y1={yHours(f.max_hours)} y2={yHours(f.max_hours)} stroke={PALETTE[1]} stroke-width={3} />
                )}
              </g>
            ),
          )}
          <line
            x1={M.left}
            x2={W - M.right}
            y1={yHours(charts.deadline_hours)}
            y2={yHours(charts.deadline_hours)}
            stroke={PALETTE[1]}
            stroke-width={2}
            stroke-dasharray="6 4"
          />
          <text x={W - M.right} y={yHours(charts.deadline_hours) - 5} text-anchor="end" {...FONT} fill={PALETTE[1]} font-weight="bold">
            {t("dashboard.chart.filing.line", { hours: n(charts.deadline_hours) })}
          </text>
          <MonthAxis months={months} lang={lang} />
        </ChartFigure>

        <ChartFigure
          name="filed-in-time"
          title={t("dashboard.chart.inTime.title")}
          desc={t("dashboard.chart.inTime.desc", { in_time: n(inTime), filed: n(filed) })}
          columns={[
            t("dashboard.chart.month"),
            t("dashboard.chart.filing.filed"),
            t("dashboard.chart.inTime.inTime"),
            t("dashboard.chart.inTime.percent"),
          ]}
          rows={charts.filings.map((f) => [
            f.month,
            formatMonth(f.month, lang),
            n(f.filed),
            n(f.in_time),
            orDash(f.percent_in_time, (v) => `${n(v)} %`),
          ])}
          {...common}
        >
          <YAxis max={100} label={(v) => `${n(v)} %`} />
          {charts.filings.map((f, i) => {
            if (f.percent_in_time === null) return null;
            const h = (f.percent_in_time / 100) * plotH;
            return (
              <g key={f.month}>
                <rect x={x(i)} y={M.top + plotH - h} width={barW} height={h} fill={PALETTE[2]} />
                <text x={x(i) + barW / 2} y={M.top + plotH - h - 4} text-anchor="middle" {...FONT} font-size={10}>
                  {n(f.percent_in_time)}
                </text>
              </g>
            );
          })}
          <MonthAxis months={months} lang={lang} />
        </ChartFigure>

        <ChartFigure
          name="measure-ages"
          title={t("dashboard.chart.ages.title")}
          desc={countText(lang, "dashboard.chart.ages.desc", agesTotal)}
          columns={[t("dashboard.chart.ages.age"), t("dashboard.chart.ages.count")]}
          rows={charts.measure_ages.map((a) => [a.bucket, ageLabel(a.bucket), n(a.measures)])}
          {...common}
        >
          {charts.measure_ages.map((a, i) => {
            const left = 110;
            const w = ((W - left - M.right - 30) * a.measures) / agesMax;
            const y = M.top + rowH * i + rowH * 0.2;
            return (
              <g key={a.bucket}>
                <text x={left - 8} y={y + rowH * 0.3 + 4} text-anchor="end" {...FONT}>
                  {ageLabel(a.bucket)}
                </text>
                <rect x={left} y={y} width={Math.max(0, w)} height={rowH * 0.6} fill={PALETTE[i === 3 ? 1 : 0]} />
                <text x={left + w + 6} y={y + rowH * 0.3 + 4} {...FONT}>
                  {n(a.measures)}
                </text>
              </g>
            );
          })}
        </ChartFigure>
      </div>
    </section>
  );
}
