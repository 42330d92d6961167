/**
 * Which checks a scenario ran. Every Then-step that completes counts as a check unless it says it
 * compared nothing (a conditional whose condition did not hold, a step that only records); every
 * block of When-steps must be followed by at least one check before the next block or the end.
 * A scenario that leaves a block unchecked proved nothing about that action: a suite error.
 */
export class CheckLedger {
  private checks = 0;
  private stepCompared = true;
  /** The first step of the current When-block and the check count when it began. */
  private block: { readonly text: string; readonly checksBefore: number } | undefined;
  private inAction = false;
  private readonly unchecked: string[] = [];

  /** A step is about to run; `action` for When-steps (and their And/But). */
  stepStarted(kind: 'context' | 'action' | 'outcome', text: string): void {
    this.stepCompared = true;
    const action = kind === 'action';
    if (action && !this.inAction) {
      this.closeBlock();
      this.block = { text, checksBefore: this.checks };
    }
    this.inAction = action;
  }

  /** The running step compared nothing (its condition did not hold, or it only records). */
  notACheck(): void {
    this.stepCompared = false;
  }

  /** A step finished without error. */
  stepPassed(kind: 'context' | 'action' | 'outcome'): void {
    if (kind === 'outcome' && this.stepCompared) this.checks++;
  }

  /** Whether the step running (or just finished) compared something. */
  get compared(): boolean {
    return this.stepCompared;
  }

  get count(): number {
    return this.checks;
  }

  /** The When-blocks no check followed (by their first step), or "(no check)" when none ran at all. */
  uncheckedBlocks(): string[] {
    this.closeBlock();
    this.block = undefined;
    if (this.checks === 0 && this.unchecked.length === 0) return ['(the scenario ran no check)'];
    return [...this.unchecked];
  }

  private closeBlock(): void {
    if (this.block !== undefined && this.checks === this.block.checksBefore && !this.unchecked.includes(this.block.text)) this.unchecked.push(this.block.text);
  }
}
