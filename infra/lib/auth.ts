// Cognito: who may call the API. Tokens carry `cognito:groups` (one group per role) and, for
// the ID token, `custom:clinicId` / `custom:clientId` — the claims shared/auth/principal.ts reads
// (docs/security.md, "Tokens").
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES } from '#domain/types.ts';

export interface AuthProps {
  stage: string;
}

export class Auth extends Construct {
  readonly userPool: UserPool;
  /** The public client of the client, front desk and finance apps (no secret: it ships in apps). */
  readonly appClient: UserPoolClient;

  constructor(scope: Construct, id: string, props: AuthProps) {
    super(scope, id);

    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: `kapstone-${props.stage}`,
      // Clients register themselves; staff accounts are created by an admin.
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      // A changed email is used for sign-in only once verified.
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      customAttributes: {
        clinicId: new StringAttribute({ mutable: true, minLen: 1, maxLen: 64 }),
        clientId: new StringAttribute({ mutable: true, minLen: 1, maxLen: 64 }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        passwordHistorySize: 5,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false, email: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Plus: compromised-credential and risk-based sign-in protection, enforced. The records
      // behind these accounts are health data, which is worth the per-user price.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    for (const role of ROLES) {
      this.userPool.addGroup(`Group-${role}`, { groupName: role, description: `Kapstone role '${role}'` });
    }

    this.appClient = this.userPool.addClient('AppClient', {
      userPoolClientName: `kapstone-${props.stage}-apps`,
      generateSecret: false,
      authFlows: { userSrp: true, userPassword: true },
      // The apps sign in through the Cognito API (SRP); there is no hosted UI or OAuth redirect.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true })
        .withCustomAttributes('clinicId', 'clientId'),
      // clinicId and clientId decide which records a user may touch, so a user must never set
      // them: only the back office does (AdminUpdateUserAttributes: an admin for clinicId, the
      // scheduling function for clientId at sign-up), hence not writable here.
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true }),
    });

    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional (TOTP), not required: clients self-register to book and a mandatory ' +
        'authenticator app at sign-up is a product decision not yet taken. Plus-tier threat ' +
        'protection is enforced meanwhile; staff-only MFA needs an auth trigger (follow-up).',
    });
  }
}
