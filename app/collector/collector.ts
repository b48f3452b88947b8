/**
 * The collector: one runner per connection. Runs inside the collector worker, but has no
 * worker_threads dependency so tests can drive it in-thread.
 */
import type { ConnectionStatus, GroupStats } from '../shared/contract';
import { ConnectionRunner, type RunnerSink } from './connection-runner';
import type { CollectorPlan } from './messages';

function sameConnection(r: ConnectionRunner, plan: CollectorPlan): boolean {
  const c = plan.connections.find((x) => x.name === r.config.name);
  return c !== undefined && JSON.stringify(c) === JSON.stringify(r.config);
}

export class Collector {
  private runners = new Map<string, ConnectionRunner>();

  constructor(private readonly sink: RunnerSink) {}

  /**
   * Applies a plan (hot reload): a connection whose settings are unchanged keeps its session,
   * and only its changed polling groups restart; other connections are not touched at all.
   */
  async configure(plan: CollectorPlan): Promise<void> {
    const next = new Map<string, ConnectionRunner>();
    for (const connection of plan.connections) {
      const signals = plan.signals.filter((s) => s.connection === connection.name);
      const current = this.runners.get(connection.name);
      if (current && sameConnection(current, plan)) {
        if (JSON.stringify(signals) !== JSON.stringify(current.signals)) current.updateSignals(signals);
        next.set(connection.name, current);
        continue;
      }
      await current?.stop();
      const runner = new ConnectionRunner(connection, signals, this.sink);
      next.set(connection.name, runner);
      runner.start();
    }
    for (const [name, runner] of this.runners) if (!next.has(name)) await runner.stop();
    this.runners = next;
  }

  /** Fresh counters of every connection (state changes are also pushed as they happen). */
  statuses(): ConnectionStatus[] {
    return [...this.runners.values()].map((r) => r.status());
  }

  groupStats(): GroupStats[] {
    return [...this.runners.values()].flatMap((r) => r.groupStats());
  }

  async stop(): Promise<void> {
    await Promise.all([...this.runners.values()].map((r) => r.stop()));
    this.runners.clear();
  }
}
