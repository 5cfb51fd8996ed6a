import { Controller, Get, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { ErrorCode, HealthReport, healthSubject, SERVICE_NAMES, ServiceName, systemActor } from '@lianban/contracts';
import { newCorrelationId, RpcClient } from '@lianban/messaging';
import { NatsHealthIndicator, runChecks } from '@lianban/platform';
import { Public } from '../auth/auth.guard';

/** A 503 in the API's problem shape that still carries terminus' per-component report. */
function notReady(report: HealthReport, detail: string): ServiceUnavailableException {
  const { status: _status, ...components } = report;
  return new ServiceUnavailableException({ ...components, code: ErrorCode.SERVICE_UNAVAILABLE, detail });
}

/** Asks one service over NATS for its own readiness report. */
@Injectable()
export class ServiceReadinessIndicator {
  constructor(
    private readonly rpc: RpcClient,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(service: ServiceName) {
    const session = this.indicators.check(service);
    try {
      const report = await this.rpc.request<HealthReport>(healthSubject(service), {}, { actor: systemActor('gateway'), correlationId: newCorrelationId() }, 2000);
      return report.status === 'ok' ? session.up({ components: report.details }) : session.down({ components: report.details });
    } catch (e) {
      return session.down({ message: (e as Error).message });
    }
  }
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly nats: NatsHealthIndicator,
    private readonly services: ServiceReadinessIndicator,
  ) {}

  @Get()
  @ApiOkResponse({ description: 'The gateway and every service are ready.' })
  @ApiServiceUnavailableResponse({ description: 'At least one service is not ready; `error` names it.' })
  async platform(): Promise<HealthReport> {
    const report = await runChecks(this.health, [() => this.nats.check('gateway'), ...SERVICE_NAMES.map((s) => () => this.services.check(s))]);
    if (report.status !== 'ok') throw notReady(report, 'Not every service is ready: see `error`.');
    return report;
  }

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  async ready(): Promise<HealthReport> {
    const report = await runChecks(this.health, [() => this.nats.check()]);
    if (report.status !== 'ok') throw notReady(report, 'The gateway is not connected to NATS.');
    return report;
  }
}
