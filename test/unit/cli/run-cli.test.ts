import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliIo } from '../../../cli/run-cli';
import { defaultScoringConfig } from '../../../shared/domain/classification';

/** runCli with collected output; no target exists, so anything reaching the table fails. */
async function run(argv: string[], extra: Partial<CliIo> = {}) {
  let out = '';
  let err = '';
  const code = await runCli(argv, {
    out: { write: (text: string) => (out += text) },
    err: { write: (text: string) => (err += text) },
    env: { LEADPIPE_TABLE_NAME: '' },
    readStackOutputs: async () => ({}),
    ...extra,
  });
  return { code, out, err };
}

describe('leadpipe argument handling', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'leadpipe-cli-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    [['--help'], 'Usage: leadpipe <command>'],
    [['help'], 'Usage: leadpipe <command>'],
    [['lead', 'show', '--help'], 'Usage: leadpipe lead show <email> [--json]'],
    [['lead', 'export', '-h'], 'GDPR access request'],
    [['lead', 'erase', '--help'], 'keyed (salted) HMAC hash'],
    [['import', '--help'], 'Usage: leadpipe import <file.csv>'],
    [['report', 'funnel', '--help'], '--since <date>'],
    [['rescore', '--help'], '--dry-run'],
    [['help', 'rescore'], 'Usage: leadpipe rescore'],
  ])('prints help for %j and exits 0', async (argv, expected) => {
    // Act
    const result = await run(argv);

    // Assess
    expect(result.code).toBe(0);
    expect(result.out).toContain(expected);
    expect(result.err).toBe('');
  });

  it.each([
    [[], 'Usage: leadpipe <command>'],
    [['frobnicate'], 'leadpipe: Unknown command "frobnicate"'],
    [['lead', 'delete', 'a@b.example'], 'leadpipe: Unknown command "lead delete"'],
    [['lead', 'show'], 'leadpipe: Missing <email>: leadpipe lead show <email>'],
    [['lead', 'show', 'a@b.example', 'extra'], 'leadpipe: Unexpected argument "extra"'],
    [['lead', 'show', 'a@b.example', '--dry-run'], 'leadpipe: leadpipe lead show has no option --dry-run'],
    [['lead', 'show', 'a@b.example', '--bogus'], 'leadpipe: Unknown option --bogus; run "leadpipe lead show --help" for the options'],
    [['report', 'funnel', '--weekly'], 'leadpipe: Unknown option --weekly; run "leadpipe report funnel --help" for the options'],
    [['--verbose'], 'leadpipe: Unknown option --verbose; run "leadpipe --help" for the options'],
    [['report', 'funnel', '--since'], 'leadpipe: --since needs a value; run "leadpipe report funnel --help"'],
    [['lead', 'show', 'a@b.example', '--json=yes'], 'leadpipe: --json takes no value; run "leadpipe lead show --help"'],
    [['rescore'], 'leadpipe: Missing --config <file>'],
    [['rescore', '--config', '/nonexistent/rules.json'], 'leadpipe: No such file: /nonexistent/rules.json'],
    [['report', 'funnel', '--since', 'tomorrow'], 'leadpipe: --since must be a date'],
    [['import', '/nonexistent/leads.csv'], 'leadpipe: No such file: /nonexistent/leads.csv'],
    [['lead', 'show', 'a@b.example', '--stack', 'Missing'], 'leadpipe: Stack Missing has no output TableName or AppSecretsArn'],
  ])('exits 1 with a clear message for %j', async (argv, expected) => {
    // Act
    const result = await run(argv);

    // Assess
    expect(result.code).toBe(1);
    expect(result.err).toContain(expected);
    expect(result.out).toBe('');
  });

  it("answers an unknown option with one line, not node's advice about positional arguments", async () => {
    // Act
    const result = await run(['lead', 'show', 'a@b.example', '--bogus']);

    // Assess
    expect(result.err.trim().split('\n')).toHaveLength(1);
    expect(result.err).not.toContain('positional');
  });

  it.each([
    [['report'], ['  leadpipe report funnel [--since <date>] [--rebuild] [--json] [--stack <name>]']],
    [['lead'], ['  leadpipe lead show <email>', '  leadpipe lead export <email>', '  leadpipe lead erase <email> [--yes]']],
  ])('%j without a subcommand prints the short usage of its commands and exits 1', async (argv, expected) => {
    // Act
    const result = await run(argv);

    // Assess
    expect(result.code).toBe(1);
    expect(result.out).toBe('');
    for (const line of expected) expect(result.err).toContain(line);
    expect(result.err).not.toContain('Operator commands');
    expect(result.err.trim().split('\n').length).toBeLessThanOrEqual(6);
  });

  it('lead erase without --yes and without a terminal refuses before looking for a stack', async () => {
    // Act
    const result = await run(['lead', 'erase', 'a@b.example']);

    // Assess
    expect(result.code).toBe(1);
    expect(result.err).toBe('leadpipe: lead erase deletes the lead irreversibly: pass --yes to confirm (there is no terminal to ask on)\n');
  });

  it('lead erase on a terminal asks, naming the address and the target, and a "no" erases nothing', async () => {
    // Prepare: a target that resolves without AWS; nothing after the question may reach it
    const questions: string[] = [];
    const stackOutputs = async () => ({ TableName: 'leads', AppSecretsArn: 'arn:aws:secretsmanager:eu-central-1:1:secret:x' });

    // Act
    const result = await run(['lead', 'erase', 'a@b.example', '--stack', 'Prod'], {
      readStackOutputs: stackOutputs,
      confirm: async (question) => {
        questions.push(question);
        return false;
      },
    });

    // Assess
    expect(questions).toEqual(['Erase everything stored for a@b.example in the stack Prod? This cannot be undone. [y/N] ']);
    expect(result.code).toBe(1);
    expect(result.err).toBe('leadpipe: Nothing erased (not confirmed)\n');
  });

  it('names the bad field of a rescore config before looking for a stack', async () => {
    // Prepare
    const file = join(dir, 'rules.json');
    writeFileSync(file, JSON.stringify({ ...defaultScoringConfig, stages: { qualifiedThreshold: 40, mqlThreshold: -5 } }));

    // Act
    const result = await run(['rescore', '--config', file, '--dry-run']);

    // Assess
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/^leadpipe: .*rules\.json: Invalid scoring config: stages\.mqlThreshold: /);
  });

  it('says a config file that is not JSON is not JSON', async () => {
    // Prepare
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{ "stages": ');

    // Act
    const result = await run(['rescore', '--config', file]);

    // Assess
    expect(result.code).toBe(1);
    expect(result.err).toContain('broken.json is not valid JSON');
  });

  it('rejects an import file without an email column before looking for a stack', async () => {
    // Prepare
    const file = join(dir, 'leads.csv');
    writeFileSync(file, 'name,company\nAnn,ACME\n');

    // Act
    const result = await run(['import', file]);

    // Assess
    expect(result.code).toBe(1);
    expect(result.err).toContain('leads.csv: The header row lacks the required column email');
  });
});
