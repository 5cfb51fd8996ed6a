import { Controller, DynamicModule, Get, Injectable, Module, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TerminusModule, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { HealthReport, healthSubject, ServiceName } from '@lianban/contracts';
import { NatsBus, RpcHandler } from '@lianban/messaging';

/** NATS readiness: the connection is open and not in the middle of a reconnect. */
@Injectable()
export class NatsHealthIndicator {
  constructor(
    private readonly bus: NatsBus,
    private readonly indicators: HealthIndicatorService,
  ) {}

  check(key = 'nats') {
    const session = this.indicators.check(key);
    return this.bus.isConnected() ? session.up({ server: this.bus.nc.getServer() }) : session.down({ message: 'not connected to NATS' });
  }
}

/** Runs terminus checks and returns the report whether it is healthy or not. */
export async function runChecks(health: HealthCheckService, checks: Parameters<HealthCheckService['check']>[0]): Promise<HealthReport> {
  try {
    return (await health.check(checks)) as HealthReport;
  } catch (e) {
    if (e instanceof ServiceUnavailableException) return e.getResponse() as HealthReport;
    throw e;
  }
}

@Injectable()
export class ServiceHealth {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly nats: NatsHealthIndicator,
  ) {}

  readiness(): Promise<HealthReport> {
    return runChecks(this.health, [() => this.db.pingCheck('database', { timeout: 1500 }), () => this.nats.check()]);
  }
}

/** Liveness and readiness over HTTP (for orchestrators) and over NATS (for the gateway). */
@Controller('health')
export class ServiceHealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly service: ServiceHealth,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  async ready(): Promise<HealthReport> {
    const report = await this.service.readiness();
    if (report.status !== 'ok') throw new ServiceUnavailableException(report);
    return report;
  }
}

export function healthResponder(service: ServiceName) {
  @Injectable()
  class HealthResponder {
    constructor(private readonly health: ServiceHealth) {}

    @RpcHandler(healthSubject(service))
    check(): Promise<HealthReport> {
      return this.health.readiness();
    }
  }
  return HealthResponder;
}

@Module({})
export class ServiceHealthModule {
  static forService(service: ServiceName): DynamicModule {
    return {
      module: ServiceHealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [ServiceHealthController],
      providers: [NatsHealthIndicator, ServiceHealth, healthResponder(service)],
    };
  }
}
