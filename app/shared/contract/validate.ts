import { err, ok, parxError, type Result } from '../result';
import { methods, isMethodName, type MethodName, type Params } from './methods';
import { describeProblems, zodProblems } from './issues';

/** The one gate every request passes: unknown methods and bad payloads become errors, never exceptions. */
export function validateRequest(method: unknown, params: unknown): Result<{ method: MethodName; params: Params<MethodName> }> {
  if (!isMethodName(method)) {
    return err(parxError('unknown-method', `unknown method ${JSON.stringify(method)}`));
  }
  const parsed = methods[method].params.safeParse(params ?? {});
  if (!parsed.success) {
    const problems = zodProblems(parsed.error);
    return err(parxError('invalid-request', `invalid parameters for ${method}: ${describeProblems(problems)}`, { path: problems[0]?.path ?? '' }));
  }
  return ok({ method, params: parsed.data as Params<MethodName> });
}
