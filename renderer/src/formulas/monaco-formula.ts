/**
 * Monaco, bundled from node_modules (no CDN), with the ParX formula language: Monarch
 * tokens, completion of signals (with units) and functions (signature + doc), hover docs,
 * and markers from the shared checker. Only the editor core is loaded (no TypeScript/CSS/
 * HTML language services): the formula language needs nothing else, and it keeps the
 * bundle and the worker count small.
 */
import * as monaco from 'monaco-editor/esm/vs/editor/edcore.main.js';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker.js?worker';
import { compileFormula, FUNCTION_LIBRARY, type FormulaDiagnostic, type FunctionDoc } from '../../../app/shared/formula';
import type { SignalInfo } from '../../../app/shared/contract';

export { monaco };
export const FORMULA_LANGUAGE = 'parx-formula';

/** How a signal is written in a formula: bare when it is a plain identifier, else in brackets. */
export function signalReference(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !['and', 'or', 'not', 'true', 'false', 'pi', 'e'].includes(name) ? name : `[${name.replaceAll(']', ']]')}]`;
}

export function functionMarkdown(f: FunctionDoc): string {
  return `**${f.signature}**\n\n${f.description}\n\nResult unit: ${f.unitRule}\n\nExample: \`${f.example}\``;
}

/** Signals a formula may read (acquired ones; derived signals are not inputs of other formulas). */
export function formulaInputs(signals: readonly SignalInfo[]): SignalInfo[] {
  return signals.filter((s) => s.formula === undefined);
}

/** Errors and warnings of `text` against these signals, from the shared checker (instant, no round trip). */
export function checkText(text: string, signals: readonly SignalInfo[]): { diagnostics: readonly FormulaDiagnostic[]; unit: string | null } {
  if (text.trim() === '') return { diagnostics: [], unit: null };
  const units = new Map(formulaInputs(signals).map((s) => [s.name, s.unit]));
  const r = compileFormula(text, { signalUnits: (n) => units.get(n) });
  return r.ok ? { diagnostics: r.value.warnings, unit: r.value.unit } : { diagnostics: r.error.diagnostics, unit: null };
}

/** Markers at the exact character offsets of each diagnostic. */
export function setDiagnostics(model: monaco.editor.ITextModel, diagnostics: readonly FormulaDiagnostic[]): void {
  const len = model.getValueLength();
  monaco.editor.setModelMarkers(
    model,
    FORMULA_LANGUAGE,
    diagnostics.map((d) => {
      const start = model.getPositionAt(Math.min(d.start, len));
      // A zero-width problem (at the end: "expected an expression") still needs one visible character.
      const end = model.getPositionAt(Math.min(Math.max(d.end, d.start + 1), len));
      const sameSpot = start.lineNumber === end.lineNumber && start.column === end.column;
      return {
        severity: d.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
        message: d.message,
        startLineNumber: start.lineNumber,
        startColumn: sameSpot ? Math.max(1, start.column - 1) : start.column,
        endLineNumber: end.lineNumber,
        endColumn: end.column,
      };
    }),
  );
}

let registered = false;

