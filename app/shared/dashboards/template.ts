/**
 * Reading an exported dashboard template: every item is checked on its own, so a bad
 * widget, a wrong version, a script in Markdown, a missing image or a signal that does not
 * exist here gives one clear message each, and the rest of the dashboard still loads.
 */
import { describeProblems, zodProblems } from '../contract/issues';
import { DASHBOARD_VERSION, ImageDataUrlSchema, TEMPLATE_FORMAT, WIDGET_TYPES, WidgetSchema, type Dashboard, type DashboardTemplate, type Widget } from './schema';

export interface TemplateProblem {
  /** Where: "template", "version", "widget 3 (trend)", "image line.png". */
  item: string;
  message: string;
}

export interface TemplateReading {
  dashboard: Dashboard | null;
  images: Record<string, string>;
  problems: TemplateProblem[];
  /** Signals the dashboard names that this workspace does not have: re-map them before saving. */
  unknownSignals: string[];
}

const INLINE = /\{\{\s*([^{}]+?)\s*\}\}/g;

/** Signal names written inline in Markdown as {{Line Speed}}. */
export function inlineSignals(text: string): string[] {
  return [...text.matchAll(INLINE)].map((m) => m[1] as string);
}

export function replaceInline(text: string, fn: (name: string) => string): string {
  return text.replace(INLINE, (_m, name: string) => fn(name.trim()));
}

/** Every signal a widget reads. */
export function widgetSignals(w: Widget): string[] {
  switch (w.type) {
    case 'value':
    case 'gauge':
      return [w.signal];
    case 'trend':
      return w.signals;
    case 'image':
      return w.labels.map((l) => l.signal);
    case 'markdown':
      return inlineSignals(w.text);
    case 'alarms':
      return [];
  }
}

export function dashboardSignals(d: Dashboard): string[] {
  return [...new Set(d.widgets.flatMap(widgetSignals))];
}

/** Renames signals throughout a dashboard (the import dialog's re-mapping); unmapped names stay. */
export function remapSignals(d: Dashboard, mapping: Readonly<Record<string, string>>): Dashboard {
  const m = (s: string): string => mapping[s] || s;
  const widgets = d.widgets.map((w): Widget => {
    switch (w.type) {
      case 'value':
      case 'gauge':
        return { ...w, signal: m(w.signal) };
      case 'trend':
        return { ...w, signals: [...new Set(w.signals.map(m))] };
      case 'image':
        return { ...w, labels: w.labels.map((l) => ({ ...l, signal: m(l.signal) })) };
      case 'markdown':
        return { ...w, text: replaceInline(w.text, (n) => `{{${m(n)}}}`) };
      case 'alarms':
        return w;
    }
  });
  return { ...d, widgets };
}

