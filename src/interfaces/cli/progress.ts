import cliProgress from 'cli-progress';
import { monotonicNs } from '../../core/clock.js';

export interface Progress {
  update(done: number): void;
  stop(): void;
}

/**
 * A progress bar on standard error for work that turns out to take over a second (nothing is drawn before
 * that, or when standard error is not a terminal).
 */
export function progressBar(label: string, total: number): Progress {
  const start = monotonicNs();
  let bar: cliProgress.SingleBar | undefined;
  return {
    update(done: number) {
      if (bar === undefined) {
        if (process.stderr.isTTY !== true || Number(monotonicNs() - start) < 1e9) return;
        bar = new cliProgress.SingleBar(
          { format: `${label} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left`, stream: process.stderr, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, done);
      }
      bar.update(done);
    },
    stop() {
      bar?.stop();
    },
  };
}
