import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import {
  ConfigurationSet,
  DkimIdentity,
  EasyDkimSigningKeyLength,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { SES_CONFIGURATION_SETS } from '../../shared/email/configuration-sets';
import { senderMailbox } from '../deploy-config';
import type { EmailSendingRef } from './bind';

export interface EmailSendingProps {
  senderAddress: string;
  senderDomain: string;
  /** the account's default bus: SES can publish sending events to no other */
  defaultBus: IEventBus;
}

/**
 * The sending events SES publishes (SUBSCRIPTION is left out: leadpipe does not use SES list management);
 * BUS_FORWARDS brings them from the default bus to the app bus.
 */
export const SES_PUBLISHED_EVENTS = [
  EmailSendingEvent.SEND,
  EmailSendingEvent.DELIVERY,
  EmailSendingEvent.BOUNCE,
  EmailSendingEvent.COMPLAINT,
  EmailSendingEvent.OPEN,
  EmailSendingEvent.CLICK,
  EmailSendingEvent.REJECT,
  EmailSendingEvent.RENDERING_FAILURE,
  EmailSendingEvent.DELIVERY_DELAY,
] as const;

/**
 * The mail setup: the sender domain with Easy DKIM and two configuration sets, named in
 * shared/email/configuration-sets.ts.
 * - lead mail (opt-in, download link, nurture): tracks reputation, suppresses bounced/complaining
 *   addresses and publishes every sending event, opens and clicks included, to the default bus,
 *   where the SES forward rule picks up exactly this set's events.
 * - sales mail (the notification about a lead): no event destination, so SES adds no open or click
 *   tracking and publishes nothing; a salesperson reading the mail is not credited to the lead.
 */
export class EmailSending extends Construct {
  readonly identity: EmailIdentity;
  readonly configurationSet: ConfigurationSet;
  readonly salesConfigurationSet: ConfigurationSet;
  readonly ref: EmailSendingRef;

  constructor(scope: Construct, id: string, props: EmailSendingProps) {
    super(scope, id);
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: SES_CONFIGURATION_SETS.leadMail,
      reputationMetrics: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.configurationSet.addEventDestination('ToDefaultBus', {
      destination: EventDestination.eventBus(props.defaultBus),
      events: [...SES_PUBLISHED_EVENTS],
    });
    this.salesConfigurationSet = new ConfigurationSet(this, 'SalesConfigurationSet', {
      configurationSetName: SES_CONFIGURATION_SETS.salesMail,
      reputationMetrics: true,
    });

    this.identity = new EmailIdentity(this, 'DomainIdentity', {
      identity: Identity.domain(props.senderDomain),
      dkimSigning: true,
      dkimIdentity: DkimIdentity.easyDkim(EasyDkimSigningKeyLength.RSA_2048_BIT),
      // mail sent without an explicit configuration set still gets tracking and suppression
      configurationSet: this.configurationSet,
    });
    // Easy DKIM only signs once these CNAMEs exist in the domain's DNS.
    this.identity.dkimRecords.forEach((record, index) => {
      new CfnOutput(this, `DkimRecord${index + 1}`, {
        description: `DKIM CNAME ${index + 1} for ${props.senderDomain}`,
        value: `${record.name} CNAME ${record.value}`,
      });
    });

    const stack = Stack.of(this);
    const arnOf = (set: ConfigurationSet) =>
      stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: set.configurationSetName });
    this.ref = {
      senderAddress: props.senderAddress,
      senderMailbox: senderMailbox(props.senderAddress),
      identityArn: this.identity.emailIdentityArn,
      configurationSetName: this.configurationSet.configurationSetName,
      configurationSetArn: arnOf(this.configurationSet),
      salesConfigurationSetName: this.salesConfigurationSet.configurationSetName,
      salesConfigurationSetArn: arnOf(this.salesConfigurationSet),
    };
  }
}