/** Registers the language once; `signals()` is read at completion/hover time so it is always current. */
export function registerFormulaLanguage(signals: () => readonly SignalInfo[]): void {
  if (registered) return;
  registered = true;
  globalThis.MonacoEnvironment = { getWorker: () => new EditorWorker() };
  const functions = FUNCTION_LIBRARY.map((f) => f.name);
  monaco.languages.register({ id: FORMULA_LANGUAGE });
  monaco.languages.setLanguageConfiguration(FORMULA_LANGUAGE, {
    comments: { lineComment: '//', blockComment: ['/*', '*/'] },
    brackets: [['(', ')']],
    autoClosingPairs: [
      { open: '(', close: ')' },
      { open: '[', close: ']' },
    ],
  });
  monaco.languages.setMonarchTokensProvider(FORMULA_LANGUAGE, {
    functions,
    keywords: ['and', 'or', 'not', 'true', 'false', 'pi', 'e'],
    tokenizer: {
      root: [
        [/\/\/.*$/, 'comment'],
        [/\/\*/, 'comment', '@comment'],
        [/\[(?:[^\]]|\]\])*\]/, 'variable'],
        [/(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?(?:ms|min|s|h|mm|cm|km|m)\b/, 'number.unit'],
        [/(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/, 'number'],
        [/[A-Za-z_][\w]*(?=\s*\()/, { cases: { '@functions': 'predefined', '@default': 'invalid' } }],
        [/[A-Za-z_][\w]*/, { cases: { '@keywords': 'keyword', '@default': 'variable' } }],
        [/&&|\|\||[<>=!]=|[-+*/%^<>!]/, 'operator'],
        [/[(),]/, 'delimiter'],
      ],
      comment: [
        [/\*\//, 'comment', '@pop'],
        [/./, 'comment'],
      ],
    },
  });
  monaco.languages.registerCompletionItemProvider(FORMULA_LANGUAGE, {
    triggerCharacters: ['['],
    provideCompletionItems(model, position) {
      const line = model.getLineContent(position.lineNumber).slice(0, position.column - 1);
      // Inside an open bracket: complete the name and close it; else replace the word being typed.
      const open = /\[([^\]]*)$/.exec(line);
      const word = model.getWordUntilPosition(position);
      // An auto-closed ']' right after the cursor is part of what the completion replaces.
      const closer = model.getLineContent(position.lineNumber).charAt(position.column - 1) === ']' ? 1 : 0;
      const range = open
        ? { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: position.column - open[0].length, endColumn: position.column + closer }
        : { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
      const suggestions: monaco.languages.CompletionItem[] = formulaInputs(signals()).map((s) => ({
        label: { label: s.name, description: s.unit || 'no unit' },
        kind: monaco.languages.CompletionItemKind.Variable,
        detail: `signal · ${s.unit || 'no unit'}`,
        documentation: s.description,
        insertText: signalReference(s.name),
        filterText: open ? `[${s.name}` : s.name,
        range,
      }));
      if (!open) {
        for (const f of FUNCTION_LIBRARY) {
          suggestions.push({
            label: { label: f.name, description: f.signature },
            kind: monaco.languages.CompletionItemKind.Function,
            detail: f.signature,
            documentation: { value: functionMarkdown(f) },
            insertText: `${f.name}($0)`,
            insertTextRules: monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet,
            range,
          });
        }
      }
      return { suggestions };
    },
  });
  monaco.languages.registerHoverProvider(FORMULA_LANGUAGE, {
    provideHover(model, position) {
      const offset = model.getOffsetAt(position);
      const text = model.getValue();
      // Bracketed names are one token; find the one under the cursor.
      for (const m of text.matchAll(/\[(?:[^\]]|\]\])*\]/g)) {
        if (offset >= m.index && offset < m.index + m[0].length) {
          const name = m[0].slice(1, -1).replaceAll(']]', ']');
          const s = signals().find((x) => x.name === name);
          const start = model.getPositionAt(m.index);
          const end = model.getPositionAt(m.index + m[0].length);
          return {
            range: new monaco.Range(start.lineNumber, start.column, end.lineNumber, end.column),
            contents: [{ value: s ? `**${s.name}** · ${s.unit || 'no unit'}\n\n${s.description}` : `unknown signal '${name}'` }],
          };
        }
      }
      const word = model.getWordAtPosition(position);
      if (!word) return null;
      const range = new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn);
      const f = FUNCTION_LIBRARY.find((x) => x.name === word.word);
      if (f) return { range, contents: [{ value: functionMarkdown(f) }] };
      const s = signals().find((x) => x.name === word.word);
      if (s) return { range, contents: [{ value: `**${s.name}** · ${s.unit || 'no unit'}\n\n${s.description}` }] };
      return null;
    },
  });
}
