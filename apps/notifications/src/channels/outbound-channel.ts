import { EntityManager } from 'typeorm';

/**
 * An outbound channel (email, signed webhook, …): it queues deliveries in the transaction that
 * creates a notification, and later sends whatever is due, retrying with backoff.
 */
export interface OutboundChannel {
  readonly name: string;
  /** `officerId`: the item is addressed to that officer of the agency only (null: the whole agency). */
  enqueue(m: EntityManager, n: { id: number; agencyId: string; officerId: string | null; kind: string; priority: 'normal' | 'high'; title: string; body: string; link: string }): Promise<void>;
  /** Sends what is due now; returns how many deliveries were attempted. */
  dispatch(): Promise<number>;
}

export const OUTBOUND_CHANNELS = Symbol('OUTBOUND_CHANNELS');
export const CHANNEL_SETTINGS = Symbol('CHANNEL_SETTINGS');

export interface ChannelSettings {
  tickMs: number;
  /** First retry after this, doubling each time. */
  backoffMs: number;
  maxAttempts: number;
  timeoutMs: number;
}

/** After a failed attempt: how long until the next one (doubling from backoffMs), or whether to give up. */
export function nextAttempt(settings: ChannelSettings, attempt: number): { delaySeconds: number; giveUp: boolean } {
  return { delaySeconds: (settings.backoffMs * 2 ** (attempt - 1)) / 1000, giveUp: attempt >= settings.maxAttempts };
}
