// The progress bar of `aida ingest` on a terminal: the pipeline's phases per file, or the upload when
// a running server does the work.
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { HandOffProgress } from '../server/hand-off/client.ts';

export function progressBar(): { onProgress: (p: HandOffProgress) => void; stop: () => void } {
  const bar = new cliProgress.SingleBar(
    { format: '{file} {phase} [{bar}] {percentage}% {doneMB}/{totalMB} MB {rate}', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let current = '';
  let startedAt = Date.now();
  return {
    onProgress: (p) => {
      const mb = (n: number) => (n / 1e6).toFixed(1);
      const seconds = (Date.now() - startedAt) / 1000;
      const rate = p.rows && seconds > 0 ? `${Math.round(p.rows / seconds).toLocaleString('en')} rows/s` : `${mb(p.bytesDone / Math.max(seconds, 0.001))} MB/s`;
      const phaseDone = p.phase === 'hash' || p.phase === 'decode' || p.phase === 'upload' ? p.bytesDone : p.bytesTotal;
      const payload = { file: path.basename(p.file), phase: p.phase.padEnd(6), doneMB: mb(phaseDone), totalMB: mb(p.bytesTotal), rate };
      if (current !== p.file) {
        if (current) bar.stop();
        current = p.file;
        startedAt = Date.now();
        bar.start(Math.max(p.bytesTotal, 1), 0, payload);
      }
      bar.update(p.phase === 'done' ? p.bytesTotal : phaseDone, payload);
    },
    stop: () => bar.stop(),
  };
}
