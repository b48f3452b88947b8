/**
 * A minimal pcap writer: UDP payloads wrapped in Ethernet/IPv4/UDP headers, so a capture
 * of what we send or receive can be opened in Wireshark or checked with tshark. Pure.
 */
export interface UdpRecord {
  readonly payload: Uint8Array;
  /** Capture time, ms since the epoch. */
  readonly tsMs: number;
  readonly src: string;
  readonly dst: string;
  readonly srcPort: number;
  readonly dstPort: number;
}

const LINKTYPE_ETHERNET = 1;
const ETH = 14;
const IP = 20;
const UDP = 8;

function ipBytes(ip: string): number[] {
  const parts = ip.split('.').map(Number);
  return parts.length === 4 && parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 255) ? parts : [0, 0, 0, 0];
}

/** The IPv4 header checksum (RFC 791): ones' complement of the ones' complement sum of its 16-bit words. */
function ipChecksum(header: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) sum += ((header[i] as number) << 8) | (header[i + 1] as number);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function frame(r: UdpRecord): Uint8Array {
  const out = new Uint8Array(ETH + IP + UDP + r.payload.length);
  const view = new DataView(out.buffer);
  out.set([0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01], 0); // locally administered MACs
  view.setUint16(12, 0x0800); // IPv4
  const ip = out.subarray(ETH, ETH + IP);
  const ipView = new DataView(out.buffer, ETH, IP);
  ip[0] = 0x45; // version 4, 5 words
  ipView.setUint16(2, IP + UDP + r.payload.length);
  ip[8] = 64; // TTL
  ip[9] = 17; // UDP
  ip.set(ipBytes(r.src), 12);
  ip.set(ipBytes(r.dst), 16);
  ipView.setUint16(10, ipChecksum(ip));
  const udp = new DataView(out.buffer, ETH + IP, UDP);
  udp.setUint16(0, r.srcPort);
  udp.setUint16(2, r.dstPort);
  udp.setUint16(4, UDP + r.payload.length); // checksum 0 = "none", allowed over IPv4
  out.set(r.payload, ETH + IP + UDP);
  return out;
}

export function writePcap(records: readonly UdpRecord[]): Uint8Array {
  const frames = records.map(frame);
  const out = new Uint8Array(24 + frames.reduce((n, f) => n + 16 + f.length, 0));
  const view = new DataView(out.buffer);
  view.setUint32(0, 0xa1b23c4d, true); // nanosecond-resolution pcap
  view.setUint16(4, 2, true);
  view.setUint16(6, 4, true);
  view.setUint32(16, 65535, true); // snaplen
  view.setUint32(20, LINKTYPE_ETHERNET, true);
  let at = 24;
  frames.forEach((f, i) => {
    const ms = (records[i] as UdpRecord).tsMs;
    const seconds = Math.floor(ms / 1000);
    view.setUint32(at, seconds, true);
    view.setUint32(at + 4, Math.round((ms - seconds * 1000) * 1e6) % 1e9, true);
    view.setUint32(at + 8, f.length, true);
    view.setUint32(at + 12, f.length, true);
    out.set(f, at + 16);
    at += 16 + f.length;
  });
  return out;
}
