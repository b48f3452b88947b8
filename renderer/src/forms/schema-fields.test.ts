import { describe, expect, it } from 'vitest';
import { ModbusConnectionSchema, OpcUaConnectionSchema } from '../../../app/shared/contract';
import { fieldErrors, formFields, initialValues } from './schema-fields';

describe('forms from the contract schemas', () => {
  it('a Modbus connection form: fields, kinds, defaults', () => {
    const fields = formFields(ModbusConnectionSchema);
    expect(fields.map((f) => f.key)).toEqual(['name', 'protocol', 'host', 'port', 'unitId', 'timeoutMs', 'enabled']);
    expect(fields.find((f) => f.key === 'port')).toMatchObject({ kind: 'number', required: true });
    expect(fields.find((f) => f.key === 'enabled')).toMatchObject({ kind: 'boolean', default: true });
    expect(initialValues(fields)).toEqual({ protocol: 'modbus', unitId: 1, timeoutMs: 1000, enabled: true });
  });

  it('enums become selects, nested objects JSON', () => {
    const fields = formFields(OpcUaConnectionSchema);
    expect(fields.find((f) => f.key === 'securityMode')).toMatchObject({ kind: 'select', options: ['None', 'Sign', 'SignAndEncrypt'] });
    expect(fields.find((f) => f.key === 'auth')?.kind).toBe('json');
  });

  it('field errors are the engine’s own messages, by field', () => {
    const errors = fieldErrors(ModbusConnectionSchema, { name: 'PLC', protocol: 'modbus', host: '', port: 70000 });
    expect(errors).toEqual({ host: 'must not be empty', port: 'must be between 1 and 65535' });
  });
});
