/** The editor core without the bundled language services: the same API as monaco-editor's main entry. */
declare module 'monaco-editor/esm/vs/editor/edcore.main.js' {
  export * from 'monaco-editor/esm/vs/editor/editor.api.js';
}
