/**
 * Signs and sends one product/webinar signal to POST /events, the way another system would:
 *   npx tsx scripts/send-signal.ts jane@acme.example webinar_attended webinar-2026-11 [http://localhost:3000]
 * The secret comes from LEADPIPE_INGEST_SECRET (the local stack's development default otherwise).
 */
import { signWebhook, WEBHOOK_SIGNATURE_HEADER } from '../shared/security/webhook-signature';
import { DEV_INGEST_SECRET } from '../local/local-environment';

const [email, type, id, baseUrl = `http://localhost:${process.env.PORT ?? 3000}`] = process.argv.slice(2);
if (!email || !type || !id) {
  console.error('usage: npx tsx scripts/send-signal.ts <email> <webinar_attended|trial_started> <id> [base-url]');
  process.exit(2);
}
const body = JSON.stringify({ email, type, id });
// The local stack runs on a virtual clock that /_dev/tick moves; sign with its time so the signature is fresh there.
const clock = await fetch(`${baseUrl}/_dev/clock`)
  .then((r) => (r.ok ? (r.json() as Promise<{ now: string }>) : undefined))
  .catch(() => undefined);
const nowMs = clock ? Date.parse(clock.now) : Date.now();
const signature = signWebhook(body, process.env.LEADPIPE_INGEST_SECRET ?? DEV_INGEST_SECRET, Math.floor(nowMs / 1000));
const response = await fetch(`${baseUrl}/events`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', [WEBHOOK_SIGNATURE_HEADER]: signature },
  body,
});
console.log(response.status, await response.text());
process.exit(response.ok ? 0 : 1);
