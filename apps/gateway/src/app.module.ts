import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TerminusModule } from '@nestjs/terminus';
import { MessagingModule } from '@lianban/messaging';
import { BLOB_STORE, evidenceStoreFor, jwtKey, loggingModule, NatsHealthIndicator, ServiceConfig } from '@lianban/platform';
import { AuthController } from './auth/auth.controller';
import { AuthGuard } from './auth/auth.guard';
import { DirectoryController } from './directory/directory.controller';
import { CluesController } from './clues/clues.controller';
import { TransfersController } from './transfers/transfers.controller';
import { InboxController } from './inbox/inbox.controller';
import { InvoicesController } from './invoices/invoices.controller';
import { InstitutionsController } from './institutions/institutions.controller';
import { HealthController, ServiceReadinessIndicator } from './health/health.controller';
import { CampaignsController } from './campaigns/campaigns.controller';
import { CasesController } from './cases/cases.controller';
import { EvidenceController } from './cases/evidence.controller';
import { SupervisionsController } from './cases/supervisions.controller';
import { ReportsController } from './cases/reports.controller';
import { AuditController } from './audit/audit.controller';

/** The gateway: authenticates, validates the shape, forwards to services over NATS, maps errors. No business rules. */
@Module({})
export class GatewayModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: GatewayModule,
      imports: [
        loggingModule(config),
        MessagingModule.forRoot({ servers: config.natsUrl, credentials: config.natsCredentials, serviceName: 'gateway', subjectPrefix: config.subjectPrefix, signingKey: config.internalSigningKey }),
        TerminusModule.forRoot({ logger: false }),
        JwtModule.register({ secret: jwtKey(config), verifyOptions: { algorithms: ['HS256'], issuer: 'lianban', audience: 'lianban-api' } }),
      ],
      controllers: [HealthController, AuthController, DirectoryController, InstitutionsController, CluesController, TransfersController, InboxController, InvoicesController, CasesController, EvidenceController, SupervisionsController, ReportsController, CampaignsController, AuditController],
      providers: [NatsHealthIndicator, ServiceReadinessIndicator, { provide: APP_GUARD, useClass: AuthGuard }, { provide: BLOB_STORE, useValue: evidenceStoreFor(config) }],
    };
  }
}
