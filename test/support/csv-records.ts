// RFC-4180 records of a CSV text, for tests that recompute metrics from raw files without SQL.

/** RFC-4180 records of a CSV text (quoted fields, doubled quotes, CRLF or LF line ends). */
export function* records(text: string): Generator<string[]> {
  let field = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.length > 1 || row[0] !== '') yield row;
      row = [];
      field = '';
    } else field += ch;
  }
  if (field || row.length) yield [...row, field];
}
