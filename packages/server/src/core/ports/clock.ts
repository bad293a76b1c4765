/** Injected time source: core code never calls Date.now() (style-anchors §8 habit 4). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
