export type DependencyState = 'up' | 'down';

export interface HealthResponse {
  status: 'ok' | 'degraded';
  db: DependencyState;
  redis: DependencyState;
}
