import { useEffect } from 'react';
import type { NotificationView } from '../api/types';

/** Notifications as they arrive on the live stream, for any page that wants to refresh on them. */
const listeners = new Set<(n: NotificationView) => void>();

export function publish(n: NotificationView): void {
  for (const l of listeners) l(n);
}

export function useLive(onNotification: (n: NotificationView) => void): void {
  useEffect(() => {
    listeners.add(onNotification);
    return () => {
      listeners.delete(onNotification);
    };
  }, [onNotification]);
}
