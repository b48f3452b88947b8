/**
 * A dashboard as saved in the workspace and exported as a template: a versioned list of
 * widgets, each placed on a 12-column grid. Shared, so the engine validates what it saves
 * and the renderer validates what it imports with the same schemas.
 */
import { z } from 'zod';

export const DASHBOARD_VERSION = 1;
export const GRID_COLUMNS = 12;
/** The fastest a widget may ask for (the contract's live.subscribe cap is 30). */
export const MAX_WIDGET_RATE = 30;

const name = z.string().trim().min(1, 'must not be empty').max(120, 'at most 120 characters');
const signal = z.string().min(1, 'name a signal').max(200);
const finite = z.number().refine(Number.isFinite, 'must be a finite number');

/** Limits colour a value: lo-lo and hi-hi are alarms (red), lo and hi warnings (amber). Null: not set. */
export const LimitsSchema = z
  .object({ loLo: finite.nullable().default(null), lo: finite.nullable().default(null), hi: finite.nullable().default(null), hiHi: finite.nullable().default(null) })
  .strict();
export type Limits = z.infer<typeof LimitsSchema>;

const place = {
  id: z.string().min(1).max(64),
  x: z.number().int().min(0).max(GRID_COLUMNS - 1),
  y: z.number().int().min(0).max(10_000),
  w: z.number().int().min(1).max(GRID_COLUMNS),
  h: z.number().int().min(1).max(100),
  title: z.string().max(200).default(''),
};

export const ValueWidgetSchema = z
  .object({
    ...place,
    type: z.literal('value'),
    signal,
    decimals: z.number().int().min(0).max(9).default(1),
    limits: LimitsSchema.default({ loLo: null, lo: null, hi: null, hiHi: null }),
    sparkline: z.boolean().default(false),
  })
  .strict();

export const TrendWidgetSchema = z
  .object({ ...place, type: z.literal('trend'), signals: z.array(signal).min(1, 'name at least one signal').max(8, 'at most 8 signals'), windowS: z.number().min(5).max(3600).default(60) })
  .strict();

export const GaugeWidgetSchema = z
  .object({
    ...place,
    type: z.literal('gauge'),
    signal,
    style: z.enum(['gauge', 'bar']).default('gauge'),
    min: finite.default(0),
    max: finite.default(100),
    decimals: z.number().int().min(0).max(9).default(1),
    limits: LimitsSchema.default({ loLo: null, lo: null, hi: null, hiHi: null }),
  })
  .strict()
  .refine((w) => w.max > w.min, { message: 'max must be above min', path: ['max'] });

export const AlarmsWidgetSchema = z
  .object({
    ...place,
    type: z.literal('alarms'),
    states: z.array(z.enum(['active', 'acknowledged', 'cleared'])).default(['active', 'acknowledged', 'cleared']),
    minPriority: z.number().int().min(1).max(4).default(1),
  })
  .strict();

export const MarkdownWidgetSchema = z.object({ ...place, type: z.literal('markdown'), text: z.string().max(20_000, 'at most 20,000 characters') }).strict();

export const ImageLabelSchema = z
  .object({ signal, x: z.number().min(0).max(1), y: z.number().min(0).max(1), decimals: z.number().int().min(0).max(9).default(1) })
  .strict();

export const ImageWidgetSchema = z
  .object({ ...place, type: z.literal('image'), image: z.string().max(120).default(''), labels: z.array(ImageLabelSchema).max(50).default([]) })
  .strict();

export const WidgetSchema = z.discriminatedUnion('type', [ValueWidgetSchema, TrendWidgetSchema, GaugeWidgetSchema, AlarmsWidgetSchema, MarkdownWidgetSchema, ImageWidgetSchema]);
export type Widget = z.infer<typeof WidgetSchema>;
export type WidgetType = Widget['type'];
export type WidgetOf<T extends WidgetType> = Extract<Widget, { type: T }>;
export const WIDGET_TYPES: readonly WidgetType[] = ['value', 'trend', 'gauge', 'alarms', 'markdown', 'image'];

export const DashboardSchema = z
  .object({
    version: z.literal(DASHBOARD_VERSION, `dashboard version must be ${DASHBOARD_VERSION}`),
    name,
    widgets: z.array(WidgetSchema).max(200, 'at most 200 widgets'),
  })
  .strict();
export type Dashboard = z.infer<typeof DashboardSchema>;

/** An image kept in the workspace: a safe file name and the bytes as a data: URL (png, jpeg, gif, webp, svg excluded). */
export const IMAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$/;
export const ImageDataUrlSchema = z
  .string()
  .max(7_000_000, 'at most about 5 MB')
  .regex(/^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+$/, 'must be a PNG, JPEG, GIF or WebP image as a base64 data: URL');

/** The exported file: the dashboard plus the images it shows, so it loads in a fresh workspace. */
export const TEMPLATE_FORMAT = 'parx-dashboard';
export interface DashboardTemplate {
  format: typeof TEMPLATE_FORMAT;
  version: number;
  exportedAt: string;
  dashboard: Dashboard;
  images: Record<string, string>;
}

export const PrefsSchema = z
  .object({
    version: z.literal(1).default(1),
    theme: z.enum(['dark', 'light']).default('dark'),
    /** plain: 1234.5 · grouped: 1,234.5 · comma: 1234,5 (decimal comma) */
    numberFormat: z.enum(['plain', 'grouped', 'comma']).default('plain'),
    /** 'local', 'UTC' or an IANA zone such as 'Europe/Berlin'. */
    timeZone: z.string().min(1).max(64).default('local'),
  })
  .strict();
export type Prefs = z.infer<typeof PrefsSchema>;
export const DEFAULT_PREFS: Prefs = { version: 1, theme: 'dark', numberFormat: 'plain', timeZone: 'local' };
