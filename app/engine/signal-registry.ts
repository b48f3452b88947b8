/**
 * Signals by name and by numeric id. Ids are what travel with samples; they stay the same
 * for a name for the engine's lifetime, so a reload never relabels data in flight.
 */
import type { SignalConfig, SignalInfo, WorkspaceConfig } from '../shared/contract';

export class SignalRegistry {
  private readonly idByName = new Map<string, number>();
  private nextId = 0;
  private current = new Map<string, SignalInfo>();

  apply(config: WorkspaceConfig): void {
    const next = new Map<string, SignalInfo>();
    for (const s of config.signals) next.set(s.name, this.info(s));
    this.current = next;
  }

  private info(s: SignalConfig): SignalInfo {
    let id = this.idByName.get(s.name);
    if (id === undefined) {
      id = this.nextId++;
      this.idByName.set(s.name, id);
    }
    return { id, name: s.name, unit: s.unit, description: s.description, connection: s.connection, address: s.address, timebaseMs: s.timebaseMs };
  }

  list(): SignalInfo[] {
    return [...this.current.values()];
  }

  byName(name: string): SignalInfo | undefined {
    return this.current.get(name);
  }
}
