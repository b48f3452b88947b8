import type { FieldProblem, WorkspaceConfig } from '../shared/contract';
import { findDriver } from '../drivers';

/** Each signal's address must parse under its connection's protocol. */
export function checkAddresses(config: WorkspaceConfig): FieldProblem[] {
  const byName = new Map(config.connections.map((c) => [c.name, c]));
  const problems: FieldProblem[] = [];
  config.connections.forEach((c, i) => {
    if (!findDriver(c.protocol)) problems.push({ path: `connections[${i}].protocol`, message: `protocol "${c.protocol}" has no driver in this build` });
  });
  config.signals.forEach((s, i) => {
    const connection = byName.get(s.connection);
    if (!connection) return; // already reported by the schema
    const driver = findDriver(connection.protocol);
    if (!driver) return;
    const parsed = driver.parseAddress(s.address);
    if (!parsed.ok) problems.push({ path: `signals[${i}].address`, message: parsed.error.message });
  });
  return problems;
}
