import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { documentClient } from './dynamodb-client';
import type { MessageLookupItem } from '../email/message-lookup';
import type { SentEmail, SentEmailStore } from '../email/sent-email-store';
import { keys } from './table-design';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The timeline item and the message-id lookup of one sent message, as items of one transaction. */
export function sentEmailWrites(tableName: string, sent: SentEmail): TransactItem[] {
  const lookup: MessageLookupItem = {
    leadId: sent.leadId,
    templateId: sent.templateId,
    sentAt: sent.sentAt,
    category: sent.category,
    configurationSet: sent.configurationSet,
    tags: sent.tags,
  };
  return [
    {
      Put: {
        TableName: tableName,
        Item: {
          ...keys.email(sent.leadId, sent.sentAt, sent.messageId),
          messageId: sent.messageId,
          templateId: sent.templateId,
          category: sent.category,
          sentAt: sent.sentAt,
          ...(sent.step ? { step: sent.step } : {}),
        },
      },
    },
    { Put: { TableName: tableName, Item: { ...keys.messageLookup(sent.messageId), ...lookup } } },
  ];
}

/** Records sent mail in the lead table; `alsoWrite` adds the caller's own items to the same transaction. */
export function dynamoSentEmailStore(tableName: string, alsoWrite: (sent: SentEmail) => TransactItem[] = () => []): SentEmailStore {
  return {
    async recordSentEmail(sent) {
      await documentClient.send(new TransactWriteCommand({ TransactItems: [...sentEmailWrites(tableName, sent), ...alsoWrite(sent)] }));
    },
  };
}
