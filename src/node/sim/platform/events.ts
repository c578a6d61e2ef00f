/**
 * Timed events on the simulator's clock (agent answers, offer expiry, end of handling, presence changes):
 * a binary min-heap run whenever time may have passed: on a timer, and before every decision, so a test
 * with a manual clock sees exactly the same life as a real run.
 */

interface Scheduled {
  readonly at: number;
  /** insertion order breaks ties, so equal times run first-scheduled-first */
  readonly seq: number;
  readonly run: () => void;
}

export class EventQueue {
  private readonly heap: Scheduled[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Schedules `run` at epoch ms `at`. */
  schedule(at: number, run: () => void): void {
    this.heap.push({ at, seq: this.seq++, run });
    this.up(this.heap.length - 1);
  }

  /** Runs every event due by `now`, in time order (events may schedule more). Returns how many ran. */
  runDue(now: number): number {
    let ran = 0;
    while (this.heap.length > 0 && this.heap[0]!.at <= now) {
      const next = this.pop();
      next.run();
      ran++;
    }
    return ran;
  }

  clear(): void {
    this.heap.length = 0;
  }

  private less(a: number, b: number): boolean {
    const x = this.heap[a]!;
    const y = this.heap[b]!;
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }

  private swap(a: number, b: number): void {
    [this.heap[a], this.heap[b]] = [this.heap[b]!, this.heap[a]!];
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private pop(): Scheduled {
    const top = this.heap[0]!;
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < this.heap.length && this.less(l, smallest)) smallest = l;
        if (r < this.heap.length && this.less(r, smallest)) smallest = r;
        if (smallest === i) break;
        this.swap(i, smallest);
        i = smallest;
      }
    }
    return top;
  }
}
