// Time as an injectable dependency, so the emulator and tests can move it without sleeping.

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that starts at a given time (or now) and only moves when told, or follows real time plus an offset. */
export class ManualClock implements Clock {
  #offset: number;
  readonly #frozen: boolean;
  #frozenAt: number;

  constructor(options: { start?: number; frozen?: boolean } = {}) {
    const start = options.start ?? Date.now();
    this.#frozen = options.frozen ?? false;
    this.#frozenAt = start;
    this.#offset = start - Date.now();
  }

  now(): number {
    return this.#frozen ? this.#frozenAt : Date.now() + this.#offset;
  }

  advance(ms: number): void {
    if (ms < 0) throw new RangeError("time only moves forward");
    this.#offset += ms;
    this.#frozenAt += ms;
  }
}

/** ISO 8601 UTC without milliseconds, as GitHub writes alert timestamps (`2024-01-02T03:04:05Z`). */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}
