/** Readiness of one component, as @nestjs/terminus reports it. */
export interface ComponentHealth {
  status: 'up' | 'down';
  [detail: string]: unknown;
}

/** What every service answers on its health subject and at GET /health/ready. */
export interface HealthReport {
  status: 'ok' | 'error' | 'shutting_down';
  info?: Record<string, ComponentHealth>;
  error?: Record<string, ComponentHealth>;
  details: Record<string, ComponentHealth>;
}
