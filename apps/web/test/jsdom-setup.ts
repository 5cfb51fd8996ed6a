/** What antd needs from a browser that jsdom does not have. */
export function installBrowserShims(): void {
  const g = globalThis as unknown as Record<string, unknown>;
  // jsdom leaves out MessageChannel, which React and antd schedule work with. Node's own would keep
  // Jest from exiting (its ports hold the event loop), so: a channel on timers.
  if (!g.MessageChannel) {
    g.MessageChannel = class {
      port1: Port;
      port2: Port;
      constructor() {
        this.port1 = new Port();
        this.port2 = new Port();
        this.port1.other = this.port2;
        this.port2.other = this.port1;
      }
    };
  }
  if (!window.matchMedia) {
    window.matchMedia = (query: string) =>
      ({ matches: false, media: query, onchange: null, addListener: () => undefined, removeListener: () => undefined, addEventListener: () => undefined, removeEventListener: () => undefined, dispatchEvent: () => false }) as MediaQueryList;
  }
  if (!('ResizeObserver' in window)) {
    (window as unknown as { ResizeObserver: unknown }).ResizeObserver = class {
      observe() {}
      unobserve() {}
      disconnect() {}
    };
  }
}

class Port {
  other?: Port;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  postMessage(data: unknown): void {
    setTimeout(() => this.other?.onmessage?.({ data }), 0);
  }
  start(): void {}
  close(): void {
    this.onmessage = null;
  }
  addEventListener(_type: string, fn: (e: { data: unknown }) => void): void {
    this.onmessage = fn;
  }
  removeEventListener(): void {
    this.onmessage = null;
  }
}
