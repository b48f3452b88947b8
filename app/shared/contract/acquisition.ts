/** Contract methods and events of one area: Acquisition extras (issue #3): certificate trust, register maps, planner. */
import { z } from 'zod';
import { method } from './method';

/** A server certificate in the workspace's OPC UA trust store (workspace/pki/opcua). */
export const CertificateEntrySchema = z.object({
  /** SHA-1 of the certificate, lowercase hex: what servers show on their own configuration screens. */
  thumbprint: z.string(),
  subject: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  status: z.enum(['trusted', 'rejected']),
});
export type CertificateEntry = z.infer<typeof CertificateEntrySchema>;

const thumbprint = z
  .string()
  .trim()
  .regex(/^[0-9a-fA-F]{40}$/, 'must be a SHA-1 thumbprint: 40 hexadecimal digits')
  .transform((t) => t.toLowerCase());

export const UntrustedCertificateSchema = z.object({
  /** The connection that was refused because of it. */
  connection: z.string(),
  thumbprint: z.string(),
  subject: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
});
export type UntrustedCertificate = z.infer<typeof UntrustedCertificateSchema>;

/** One (connection, timebase) group: the planner's requests and prediction beside what the collector measures. */
export const PlannedGroupSchema = z.object({
  connection: z.string(),
  protocol: z.string(),
  timebaseMs: z.number(),
  signals: z.number().int(),
  requests: z.number().int(),
  requestList: z.array(z.string()),
  bytesPerCycle: z.number(),
  predictedCycleMs: z.number(),
  load: z.number(),
  verdict: z.enum(['ok', 'tight', 'overrun', 'push', 'invalid']),
  note: z.string().nullable(),
  /** Measured, once the group runs: the last cycle, its jitter, how many cycles overran. Null before. */
  measured: z
    .object({ lastCycleMs: z.number(), cycles: z.number().int(), overruns: z.number().int(), jitterP99Ms: z.number() })
    .nullable(),
});
export type PlannedGroup = z.infer<typeof PlannedGroupSchema>;

export const MapRegisterSchema = z.object({
  line: z.number().int(),
  name: z.string(),
  address: z.string(),
  unit: z.string(),
  description: z.string(),
  scale: z.number(),
  offset: z.number(),
});
export type MapRegister = z.infer<typeof MapRegisterSchema>;

export const acquisitionMethods = {
  'acquisition.registerMap': method(
    z.object({ csv: z.string().max(5_000_000, 'a register map of at most 5 MB') }).strict(),
    z.object({ registers: z.array(MapRegisterSchema), problems: z.array(z.object({ line: z.number().int(), message: z.string() })) }),
    'Parse a Modbus register map (CSV): the registers it names, in canonical addresses, and every bad row with its line number.',
  ),
  'certificates.list': method(
    z.object({}).strict(),
    z.array(CertificateEntrySchema),
    'The OPC UA server certificates ParX trusts or has refused, newest problems first.',
  ),
  'certificates.trust': method(
    z.object({ thumbprint }).strict(),
    CertificateEntrySchema,
    'Trust a server certificate (moves it to trusted/); connections refused because of it reconnect at once.',
  ),
  'certificates.reject': method(z.object({ thumbprint }).strict(), CertificateEntrySchema, 'Refuse a server certificate (moves it to rejected/).'),
  'acquisition.plan': method(
    z.object({}).strict(),
    z.array(PlannedGroupSchema),
    'The acquisition planner on the running configuration: requests per (connection, timebase) after packing, predicted and measured cycle times.',
  ),
} as const;

export const acquisitionEvents = {
  /** A secured OPC UA connection was refused because ParX does not trust the server's certificate (yet). */
  'certificate.untrusted': UntrustedCertificateSchema,
} as const;
