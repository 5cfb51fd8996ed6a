/**
 * Runs a piece of work every `everyMs`, never two at once: the next run is scheduled when the
 * previous one has finished. stop() waits for a run in progress, so shutdown leaves nothing half done.
 * Errors are the work's to handle (a rejected run is reported to onError and the loop goes on).
 */
export class PeriodicTask {
  private timer?: NodeJS.Timeout;
  private running?: Promise<unknown>;

  constructor(
    private readonly work: () => Promise<unknown>,
    private readonly everyMs: number,
    private readonly onError: (e: Error) => void,
  ) {}

  start(): void {
    const run = () => {
      this.running = this.work()
        .catch((e) => this.onError(e as Error))
        .finally(() => {
          if (this.timer) this.timer = setTimeout(run, this.everyMs);
        });
    };
    this.timer = setTimeout(run, this.everyMs);
  }

  async stop(): Promise<void> {
    const t = this.timer;
    this.timer = undefined;
    if (t) clearTimeout(t);
    await this.running;
  }
}
