import type { LeadView } from '../../shared/lead-view/lead-view';

/** `lead show` without --json: the lead view as a readable summary for a terminal. Pure. */
export function formatLeadView(view: LeadView): string {
  const lines: string[] = [];
  const name = [view.firstName, view.lastName].filter(Boolean).join(' ');
  lines.push(name ? `${name} <${view.email}>` : view.email);
  const field = (label: string, value: string) => lines.push(`  ${`${label}:`.padEnd(16)}${value}`);
  field('Company', view.company ?? '-');
  if (view.jobTitle) field('Job title', view.jobTitle);
  if (view.phone) field('Phone', view.phone);
  field('Locale', view.locale);
  field('Lead id', view.leadId);
  field('Created', view.createdAt);
  field('Lifecycle', view.lifecycle);
  field('Qualification', view.qualification);
  field('Funnel stage', view.funnelStage ?? '-');
  field('PQL', view.pql ? 'yes' : 'no');
  field('Score', `${view.score} = fit ${view.fitScore} + engagement ${view.engagementScore}`);
  for (const line of view.scoreExplanation) {
    lines.push(`    ${signed(line.points).padStart(5)}  ${line.reason}  (${line.at})`);
  }
  const consentTimes = [
    view.consent.confirmedAt ? `confirmed ${view.consent.confirmedAt}` : undefined,
    view.consent.withdrawnAt ? `withdrawn ${view.consent.withdrawnAt}` : undefined,
  ].filter(Boolean);
  field('Consent', `${view.consent.marketing}${consentTimes.length ? ` (${consentTimes.join(', ')})` : ''}`);
  field('Suppressed', view.suppressed ?? 'no');

  lines.push('', `  Interactions (${view.interactions.length}):`);
  if (view.interactions.length === 0) lines.push('    none');
  for (const interaction of view.interactions) {
    const detail = [
      interaction.assetId,
      interaction.funnelStage ? `(${interaction.funnelStage})` : undefined,
      interaction.externalId,
      interaction.messageId ? `message ${interaction.messageId}` : undefined,
    ]
      .filter(Boolean)
      .join(' ');
    lines.push(`    ${interaction.at}  ${interaction.type.padEnd(18)} ${signed(interaction.points).padStart(5)} pts  ${detail}`.trimEnd());
  }

  lines.push('', `  Emails (${view.emails.length}):`);
  if (view.emails.length === 0) lines.push('    none');
  for (const email of view.emails) {
    lines.push(`    ${email.sentAt}  ${email.templateId} (${email.category})  ${email.messageId}`);
  }
  return `${lines.join('\n')}\n`;
}

function signed(points: number): string {
  return points > 0 ? `+${points}` : String(points);
}
