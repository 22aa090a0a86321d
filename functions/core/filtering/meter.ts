/**
 * Counts the work validation and evaluation do (nodes visited, characters compared), so tests can
 * bound their cost by counting steps instead of timing them. Optional everywhere: production passes none.
 */
export interface Meter {
  steps: number;
}

export const newMeter = (): Meter => ({ steps: 0 });
