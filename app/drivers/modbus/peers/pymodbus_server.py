"""A Modbus TCP server ParX did not write (Debian python3-pymodbus), seeded from JSON.

usage: /usr/bin/python3 pymodbus_server.py PORT SEED_JSON
       /usr/bin/python3 pymodbus_server.py --serial DEVICE BAUD PARITY UNIT SEED_JSON   (Modbus RTU;
       PARITY is N, E or O; the server answers only UNIT, as a device on a shared bus does)
SEED_JSON: {"hr": {"0": 1, ...}, "ir": {...}, "co": {...}, "di": {...},
            "values": [{"area": "hr", "offset": 10, "type": "float32", "order": "cdab", "value": 1.5}, ...]}
"values" are packed here with Python's struct — independently of ParX's own codec.
Prints "READY PORT" once listening on 127.0.0.1 (or "READY DEVICE" on the serial line).
"""
import asyncio
import json
import struct
import sys

FORMATS = {"int16": ">h", "uint16": ">H", "int32": ">i", "uint32": ">I", "float32": ">f", "float64": ">d"}


def words(kind, order, value):
    """Big-endian bytes A B C D … rearranged into 16-bit registers by the named byte order."""
    raw = struct.pack(FORMATS[kind], int(value) if kind.endswith("int16") or "int32" in kind else value)
    pairs = [raw[i:i + 2] for i in range(0, len(raw), 2)]
    if order in ("cdab", "dcba"):
        pairs = pairs[::-1]
    if order in ("badc", "dcba"):
        pairs = [p[::-1] for p in pairs]
    return [int.from_bytes(p, "big") for p in pairs]

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server import StartAsyncSerialServer, StartAsyncTcpServer
from pymodbus.transaction import ModbusRtuFramer


def block(seed):
    values = [0] * 1000
    for k, v in seed.items():
        values[int(k)] = int(v)
    return ModbusSequentialDataBlock(0, values)


async def main():
    serial = sys.argv[1] == "--serial"
    if serial:
        device, baud, parity, unit, seed_text = sys.argv[2:7]
    else:
        port, seed_text = int(sys.argv[1]), sys.argv[2]
    seed = json.loads(seed_text)
    for v in seed.get("values", []):
        area = seed.setdefault(v["area"], {})
        for i, w in enumerate(words(v["type"], v.get("order", "abcd"), v["value"])):
            area[str(v["offset"] + i)] = w
    store = ModbusSlaveContext(
        hr=block(seed.get("hr", {})),
        ir=block(seed.get("ir", {})),
        co=block(seed.get("co", {})),
        di=block(seed.get("di", {})),
        zero_mode=True,
    )
    loop = asyncio.get_running_loop()
    if serial:
        # pymodbus logs a port it cannot open and carries on deaf; open it here first so the test sees why.
        import serial as pyserial
        pyserial.Serial(device, baudrate=int(baud), parity=parity).close()
        context = ModbusServerContext(slaves={int(unit): store}, single=False)
        loop.call_later(0.5, lambda: print(f"READY {device}", flush=True))
        await StartAsyncSerialServer(
            context, framer=ModbusRtuFramer, port=device, baudrate=int(baud), parity=parity, bytesize=8, stopbits=1, timeout=0.005
        )
        return
    context = ModbusServerContext(slaves=store, single=True)
    loop.call_later(0.5, lambda: print(f"READY {port}", flush=True))
    await StartAsyncTcpServer(context, address=("127.0.0.1", port))


asyncio.run(main())
