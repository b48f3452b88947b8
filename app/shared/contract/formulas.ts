/** Contract methods and events of one area: Formulas and derived signals (issue #6). */
import { z } from 'zod';
import { method } from './method';

const formulaText = z.string().max(10_000, 'must be at most 10000 characters');

export const FormulaDiagnosticSchema = z.object({
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  /** Character offsets into the formula text. */
  start: z.number().int(),
  end: z.number().int(),
});
export type FormulaDiagnosticInfo = z.infer<typeof FormulaDiagnosticSchema>;

export const FunctionDocSchema = z.object({
  name: z.string(),
  signature: z.string(),
  description: z.string(),
  example: z.string(),
  category: z.string(),
  unitRule: z.string(),
});

export const DerivedSignalInputSchema = z
  .object({
    name: z.string(),
    unit: z.string().default(''),
    description: z.string().default(''),
    formula: z.string(),
    persist: z.boolean().default(false),
  })
  .strict();

export const formulaMethods = {
  'formulas.check': method(
    z.object({ formula: formulaText }).strict(),
    z.object({
      /** Errors and warnings (unit mismatches), each at its character offsets. */
      diagnostics: z.array(FormulaDiagnosticSchema),
      /** Inferred unit of the result; null when the formula does not compile. */
      unit: z.string().nullable(),
      inputs: z.array(z.string()),
    }),
    'Check a formula against the workspace signals: every error and warning with its position, and the inferred unit.',
  ),
  'formulas.preview': method(
    z
      .object({
        formula: formulaText,
        /** ms since the epoch; default: everything the engine still holds in memory (the last minutes). */
        from: z.number().optional(),
        to: z.number().optional(),
        points: z.number().int().min(2).max(100_000).default(2000),
      })
      .strict(),
    z.object({
      /** Result on the master timebase, thinned to at most `points` samples (min and max of each bucket kept). */
      t: z.instanceof(Float64Array),
      v: z.instanceof(Float64Array),
      unit: z.string(),
      /** Samples evaluated before thinning. */
      samples: z.number().int(),
    }),
    'Evaluate a formula over the recent live samples the engine holds: the editor\'s live preview.',
  ),
  'formulas.functions': method(z.object({}).strict(), z.array(FunctionDocSchema), 'The function library with signature, description, example and unit rule of each function.'),
  'derived.save': method(
    z
      .object({
        derived: z.unknown(),
        /** Name of the derived signal this one replaces (a rename); default: the one with the same name, if any. */
        replaces: z.string().optional(),
      })
      .strict(),
    z.object({ file: z.string(), history: z.string() }),
    'Add or replace a derived signal in the workspace configuration (validated; errors at derived.formula, derived.name).',
  ),
  'derived.remove': method(z.object({ name: z.string().min(1) }).strict(), z.object({ removed: z.boolean() }), 'Remove a derived signal from the workspace configuration.'),
} as const;

export const formulaEvents = {} as const;
