import type { IncomingMessage, ServerResponse } from 'node:http';

/** The pieces both local AWS emulators (the event bus, the queues) need to speak AWS's JSON protocols over HTTP. */

export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** A JSON answer in the content type of the service's protocol: EventBridge speaks AWS JSON 1.1, SQS 1.0. */
export function sendAwsJson(response: ServerResponse, status: number, body: unknown, protocol: '1.0' | '1.1'): void {
  response.writeHead(status, { 'content-type': `application/x-amz-json-${protocol}` });
  response.end(JSON.stringify(body));
}
