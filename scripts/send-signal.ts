/**
 * Signs and sends one product/webinar signal to POST /events, the way another system would:
 *   npx tsx scripts/send-signal.ts jane@acme.example webinar_attended webinar-2026-11 [http://localhost:3000]
 * The secret comes from LEADPIPE_INGEST_SECRET (the local stack's development default otherwise); the base
 * URL defaults to http://localhost:$PORT (3000). `npx leadpipe signal send` does the same and finds the stack itself.
 */
import { isSignalType, sendSignal } from '../cli/signals/send-signal';
import { DEV_INGEST_SECRET } from '../local/local-environment';

const [email, type, id, baseUrl = `http://localhost:${process.env.PORT ?? 3000}`] = process.argv.slice(2);
if (!email || !type || !id || !isSignalType(type)) {
  console.error('usage: npx tsx scripts/send-signal.ts <email> <webinar_attended|trial_started> <id> [base-url]');
  process.exit(2);
}
const result = await sendSignal({ baseUrl, secret: process.env.LEADPIPE_INGEST_SECRET ?? DEV_INGEST_SECRET, type, email, id });
console.log(result.status, result.body);
process.exit(result.ok ? 0 : 1);
