import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../local/dynamodb-local';
import { localSesAccount } from '../../local/local-environment';
import { startSesEmulator } from '../../local/ses-emulator';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoDbEndpoint: string;
    sesEndpoint: string;
  }
}

/** Starts the real emulators once, on free ports, and stops them (no Java process left behind). */
export default async function setup(project: TestProject) {
  // The shared emulator answers GetAccount from this process's environment, as the local stack's own does: the campaign
  // sender paces itself by its MaxSendRate (without it the sender falls back to one mail a second).
  process.env.AWS_SES_ACCOUNT ??= localSesAccount(100);
  const [dynamo, ses] = await Promise.all([startDynamoDbLocal(), startSesEmulator()]);
  project.provide('dynamoDbEndpoint', dynamo.endpoint);
  project.provide('sesEndpoint', ses.endpoint);
  return async () => {
    await Promise.all([dynamo.stop(), ses.stop()]);
  };
}
