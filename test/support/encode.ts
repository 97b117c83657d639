// Text in a legacy two-byte encoding (Big5, GB18030), as Chinese spreadsheet exports are written.
/** Node encodes only UTF-8/16 and latin1: invert the decoder over the two-byte range. */
export function encodeWith(encoding: string, text: string): Buffer {
  const decoder = new TextDecoder(encoding);
  const table = new Map<string, Buffer>();
  for (let b1 = 0x81; b1 <= 0xfe; b1++) {
    for (let b2 = 0x40; b2 <= 0xfe; b2++) {
      const bytes = Buffer.from([b1, b2]);
      const ch = decoder.decode(bytes);
      if (ch.length === 1 && ch !== '\uFFFD' && !table.has(ch)) table.set(ch, bytes);
    }
  }
  return Buffer.concat([...text].map((ch) => {
    if (ch.charCodeAt(0) < 0x80) return Buffer.from(ch);
    const bytes = table.get(ch);
    if (!bytes) throw new Error(`no ${encoding} code for ${ch}`);
    return bytes;
  }));
}
