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
import { senderMailbox } from '../deploy-config';
import type { EmailSendingRef } from './bind';

export interface EmailSendingProps {
  senderAddress: string;
  senderDomain: string;
  /** the account's default bus: SES can publish sending events to no other */
  defaultBus: IEventBus;
}

/** The sending events SES publishes (SUBSCRIPTION is left out: leadpipe does not use SES list management); BUS_FORWARDS brings them from the default bus to the app bus. */
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
 * The nurture concern's mail setup: the sender domain with Easy DKIM and a configuration set that
 * tracks reputation, suppresses bounced/complaining addresses and publishes every sending event
 * to the default event bus, where the SES forward rule picks them up.
 */
export class EmailSending extends Construct {
  readonly identity: EmailIdentity;
  readonly configurationSet: ConfigurationSet;
  readonly ref: EmailSendingRef;

  constructor(scope: Construct, id: string, props: EmailSendingProps) {
    super(scope, id);
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.configurationSet.addEventDestination('ToDefaultBus', {
      destination: EventDestination.eventBus(props.defaultBus),
      events: [...SES_PUBLISHED_EVENTS],
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
      new CfnOutput(this, `DkimRecord${index + 1}`, { description: `DKIM CNAME ${index + 1} for ${props.senderDomain}`, value: `${record.name} CNAME ${record.value}` });
    });

    const stack = Stack.of(this);
    this.ref = {
      senderAddress: props.senderAddress,
      senderMailbox: senderMailbox(props.senderAddress),
      identityArn: this.identity.emailIdentityArn,
      configurationSetName: this.configurationSet.configurationSetName,
      configurationSetArn: stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: this.configurationSet.configurationSetName }),
    };
  }
}
