/**
 * Progress bars in French on stderr. On a terminal, the bars of the phases running at the same
 * time are redrawn together in place (one line each); otherwise a line at the start, half-way and
 * the end of each phase.
 */
interface Bar {
  line: () => string;
  ended: boolean;
}

const board: { bars: Bar[]; drawn: number; last: number; queued: (() => void)[] } = {
  bars: [],
  drawn: 0,
  last: 0,
  queued: [],
};

function redraw(out: NodeJS.WriteStream, force: boolean) {
  const now = performance.now();
  if (!force && now - board.last < 100) return;
  board.last = now;
  const up = board.drawn > 0 ? `\x1b[${board.drawn}A` : "";
  out.write(`${up}${board.bars.map((b) => `\r\x1b[2K${b.line()}\n`).join("")}`);
  board.drawn = board.bars.length;
  if (board.bars.every((b) => b.ended)) {
    board.bars = [];
    board.drawn = 0;
    const queued = board.queued.splice(0);
    for (const f of queued) f();
  }
}

/** Runs `f` now, or once the bars drawn on the terminal are all done (so that a line does not cut through them). */
export function whenIdle(f: () => void) {
  if (board.bars.length === 0) f();
  else board.queued.push(f);
}

export function progressBar(label: string, total: number, out: NodeJS.WriteStream = process.stderr) {
  const started = performance.now();
  let done = 0;
  let lastTenth = -1;
  const tty = out.isTTY === true;
  const width = 24;

  function line() {
    const share = total === 0 ? 1 : Math.min(1, done / total);
    const filled = Math.round(share * width);
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    return `  ${label.padEnd(38)} [${"█".repeat(filled)}${"·".repeat(width - filled)}] ${String(done).padStart(6)}/${total} ${rate.toFixed(0).padStart(5)}/s`;
  }
  const bar: Bar = { line, ended: false };
  if (tty) {
    board.bars.push(bar);
    redraw(out, true);
  }

  return {
    tick(n = 1) {
      done += n;
      if (tty) redraw(out, false);
      else {
        const tenth = total === 0 ? 10 : Math.floor((done * 10) / total);
        if (tenth !== lastTenth && tenth % 5 === 0) {
          lastTenth = tenth;
          out.write(`${line()}\n`);
        }
      }
    },
    end() {
      if (tty) {
        bar.ended = true;
        redraw(out, true);
      } else if (lastTenth !== 10) out.write(`${line()}\n`);
    },
  };
}
