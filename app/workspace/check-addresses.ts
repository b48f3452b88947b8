import type { FieldProblem, WorkspaceConfig } from '../shared/contract';
import { driverFor } from '../drivers';

/** Each signal's address must parse under its connection's protocol. */
export function checkAddresses(config: WorkspaceConfig): FieldProblem[] {
  const byName = new Map(config.connections.map((c) => [c.name, c]));
  const problems: FieldProblem[] = [];
  config.signals.forEach((s, i) => {
    const connection = byName.get(s.connection);
    if (!connection) return; // already reported by the schema
    const parsed = driverFor(connection).parseAddress(s.address);
    if (!parsed.ok) problems.push({ path: `signals[${i}].address`, message: parsed.error.message });
  });
  return problems;
}
