// Complaint severity is normalised at ingest (SPEC §5.6): minor/general/serious in any case, and the
// Chinese words 轻微/輕微, 一般, 严重/嚴重; any other value sends its row to rejects with a reason that
// names the field, the value and what was expected, and every input row is still accounted for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempWarehouse, type TempWarehouse } from '../support/temp-warehouse.ts';

let w: TempWarehouse;
beforeAll(async () => {
  w = await tempWarehouse();
});
afterAll(async () => w.close());

describe('complaint severity', () => {
  it('maps English (any case) and Chinese words to minor/general/serious and rejects anything else', async () => {
    const file = w.file('complaints.csv', [
      'complaint_id,ts,customer_id,category,severity', // line 1
      'S1,2026-10-01T10:00:00Z,c1,Y1,minor', //          line 2
      'S2,2026-10-01T10:00:00Z,c1,Y1,MINOR', //          line 3
      'S3,2026-10-01T10:00:00Z,c1,Y1,General', //        line 4
      'S4,2026-10-01T10:00:00Z,c1,Y1, Serious ', //      line 5 (spaces trimmed)
      'S5,2026-10-01T10:00:00Z,c1,Y1,轻微', //           line 6 simplified
      'S6,2026-10-01T10:00:00Z,c1,Y1,輕微', //           line 7 traditional
      'S7,2026-10-01T10:00:00Z,c1,Y1,一般', //           line 8
      'S8,2026-10-01T10:00:00Z,c1,Y1,严重', //           line 9 simplified
      'S9,2026-10-01T10:00:00Z,c1,Y1,嚴重', //           line 10 traditional
      'S10,2026-10-01T10:00:00Z,c1,Y1,urgent', //        line 11: not a severity
      'S11,2026-10-01T10:00:00Z,c1,Y1,', //              line 12: no severity (optional)
      'S12,2026-10-01T10:00:00Z,c1,Y1,非常严重', //       line 13: not one of the words
    ].join('\n') + '\n');
    const s = await w.ingest(file);
    // 12 rows: 10 load, S10 and S12 rejected
    expect(s).toMatchObject({ status: 'loaded', kind: 'complaints', rowsIn: 12, rowsLoaded: 10, rowsDuplicate: 0, rowsRejected: 2 });
    expect(s.rowsLoaded + s.rowsDuplicate + s.rowsRejected).toBe(s.rowsIn);
    const loaded = await w.rows<{ complaint_id: string; severity: string | null }>(
      `select complaint_id, severity from complaints order by cast(substr(complaint_id, 2) as integer)`,
    );
    expect(loaded.map((r) => [r.complaint_id, r.severity])).toEqual([
      ['S1', 'minor'], ['S2', 'minor'], ['S3', 'general'], ['S4', 'serious'], ['S5', 'minor'],
      ['S6', 'minor'], ['S7', 'general'], ['S8', 'serious'], ['S9', 'serious'], ['S11', null],
    ]);
    const rejects = await w.rows<{ line: number; raw: string; reason: string }>(`select line, raw, reason from rejects where file_id = ${s.fileId} order by line`);
    expect(rejects.map((r) => [r.line, r.raw])).toEqual([
      [11, 'S10,2026-10-01T10:00:00Z,c1,Y1,urgent'],
      [13, 'S12,2026-10-01T10:00:00Z,c1,Y1,非常严重'],
    ]);
    // the reason names the field, the value and what is expected
    expect(rejects[0]!.reason).toMatch(/^severity 'urgent' is not minor, general or serious \(also 轻微\/輕微, 一般, 严重\/嚴重/);
    expect(rejects[1]!.reason).toMatch(/^severity '非常严重' is not minor, general or serious/);
  });
});
