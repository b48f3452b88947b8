import type { z } from 'zod';

/** One contract method: its parameter and result schemas and a sentence for the docs. */
export function method<P extends z.ZodType, R extends z.ZodType>(params: P, result: R, doc: string): { params: P; result: R; doc: string } {
  return { params, result, doc };
}
