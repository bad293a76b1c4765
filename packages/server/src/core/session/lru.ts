/**
 * A bounded map that forgets the least recently used entry first: every cache on the
 * CreateSession hot path is bounded (issue [scale], memory), and they all bound it this way.
 */
export class Lru<V> {
  private readonly m = new Map<string, V>();
  constructor(private readonly max: number) {}

  get(k: string): V | undefined {
    const v = this.m.get(k);
    if (v !== undefined) {
      // Map iteration order is insertion order: re-inserting keeps the oldest first.
      this.m.delete(k);
      this.m.set(k, v);
    }
    return v;
  }

  set(k: string, v: V): void {
    this.m.delete(k);
    if (this.m.size >= this.max) this.m.delete(this.m.keys().next().value as string);
    this.m.set(k, v);
  }
}
