const TARGET_HELP = `Target (which lead table):
  default             the running local stack (npm start writes .leadpipe/local-stack.json)
  --stack <name>      a deployed CloudFormation stack with the outputs TableName and AppSecretsArn
                      (credentials and region from the usual AWS environment: AWS_PROFILE, AWS_REGION)
  LEADPIPE_TABLE_NAME environment variable: that table on AWS; secrets from APP_SECRETS_ARN`;

export const HELP = {
  main: `Usage: leadpipe <command> [options]

Operator commands for the leadpipe lead table.

Commands:
  lead show <email> [--json]        show one lead (--json: the same JSON as GET /_dev/leads/<email>)
  lead export <email>               GDPR access request: everything stored for a lead, as JSON
  lead erase <email> [--yes]        GDPR erasure: delete everything stored for a lead, suppress the address
  import <file.csv>                 import cold leads (columns email, firstName, lastName, company, jobTitle, phone)
  report funnel [--since <date>]    lead counts per stage and conversion rates [--json] [--rebuild]
  rescore --config <file> [--dry-run]
                                    classify every lead again under new scoring rules
  signal send <webinar_attended|trial_started> <email> [--id <id>] [--url <baseUrl>]
                                    sign and post one signal to POST /events, as another system would
  campaign preview <folder>         recipients per locale and one rendered sample per locale
  campaign send <folder> [--at ISO] schedule a newsletter campaign (now, or at --at); once per id
  campaign status <id> [--json]     a campaign's status and its sent, delivered, opened, clicked … figures
  campaign cancel <id>              stop the rest of a scheduled or sending campaign
  campaign reindex                  once after upgrading: put earlier subscribers into the campaign audience index

Run "leadpipe <command> --help" for the details of a command.

${TARGET_HELP}

Exit status: 0 on success, 1 on any error (the message is printed to stderr).`,

  'lead show': `Usage: leadpipe lead show <email> [--json] [--stack <name>]

Shows one lead: name, company, lifecycle, qualification, funnel stage, PQL, score (fit +
engagement) with its explanation, consent, suppression, interactions with their points, emails.

Options:
  --json   print exactly the lead view JSON that the local GET /_dev/leads/<email> returns

Exits 1 with "No lead with email <email>" if there is no such lead.

${TARGET_HELP}`,

  'lead export': `Usage: leadpipe lead export <email> [--stack <name>]

GDPR access request (Art. 15): prints everything stored for the lead as JSON on stdout: the
profile (all attributes but the storage keys), consent state and evidence, sales decision fields,
nurture state, interactions (with attribution and message), emails sent with their message
lookups, outbox events and dedupe items. Storage keys (pk, sk) are stripped.

Exits 1 with "No lead with email <email>" if nothing is stored for the address.

${TARGET_HELP}`,

  'lead erase': `Usage: leadpipe lead erase <email> [--yes] [--stack <name>]

GDPR erasure (Art. 17): deletes every item stored for the lead (profile, interactions, emails,
outbox events, dedupe items) and the message lookups of its emails, and puts the address on the
suppression list, so later imports of it are rejected. The suppression list stores the lead id,
a keyed (salted) HMAC hash of the address, never the address itself. Prints what it deleted, per kind;
progress goes to stderr.

An address nothing is stored for is put on the suppression list all the same.
Irreversible: there is no undo. It asks before it erases (y/N on the terminal); without a terminal
(a script, a pipe) it refuses unless --yes is given.

Options:
  -y, --yes   erase without asking

${TARGET_HELP}`,

  import: `Usage: leadpipe import <file.csv> [--stack <name>]

Imports leads as COLD leads without marketing consent (no interactions, source "import").

The file: CSV (RFC 4180) with a header row naming the columns email (required), firstName,
lastName, company, jobTitle, phone, in any order; other columns are ignored. German headers work
too: E-Mail, Vorname, Nachname, Firma (or Unternehmen), Position, Telefon. Comma, semicolon or tab separated;
UTF-8 with or without BOM; CRLF or LF line ends; quoted fields may hold commas, quotes ("") and
line breaks.

Each new lead gets its fit score under config/scoring-rules.json (business email, company given),
the same score the functions and "leadpipe rescore" compute.

Rows are checked with the capture forms' rules. Rejected, with row number and reason: an invalid
address, a field too long or with control characters, a duplicate of an earlier row, an address
on the suppression list (erased), a lead that already exists and is warm or further (an import
never overwrites it). An existing cold lead gets the file's name and company (blank cells keep
what is stored). Running the same import again changes nothing: its rows are reported unchanged.

Prints: created N, updated N, unchanged N, rejected N, and the rejected rows. Progress on stderr,
counted in rows of the file ("rows 50/120"), whatever became of them.
Exits 0 when the import ran, even if rows were rejected; 1 if the file is unusable.

${TARGET_HELP}`,

  'report funnel': `Usage: leadpipe report funnel [--since <date>] [--rebuild] [--json] [--stack <name>]

Counts leads per lifecycle (cold, warm, mql, sql), qualification and funnel stage, counts PQLs,
and computes the conversion rates warm → mql (ever reached mql of reached warm), mql → sql and the
qualified share. A lead that sales recycled after it became an MQL stands at warm again, but it
counts as having reached mql ("Ever MQL"). Reads the funnel projection the console reads (kept up
to date by events), not the leads: as cheap at a million leads as at a thousand.

Options:
  --since <date>   also count leads created, MQLs and SQLs per UTC day from this date to today
                   (2024-05-01; at most 366 days)
  --rebuild        first rebuild the projection from the leads with one table scan: once, for an
                   installation that had leads before the projection existed (run it when quiet;
                   running it again writes the same)
  --json           print the report as JSON

${TARGET_HELP}`,

  rescore: `Usage: leadpipe rescore --config <file> [--dry-run] [--stack <name>]

Classifies every lead again under the scoring rules in <file> (the format of
config/scoring-rules.json). A bad file exits 1 naming the field.

Options:
  --config <file>  the scoring rules (JSON)
  --dry-run        print how many leads would change stage (lifecycle, qualification, funnel
                   stage), and which (email, from → to); write nothing

Without --dry-run the new classification is written, with its stage-change and qualification
events (a lead that becomes an MQL notifies sales). Note: the functions keep scoring new
interactions with config/scoring-rules.json; deploy the new rules to make them stick.

${TARGET_HELP}`,

  'signal send': `Usage: leadpipe signal send <webinar_attended|trial_started> <email> [--id <id>] [--url <baseUrl>]

Signs one product/webinar signal with the ingest secret and posts it to POST /events, exactly as
another system would (header x-leadpipe-signature, signed with the stack's clock, so the local stack's
virtual clock moved by /_dev/tick is honoured). Prints the stack's answer: 202 recorded, duplicate or
ignored; a 4xx exits 1.

Options:
  --id <id>        the sender's id of the webinar or trial (default: a fresh one, printed); the same
                   type and id for the same lead are recorded once
  --url <baseUrl>  the stack to post to (default: the running local stack, from
                   .leadpipe/local-stack.json, which npm start writes)

The secret: LEADPIPE_INGEST_SECRET if set, else the local stack's own (or its development default).`,

  'campaign preview': `Usage: leadpipe campaign preview <folder> [--stack <name>]

Validates the campaign folder (campaign.json, and per locale de/en subject.txt, preheader.txt, body.html,
body.txt; a bad file or field is named), counts the recipients per locale from the subscribers index
(marketing consent confirmed, not suppressed, narrowed by the folder's audience), and renders one sample
per locale with sample values: subject, preheader and text are printed, the HTML is written to a
temporary folder whose path is printed. Sends nothing.

${TARGET_HELP}`,

  'campaign send': `Usage: leadpipe campaign send <folder> [--at <ISO date-time>] [--stack <name>]

Stores the campaign as scheduled and starts the sending engine at --at (default: the folder's sendAt, else
now). Every recipient is mailed at most once: sending the same folder again stores nothing and mails nobody.
A folder with changed copy under an id already used is refused: give it a new id.

Options:
  --at <ISO>   when to start, with a zone, e.g. 2027-01-14T09:00:00+01:00

${TARGET_HELP}`,

  'campaign status': `Usage: leadpipe campaign status <id> [--json] [--stack <name>]

Prints the campaign's status (scheduled, sending, finished, cancelled), its times and its figures: sent,
delivered, opened, clicked, bounced, complained, unsubscribed (each once per mail).

Options:
  --json   the campaign without its copy, as JSON

${TARGET_HELP}`,

  'campaign cancel': `Usage: leadpipe campaign cancel <id> [--stack <name>]

Stops the rest of a scheduled or sending campaign: nobody who has not been mailed yet gets it. Mails
already accepted by SES stay sent.

${TARGET_HELP}`,

  'campaign reindex': `Usage: leadpipe campaign reindex [--stack <name>]

Puts every lead that may get marketing mail (consent confirmed and not withdrawn, not suppressed) into
the subscribers index the campaign audience is read from, and takes every other lead out. Needed once
after upgrading an installation whose subscribers confirmed before the index existed; from then on the
consent, unsubscribe and suppression writes keep it right. Reads every profile (a Scan); running it
again changes nothing.

${TARGET_HELP}`,
} as const;

export type HelpTopic = keyof typeof HELP;
