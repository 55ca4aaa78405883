import { describe, expect, it } from "vitest";
import { FifoSemaphore } from "./fifo-semaphore";

describe("FifoSemaphore", () => {
  it("admits up to the limit, queues the rest in FIFO order", async () => {
    const sem = new FifoSemaphore(1);
    const signal = new AbortController().signal;
    expect(await sem.acquire(signal)).toBe(true);
    const order: number[] = [];
    const a = sem.acquire(signal).then(() => order.push(1));
    const b = sem.acquire(signal).then(() => order.push(2));
    expect(sem.waiting).toBe(2);
    sem.release();
    await a;
    sem.release();
    await b;
    expect(order).toEqual([1, 2]);
    expect(sem.running).toBe(1);
  });

  it("drops an aborted waiter without giving it a slot", async () => {
    const sem = new FifoSemaphore(1);
    await sem.acquire(new AbortController().signal);
    const ac = new AbortController();
    const waiter = sem.acquire(ac.signal);
    ac.abort();
    expect(await waiter).toBe(false);
    expect(sem.waiting).toBe(0);
    sem.release();
    expect(sem.running).toBe(0);
  });
});
