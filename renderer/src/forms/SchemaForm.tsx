/** A form for one object of a contract schema; every field shows the engine's own message when it is wrong. */
import type { FormField } from './schema-fields';

export interface SchemaFormProps {
  fields: readonly FormField[];
  value: Record<string, unknown>;
  errors: Record<string, string>;
  onChange(next: Record<string, unknown>): void;
}

function FieldInput({ field, value, onChange }: { field: FormField; value: unknown; onChange(v: unknown): void }): React.JSX.Element {
  const id = `f-${field.key}`;
  if (field.fixed !== undefined) return <input id={id} value={String(field.fixed)} readOnly disabled />;
  switch (field.kind) {
    case 'boolean':
      return <input id={id} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />;
    case 'number':
      return <input id={id} type="number" value={value === undefined ? '' : String(value)} onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))} />;
    case 'select':
      return (
        <select id={id} value={value === undefined ? '' : String(value)} onChange={(e) => onChange(field.options?.find((o) => String(o) === e.target.value))}>
          {field.required ? null : <option value="">—</option>}
          {field.options?.map((o) => (
            <option key={String(o)} value={String(o)}>
              {String(o)}
            </option>
          ))}
        </select>
      );
    case 'json':
      return (
        <input
          id={id}
          className="mono"
          defaultValue={value === undefined ? '' : JSON.stringify(value)}
          onBlur={(e) => {
            try {
              onChange(e.target.value.trim() === '' ? undefined : JSON.parse(e.target.value));
            } catch {
              onChange(e.target.value);
            }
          }}
        />
      );
    case 'password':
    case 'text':
      return <input id={id} type={field.kind === 'password' ? 'password' : 'text'} value={value === undefined ? '' : String(value)} onChange={(e) => onChange(e.target.value === '' && !field.required ? undefined : e.target.value)} />;
  }
}

export function SchemaForm({ fields, value, errors, onChange }: SchemaFormProps): React.JSX.Element {
  return (
    <div className="schema-form">
      {fields.map((f) => (
        <div key={f.key} className={`field${errors[f.key] ? ' invalid' : ''}`} data-field={f.key}>
          <label htmlFor={`f-${f.key}`}>
            {f.label}
            {f.required ? ' *' : ''}
          </label>
          <FieldInput field={f} value={value[f.key]} onChange={(v) => onChange({ ...value, [f.key]: v })} />
          {errors[f.key] ? <div className="field-error">{errors[f.key]}</div> : null}
        </div>
      ))}
    </div>
  );
}
