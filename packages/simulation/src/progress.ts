/** A progress bar in French on stderr: redrawn in place on a terminal, a line every tenth otherwise. */
export function progressBar(label: string, total: number, out: NodeJS.WriteStream = process.stderr) {
  const started = performance.now();
  let done = 0;
  let lastTenth = -1;
  const tty = out.isTTY === true;
  const width = 24;

  function line() {
    const share = total === 0 ? 1 : done / total;
    const filled = Math.round(share * width);
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? done / seconds : 0;
    return `  ${label.padEnd(34)} [${"█".repeat(filled)}${"·".repeat(width - filled)}] ${String(done).padStart(6)}/${total} ${rate.toFixed(0).padStart(5)}/s`;
  }

  return {
    tick(n = 1) {
      done += n;
      if (tty) out.write(`\r${line()}`);
      else {
        const tenth = total === 0 ? 10 : Math.floor((done * 10) / total);
        if (tenth !== lastTenth && tenth % 5 === 0) {
          lastTenth = tenth;
          out.write(`${line()}\n`);
        }
      }
    },
    end() {
      if (tty) out.write(`\r${line()}\n`);
      else if (lastTenth !== 10) out.write(`${line()}\n`);
    },
  };
}
