/**
 * The workspace configuration: what to connect to and which signals to collect.
 * Declarative schemas: the engine validates with them, the UI builds forms from them.
 * Protocol-specific address syntax is checked by the driver (app/drivers/*) on top of this.
 */
import { z } from 'zod';

export const CONFIG_VERSION = 1;

const name = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(80, 'must be at most 80 characters');

export const ModbusConnectionSchema = z
  .object({
    name,
    protocol: z.literal('modbus'),
    host: z.string().trim().min(1, 'must not be empty').max(253),
    port: z.number().int('must be a whole number').min(1, 'must be between 1 and 65535').max(65535, 'must be between 1 and 65535'),
    unitId: z.number().int().min(0).max(255).default(1),
    timeoutMs: z.number().int().min(50).max(60_000).default(1000),
    enabled: z.boolean().default(true),
  })
  .strict();

export const ConnectionSchema = z.discriminatedUnion('protocol', [ModbusConnectionSchema], {
  error: (issue) =>
    issue.code === 'invalid_union' ? `unknown protocol ${JSON.stringify((issue.input as { protocol?: unknown } | undefined)?.protocol)} (supported: modbus)` : undefined,
});

export const SignalSchema = z
  .object({
    name,
    unit: z.string().max(32).default(''),
    description: z.string().max(500).default(''),
    connection: name,
    address: z.string().trim().min(1, 'must not be empty').max(200),
    scale: z.number().finite().default(1),
    offset: z.number().finite().default(0),
    timebaseMs: z.number().int().min(1, 'must be at least 1 ms').max(3_600_000, 'must be at most one hour').default(100),
  })
  .strict();

export const WorkspaceConfigSchema = z
  .object({
    version: z.literal(CONFIG_VERSION, { error: `must be ${CONFIG_VERSION} (this ParX reads configuration version ${CONFIG_VERSION})` }),
    connections: z.array(ConnectionSchema).default([]),
    signals: z.array(SignalSchema).default([]),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    const connections = new Set<string>();
    cfg.connections.forEach((c, i) => {
      if (connections.has(c.name)) ctx.addIssue({ code: 'custom', path: ['connections', i, 'name'], message: `duplicate connection name "${c.name}"` });
      connections.add(c.name);
    });
    const signals = new Set<string>();
    cfg.signals.forEach((s, i) => {
      if (signals.has(s.name)) ctx.addIssue({ code: 'custom', path: ['signals', i, 'name'], message: `duplicate signal name "${s.name}"` });
      signals.add(s.name);
      if (!connections.has(s.connection)) {
        ctx.addIssue({ code: 'custom', path: ['signals', i, 'connection'], message: `no connection named "${s.connection}"` });
      }
    });
  });

export type ModbusConnectionConfig = z.infer<typeof ModbusConnectionSchema>;
export type ConnectionConfig = z.infer<typeof ConnectionSchema>;
export type SignalConfig = z.infer<typeof SignalSchema>;
export type WorkspaceConfig = z.infer<typeof WorkspaceConfigSchema>;
export type Protocol = ConnectionConfig['protocol'];

export function emptyConfig(): WorkspaceConfig {
  return { version: CONFIG_VERSION, connections: [], signals: [] };
}
