/**
 * Signals by name and by numeric id. Ids are what travel with samples; they stay the same
 * for a name for the engine's lifetime, so a reload never relabels data in flight.
 */
import type { SignalConfig, SignalInfo, WorkspaceConfig } from '../shared/contract';

export class SignalRegistry {
  private readonly idByName = new Map<string, number>();
  private nextId = 0;
  private current = new Map<string, SignalInfo>();
  /** Derived signals (connection '(derived)'), set by DerivedSignals; `recorded` marks the persisted ones. */
  private derived = new Map<string, { info: SignalInfo; recorded: boolean }>();

  apply(config: WorkspaceConfig): void {
    const next = new Map<string, SignalInfo>();
    for (const s of config.signals) next.set(s.name, this.info(s));
    this.current = next;
  }

  /** Replaces the derived signals; each gets (or keeps) an id like any signal. */
  applyDerived(list: readonly { info: Omit<SignalInfo, 'id'>; recorded: boolean }[]): void {
    this.derived = new Map(list.map((d) => [d.info.name, { info: { ...d.info, id: this.idOf(d.info.name) }, recorded: d.recorded }]));
  }

  private idOf(name: string): number {
    let id = this.idByName.get(name);
    if (id === undefined) {
      id = this.nextId++;
      this.idByName.set(name, id);
    }
    return id;
  }

  private info(s: SignalConfig): SignalInfo {
    const id = this.idOf(s.name);
    return { id, name: s.name, unit: s.unit, description: s.description, connection: s.connection, address: s.address, timebaseMs: s.timebaseMs };
  }

  /** Every signal, acquired and derived. */
  list(): SignalInfo[] {
    return [...this.current.values(), ...[...this.derived.values()].map((d) => d.info)];
  }

  /** Signals the collector reads from devices. */
  acquired(): SignalInfo[] {
    return [...this.current.values()];
  }

  /** Signals whose samples go into batch files: acquired ones and persisted derived ones. */
  recorded(): SignalInfo[] {
    return [...this.current.values(), ...[...this.derived.values()].filter((d) => d.recorded).map((d) => d.info)];
  }

  byName(name: string): SignalInfo | undefined {
    return this.current.get(name) ?? this.derived.get(name)?.info;
  }
}
