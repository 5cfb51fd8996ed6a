import { Json } from './api';

/** Moves every complete event (a block ending in a blank line) of `buffer` into `events`; returns the rest. */
function takeEvents(buffer: string, events: { id: string; data: Json }[]): string {
  let cut;
  while ((cut = buffer.indexOf('\n\n')) >= 0) {
    const block = buffer.slice(0, cut);
    buffer = buffer.slice(cut + 2);
    const id = /^id: (.*)$/m.exec(block)?.[1];
    const data = /^data: (.*)$/m.exec(block)?.[1];
    if (id && data) events.push({ id, data: JSON.parse(data) });
  }
  return buffer;
}

/**
 * Reads server-sent events from a stream until `count` have arrived (or `timeoutMs` has passed:
 * then what came so far, possibly nothing), then disconnects.
 */
export async function readEvents(url: string, token: string, count: number, lastEventId?: string, timeoutMs = 15_000): Promise<{ id: string; data: Json }[]> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) }, signal: controller.signal });
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = res.body!.getReader();
  const events: { id: string; data: Json }[] = [];
  let buffer = '';
  const timeout = setTimeout(() => controller.abort(), timeoutMs);
  try {
    while (events.length < count) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer = takeEvents(buffer + new TextDecoder().decode(value), events);
    }
  } catch (e) {
    // Aborted at the time limit: the events so far.
    if (!controller.signal.aborted) throw e;
  } finally {
    clearTimeout(timeout);
    controller.abort();
  }
  return events;
}

/** An open stream that collects every event until it ends or is closed: what arrives, and whether the server ended it. */
export async function openEvents(url: string, token: string, lastEventId?: string) {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) }, signal: controller.signal });
  const events: { id: string; data: Json }[] = [];
  let ended = false;
  if (res.headers.get('content-type')?.includes('text/event-stream')) {
    const reader = res.body!.getReader();
    void (async () => {
      let buffer = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer = takeEvents(buffer + new TextDecoder().decode(value), events);
        }
      } catch {
        // Closed by the test.
      }
      ended = true;
    })();
  }
  return {
    res,
    events,
    get ended() {
      return ended;
    },
    close: () => controller.abort(),
  };
}
