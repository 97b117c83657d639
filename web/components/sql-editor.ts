// The SQL console's editor: CodeMirror 6 with SQL highlighting, completion of the warehouse's tables,
// views, columns and metric macros (from GET /api/schema), and Ctrl/Cmd+Enter to run (closing the popup). This module is
// imported dynamically, so CodeMirror is not part of the initial bundle.
import { autocompletion, closeBrackets, closeBracketsKeymap, closeCompletion, completionKeymap, type Completion } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { PostgreSQL, sql, type SQLNamespace } from '@codemirror/lang-sql';
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { Compartment, EditorState, Prec } from '@codemirror/state';
import { EditorView, drawSelection, highlightActiveLine, keymap, lineNumbers, placeholder } from '@codemirror/view';

export interface SchemaObject {
  name: string;
  kind: 'table' | 'view' | 'macro';
  description: string | null;
  columns: { name: string; type: string; description: string | null }[];
  parameters?: string[];
}

export interface SqlEditor {
  value(): string;
  setValue(text: string): void;
  setSchema(objects: SchemaObject[]): void;
  focus(): void;
  destroy(): void;
}

/** Tables and views with their columns for lang-sql, macros as function completions. */
function language(objects: SchemaObject[]) {
  const namespace: SQLNamespace = {};
  for (const o of objects.filter((x) => x.kind !== 'macro')) {
    namespace[o.name] = {
      self: { label: o.name, type: o.kind === 'view' ? 'type' : 'class', detail: o.kind, ...(o.description ? { info: o.description } : {}) },
      children: o.columns.map((c): Completion => ({ label: c.name, type: 'property', detail: c.type, ...(c.description ? { info: c.description } : {}) })),
    };
  }
  const macros: Completion[] = objects
    .filter((o) => o.kind === 'macro')
    .map((o) => ({ label: o.name, type: 'function', detail: `(${(o.parameters ?? []).join(', ')})`, ...(o.description ? { info: o.description } : {}), apply: `${o.name}(` }));
  const lang = sql({ dialect: PostgreSQL, schema: namespace, upperCaseKeywords: true });
  const macroSource = lang.language.data.of({
    autocomplete: (ctx: import('@codemirror/autocomplete').CompletionContext) => {
      const word = ctx.matchBefore(/\w+/);
      if (!word || (word.from === word.to && !ctx.explicit)) return null;
      return { from: word.from, options: macros, validFor: /^\w*$/ };
    },
  });
  return [lang, macroSource];
}

export function createSqlEditor(parent: HTMLElement, opts: { doc: string; label: string; placeholder: string; onRun: () => void; onChange: (text: string) => void }): SqlEditor {
  const schema = new Compartment();
  const view = new EditorView({
    parent,
    root: parent.getRootNode() as ShadowRoot | Document,
    state: EditorState.create({
      doc: opts.doc,
      extensions: [
        // running closes the completion popup: it would otherwise cover the result
        Prec.highest(keymap.of([{ key: 'Mod-Enter', run: (v) => (closeCompletion(v), opts.onRun(), true), preventDefault: true }])),
        lineNumbers(),
        history(),
        drawSelection(),
        highlightActiveLine(),
        bracketMatching(),
        closeBrackets(),
        autocompletion({ activateOnTyping: true }),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap]),
        schema.of(language([])),
        placeholder(opts.placeholder),
        EditorView.lineWrapping,
        EditorView.contentAttributes.of({ 'aria-label': opts.label }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) opts.onChange(u.state.doc.toString());
        }),
        EditorView.theme({
          '&': { border: '1px solid var(--line)', borderRadius: '6px', background: 'white', fontSize: '13px' },
          '&.cm-focused': { outline: '3px solid var(--focus)', outlineOffset: '2px' },
          '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', minHeight: '8rem', maxHeight: '22rem' },
          '.cm-gutters': { background: '#f5f6f8', borderRight: '1px solid var(--line)', color: '#5b6576' },
          // the default #888-ish placeholder is 3.35:1 on white; the muted ink is 6:1 (WCAG AA)
          '.cm-placeholder': { color: '#5b6576' },
        }),
      ],
    }),
  });
  return {
    value: () => view.state.doc.toString(),
    setValue: (text) => {
      if (text !== view.state.doc.toString()) view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    setSchema: (objects) => view.dispatch({ effects: schema.reconfigure(language(objects)) }),
    focus: () => view.focus(),
    destroy: () => view.destroy(),
  };
}
