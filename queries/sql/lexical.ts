// The console's first look at a query, before DuckDB sees it: bracket nesting (a limit, so no parser or
// tree walk recurses without bound), strings and comments closed, and the EXPLAIN [ANALYZE] prefix.
// Comments nest as in DuckDB's lexer: `/* /* */ still a comment */`.

/** Deepest bracket nesting the console accepts ((, [, {, nested block comments). */
export const maxNesting = 64;

export interface Lexed {
  /** the text holds nothing but whitespace and comments */
  empty: boolean;
  /** deepest bracket (or block comment) nesting */
  depth: number;
  /** where the text is unreadable before DuckDB even parses it */
  problem?: string;
  /** `EXPLAIN [ANALYZE] <rest>`: the statement explained, exactly as written after the prefix */
  explain?: { analyze: boolean; options: boolean; rest: string };
}

const identChar = /[A-Za-z0-9_$]/;

/** Code spans (outside strings and comments) with their start offsets, plus depth and problems. */
function scan(text: string): { words: { word: string; at: number }[]; firstCode: number; depth: number; problem?: string } {
  const words: { word: string; at: number }[] = [];
  let depth = 0;
  let maxDepth = 0;
  let firstCode = -1;
  const deeper = () => {
    depth++;
    if (depth > maxDepth) maxDepth = depth;
  };
  let i = 0;
  const line = (at: number) => text.slice(0, at).split('\n').length;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (text.startsWith('--', i)) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
      continue;
    }
    if (text.startsWith('/*', i)) {
      const start = i;
      let open = 0;
      while (i < text.length) {
        if (text.startsWith('/*', i)) {
          open++;
          if (open + depth > maxDepth) maxDepth = open + depth;
          i += 2;
        } else if (text.startsWith('*/', i)) {
          open--;
          i += 2;
          if (open === 0) break;
        } else i++;
      }
      if (open > 0) return { words, firstCode, depth: maxDepth, problem: `a /* comment opened on line ${line(start)} is never closed` };
      continue;
    }
    if (firstCode < 0) firstCode = i;
    if (ch === "'" || ch === '"') {
      // E'...' strings take backslash escapes; every other quoted text doubles its quote
      const escapes = ch === "'" && i > 0 && /[eE]/.test(text[i - 1]!) && (i < 2 || !identChar.test(text[i - 2]!));
      const start = i;
      i++;
      for (;;) {
        if (i >= text.length) return { words, firstCode, depth: maxDepth, problem: `a ${ch === "'" ? 'string' : 'quoted name'} opened on line ${line(start)} is never closed` };
        if (escapes && text[i] === '\\') i += 2;
        else if (text[i] === ch && text[i + 1] === ch) i += 2;
        else if (text[i] === ch) {
          i++;
          break;
        } else i++;
      }
      continue;
    }
    if (ch === '$' && !(i > 0 && identChar.test(text[i - 1]!))) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(text.slice(i, i + 100));
      if (tag) {
        const end = text.indexOf(tag[0], i + tag[0].length);
        if (end < 0) return { words, firstCode, depth: maxDepth, problem: `a ${tag[0]} quoted string opened on line ${line(i)} is never closed` };
        i = end + tag[0].length;
        continue;
      }
    }
    if (ch === '(' || ch === '[' || ch === '{') {
      deeper();
      i++;
      continue;
    }
    if (ch === ')' || ch === ']' || ch === '}') {
      depth = Math.max(0, depth - 1);
      i++;
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      const start = i;
      while (i < text.length && identChar.test(text[i]!)) i++;
      if (words.length < 3) words.push({ word: text.slice(start, i).toLowerCase(), at: start });
      continue;
    }
    i++;
  }
  return { words, firstCode, depth: maxDepth };
}

export function lex(text: string): Lexed {
  const s = scan(text);
  const out: Lexed = { empty: s.firstCode < 0, depth: s.depth, ...(s.problem ? { problem: s.problem } : {}) };
  const [first, second] = s.words;
  if (first?.word === 'explain' && first.at === s.firstCode) {
    const analyze = second?.word === 'analyze' && scan(text.slice(first.at + 'explain'.length, second.at)).firstCode < 0;
    let from = analyze ? second!.at + 'analyze'.length : first.at + 'explain'.length;
    // what follows the prefix, from its first code character: comments in between belong to no statement
    const rest = text.slice(from);
    const restScan = scan(rest);
    from = restScan.firstCode < 0 ? text.length : from + restScan.firstCode;
    out.explain = { analyze, options: text[from] === '(', rest: text.slice(from) };
  }
  return out;
}
