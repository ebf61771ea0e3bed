import { CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  Mfa,
  OAuthScope,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  type UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { CONSOLE_GROUPS, CONSOLE_OAUTH_SCOPES } from '../../shared/console/console-config';
import { acknowledge } from '../nag';

export interface ConsoleAuthProps {
  /** the hosted sign-in page's domain prefix (deploy config console.cognitoDomainPrefix) */
  domainPrefix: string;
  /** the console's own URL with a trailing slash (https://<distribution>/): where the hosted UI returns to */
  consoleUrl: string;
}

/** The hosted UI of a Cognito domain prefix: known before the pool exists, so the console's CSP can name it. */
export function cognitoHostedUiUrl(domainPrefix: string, region: string): string {
  return `https://${domainPrefix}.auth.${region}.amazoncognito.com`;
}

const OAUTH_SCOPES: Record<(typeof CONSOLE_OAUTH_SCOPES)[number], OAuthScope> = {
  openid: OAuthScope.OPENID,
  email: OAuthScope.EMAIL,
  profile: OAuthScope.PROFILE,
};

/**
 * Who may use the marketing console: a Cognito user pool whose users an admin creates (no self sign-up), in the
 * groups marketing, sales and admin; the hosted UI with the authorization-code grant and PKCE for a public client;
 * and the HttpApi JWT authorizer that checks the resulting ID tokens on every `auth: 'console'` route.
 */
export class ConsoleAuth extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly domain: UserPoolDomain;
  readonly authorizer: HttpJwtAuthorizer;
  /** https://<prefix>.auth.<region>.amazoncognito.com, no trailing slash: what the console's config.json names */
  readonly hostedUiUrl: string;

  constructor(scope: Construct, id: string, props: ConsoleAuthProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'UserPool', {
      userPoolName: `${Stack.of(this).stackName}-console`,
      // Only an admin creates accounts (README: admin-create-user); Cognito mails the temporary password.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // The console shows personal data of leads: every sign-in needs a second factor. TOTP (an authenticator app),
      // which the hosted UI sets up at the first sign-in; SMS would need an SNS role and costs per message.
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Console accounts hold no lead data and an admin re-creates them in a minute; a retained pool would only be
      // orphaned when the stateless stack is re-created (the lead data lives in the data stack).
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledge(
      this.userPool,
      'AwsSolutions-COG8',
      'The Plus feature plan (threat protection, compromised-credential checks) is billed per monthly active user; this pool ' +
        'holds a handful of staff accounts that only an admin creates, each with a strong password and required TOTP MFA.',
    );

    for (const group of CONSOLE_GROUPS) {
      // The handlers read these names from the cognito:groups claim (shared/console/console-access.ts).
      new CfnUserPoolGroup(this, `${group[0]!.toUpperCase()}${group.slice(1)}Group`, {
        userPoolId: this.userPool.userPoolId,
        groupName: group,
        description: `leadpipe console: ${group}`,
      });
    }

    this.domain = this.userPool.addDomain('HostedUi', { cognitoDomain: { domainPrefix: props.domainPrefix } });
    this.hostedUiUrl = cognitoHostedUiUrl(props.domainPrefix, Stack.of(this).region);

    this.client = this.userPool.addClient('ConsoleClient', {
      userPoolClientName: 'leadpipe-console',
      // A browser app cannot keep a secret: a public client, whose authorization codes PKCE binds to the tab that asked.
      generateSecret: false,
      // No plain-password API flows: SRP (the password never leaves the browser) and refresh only; MFA applies to both.
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: CONSOLE_OAUTH_SCOPES.map((scope) => OAUTH_SCOPES[scope]),
        callbackUrls: [props.consoleUrl],
        logoutUrls: [props.consoleUrl],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
    });

    // The console sends the ID token: its aud is this client's id. The issuer is the pool's,
    // https://cognito-idp.<region>.amazonaws.com/<poolId>, whose /.well-known/jwks.json API Gateway reads.
    this.authorizer = new HttpJwtAuthorizer('ConsoleAuthorizer', this.userPool.userPoolProviderUrl, {
      authorizerName: 'console-cognito',
      jwtAudience: [this.client.userPoolClientId],
    });

    new CfnOutput(this, 'UserPoolId', {
      value: this.userPool.userPoolId,
      description: 'console user pool (aws cognito-idp admin-create-user --user-pool-id ...)',
    });
    new CfnOutput(this, 'HostedUiUrl', { value: this.hostedUiUrl, description: 'the console sign-in page (Cognito hosted UI)' });
  }
}