const SCRIPT = /<\s*script\b[^>]*>[\s\S]*?(<\s*\/\s*script\s*>|$)/gi;
const HAS_SCRIPT = /<\s*script\b/i;
const REMOTE = /(src|href)\s*=\s*["']?\s*(https?:)?\/\/|!\[[^\]]*\]\(\s*(https?:)?\/\//i;

function asRecord(x: unknown): Record<string, unknown> | null {
  return typeof x === 'object' && x !== null && !Array.isArray(x) ? (x as Record<string, unknown>) : null;
}

export function readTemplate(raw: unknown, opts: { signals: ReadonlySet<string>; images?: ReadonlySet<string> }): TemplateReading {
  const problems: TemplateProblem[] = [];
  const top = asRecord(raw);
  if (!top) return { dashboard: null, images: {}, problems: [{ item: 'template', message: 'not a dashboard template: expected a JSON object' }], unknownSignals: [] };
  // A bare dashboard (a file from workspace/dashboards) is accepted as well as an exported template.
  const isTemplate = top.format !== undefined || top.dashboard !== undefined;
  if (isTemplate && top.format !== TEMPLATE_FORMAT) problems.push({ item: 'template', message: `format is "${String(top.format)}", expected "${TEMPLATE_FORMAT}" — read anyway` });
  const body = isTemplate ? asRecord(top.dashboard) : top;
  if (!body) return { dashboard: null, images: {}, problems: [...problems, { item: 'template', message: 'the template has no "dashboard" object' }], unknownSignals: [] };
  const version = isTemplate ? top.version : body.version;
  if (version !== DASHBOARD_VERSION || (isTemplate && body.version !== undefined && body.version !== DASHBOARD_VERSION)) {
    problems.push({ item: 'version', message: `version ${JSON.stringify(isTemplate ? version : body.version)} is not supported (this ParX reads version ${DASHBOARD_VERSION}) — loaded what could be read` });
  }

  const images: Record<string, string> = {};
  for (const [name, data] of Object.entries(asRecord(isTemplate ? top.images : undefined) ?? {})) {
    const ok = ImageDataUrlSchema.safeParse(data);
    if (ok.success) images[name] = ok.data;
    else problems.push({ item: `image ${name}`, message: `${describeProblems(zodProblems(ok.error))} — left out` });
  }

  const name = typeof body.name === 'string' && body.name.trim() ? body.name.trim().slice(0, 120) : 'Imported dashboard';
  const rawWidgets = Array.isArray(body.widgets) ? body.widgets : [];
  if (!Array.isArray(body.widgets)) problems.push({ item: 'widgets', message: 'the dashboard has no widget list' });
  const widgets: Widget[] = [];
  const ids = new Set<string>();
  rawWidgets.forEach((rw, i) => {
    const w = asRecord(rw);
    const type = w && typeof w.type === 'string' ? w.type : undefined;
    const item = `widget ${i + 1}${type ? ` (${type})` : ''}`;
    if (!w || !type) {
      problems.push({ item, message: 'not a widget (no "type") — skipped' });
      return;
    }
    if (!(WIDGET_TYPES as readonly string[]).includes(type)) {
      problems.push({ item, message: `unknown widget type "${type}" (known: ${WIDGET_TYPES.join(', ')}) — skipped` });
      return;
    }
    const copy = { ...w };
    if (type === 'markdown' && typeof copy.text === 'string') {
      let text: string = copy.text;
      if (HAS_SCRIPT.test(text)) {
        problems.push({ item, message: 'the Markdown contains a <script> tag — removed (scripts never run in a dashboard)' });
        text = text.replace(SCRIPT, '');
        copy.text = text;
      }
      if (REMOTE.test(text)) problems.push({ item, message: 'the Markdown refers to remote content — it will not be loaded (only images stored in the workspace are shown)' });
    }
    const parsed = WidgetSchema.safeParse(copy);
    if (!parsed.success) {
      problems.push({ item, message: `${describeProblems(zodProblems(parsed.error))} — skipped` });
      return;
    }
    const widget = parsed.data;
    if (ids.has(widget.id)) widget.id = `${widget.id}-${i}`;
    ids.add(widget.id);
    if (widget.type === 'image' && widget.image && !(widget.image in images) && !opts.images?.has(widget.image)) {
      problems.push({ item, message: `image "${widget.image}" is missing from the template and the workspace — the widget shows a placeholder until an image is chosen` });
    }
    widgets.push(widget);
  });

  const dashboard: Dashboard = { version: DASHBOARD_VERSION, name, widgets };
  const unknownSignals = dashboardSignals(dashboard).filter((s) => !opts.signals.has(s));
  for (const s of unknownSignals) problems.push({ item: `signal ${s}`, message: `no signal named "${s}" in this workspace — re-map it or its widgets show no data` });
  return { dashboard, images, problems, unknownSignals };
}

export function makeTemplate(dashboard: Dashboard, images: Record<string, string>, now = new Date()): DashboardTemplate {
  return { format: TEMPLATE_FORMAT, version: DASHBOARD_VERSION, exportedAt: now.toISOString(), dashboard, images };
}
