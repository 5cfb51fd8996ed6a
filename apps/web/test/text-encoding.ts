import { TextDecoder, TextEncoder } from 'node:util';

// jsdom has no TextEncoder, which react-router needs when it loads: imported before it.
Object.assign(globalThis, { TextEncoder, TextDecoder });
