import { DynamicModule, Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { jwtKey, ServiceConfig, ServicePlatformModule } from '@lianban/platform';
import { AgenciesHandlers } from './agencies/agencies.handlers';
import { DirectoryService } from './agencies/directory.service';
import { AUTH_SETTINGS, AuthService } from './auth/auth.service';
import { TEMPORARY_PASSWORD_HOURS } from './auth/temporary-password';
import { InstitutionsService } from './institutions/institutions.service';
import { migrations } from './migrations';

/** The agencies service: regions, agencies, officers, institutions, sign-in. */
@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServicePlatformModule.forService({ config, entities: [], migrations }),
        JwtModule.register({ secret: jwtKey(config), signOptions: { algorithm: 'HS256', issuer: 'lianban', audience: 'lianban-api' } }),
      ],
      providers: [
        {
          provide: AUTH_SETTINGS,
          useValue: { accessTokenTtlSeconds: config.accessTokenTtlSeconds, refreshTokenTtlSeconds: config.refreshTokenTtlSeconds, maxFailures: 5, failureWindowMinutes: 15, temporaryPasswordHours: TEMPORARY_PASSWORD_HOURS },
        },
        AuthService,
        DirectoryService,
        InstitutionsService,
        AgenciesHandlers,
      ],
    };
  }
}
