/**
 * What the status word of a production packet means. The codes and their wording are the
 * ones Wireshark's `egd` dissector shows (GE's exchange status codes). 0, 1 and 2 say
 * "nothing wrong"; every other code — including ones we do not know — spoils the data,
 * because a consumer that cannot tell whether data are fresh must not call them good.
 */
const STATUS_TEXT: Readonly<Record<number, string>> = {
  0: 'no new status event has occurred',
  1: 'no error currently exists',
  2: 'no error, data consumed',
  3: 'SNTP error',
  4: 'specification error',
  6: 'data refresh error',
  7: 'data refresh period exceeded',
  10: 'IP layer not currently initialized',
  12: 'lack of resource error',
  16: 'name resolution in progress',
  18: 'loss of Ethernet interface error',
  22: 'Ethernet interface does not support EGD',
  26: 'no response from Ethernet interface',
  28: 'failed to create an exchange',
  30: 'configured exchange deleted',
};

export interface ProductionStatus {
  readonly code: number;
  readonly ok: boolean;
  readonly text: string;
}

export function productionStatus(code: number): ProductionStatus {
  const known = STATUS_TEXT[code];
  return { code, ok: code <= 2, text: known ?? `unknown status ${code}` };
}

/** "status 7 (data refresh period exceeded)" — for error messages. */
export function describeStatus(code: number): string {
  return `status ${code} (${productionStatus(code).text})`;
}
