/** Contract methods and events of one area: Live dashboards and alarms (issue #7). */
import { z } from 'zod';
import { method } from './method';
import { DashboardSchema, IMAGE_NAME, ImageDataUrlSchema, PrefsSchema } from '../dashboards/schema';
import { AlarmDefinitionSchema, AlarmOccurrenceSchema } from '../dashboards/alarm-schema';

const dashboardName = z.string().trim().min(1, 'name the dashboard').max(120);
const imageName = z.string().regex(IMAGE_NAME, 'letters, digits, space, . _ - only (at most 100), not starting with a dot');

export const dashboardMethods = {
  'dashboards.list': method(
    z.object({}).strict(),
    z.array(z.object({ name: z.string(), widgets: z.number().int(), savedAt: z.number() })),
    'Every dashboard saved in the workspace.',
  ),
  'dashboards.get': method(z.object({ name: dashboardName }).strict(), z.object({ dashboard: DashboardSchema, savedAt: z.number() }), 'One saved dashboard.'),
  'dashboards.save': method(
    z.object({ dashboard: DashboardSchema }).strict(),
    z.object({ file: z.string(), savedAt: z.number() }),
    'Save a dashboard (replacing the one of the same name); the file carries the schema version.',
  ),
  'dashboards.remove': method(z.object({ name: dashboardName }).strict(), z.object({ removed: z.boolean() }), 'Delete a saved dashboard.'),
  'dashboards.putImage': method(
    z.object({ name: imageName, dataUrl: ImageDataUrlSchema }).strict(),
    z.object({ name: z.string(), bytes: z.number().int() }),
    'Store an image (a line schematic) in the workspace for image widgets.',
  ),
  'dashboards.getImage': method(z.object({ name: imageName }).strict(), z.object({ name: z.string(), dataUrl: z.string() }), 'An image stored in the workspace, as a data: URL.'),
  'dashboards.listImages': method(z.object({}).strict(), z.array(z.string()), 'The names of the images stored in the workspace.'),
  'prefs.get': method(z.object({}).strict(), PrefsSchema, "The user's preferences: theme, number format, time zone."),
  'prefs.save': method(z.object({ prefs: PrefsSchema }).strict(), PrefsSchema, "Save the user's preferences in the workspace."),
  'alarms.list': method(
    z.object({ limit: z.number().int().min(1).max(5000).default(500) }).strict(),
    z.object({ definitions: z.array(AlarmDefinitionSchema), occurrences: z.array(AlarmOccurrenceSchema), problems: z.array(z.object({ alarm: z.string(), message: z.string() })) }),
    'Alarm definitions, the newest occurrences (open ones first) and definitions that cannot run (with why).',
  ),
  'alarms.history': method(
    z.object({ from: z.number(), to: z.number(), limit: z.number().int().min(1).max(5000).default(1000) }).strict().refine((p) => p.from <= p.to, { message: 'from must not be after to' }),
    z.array(AlarmOccurrenceSchema),
    'Alarm occurrences active at any time in [from, to] (ms epoch), oldest first, from the whole alarm history: the alarm markers of analysis trends.',
  ),
  'alarms.define': method(
    z.object({ definitions: z.array(AlarmDefinitionSchema).max(5000) }).strict(),
    z.object({ file: z.string(), problems: z.array(z.object({ alarm: z.string(), message: z.string() })) }),
    'Replace the alarm definitions (saved in workspace/alarms.json).',
  ),
  'alarms.ack': method(
    z.object({ key: z.string().min(1), comment: z.string().max(500).default('') }).strict(),
    AlarmOccurrenceSchema,
    'Acknowledge one alarm occurrence, with a comment.',
  ),
} as const;

export const dashboardEvents = {
  'alarm.changed': AlarmOccurrenceSchema,
} as const;
