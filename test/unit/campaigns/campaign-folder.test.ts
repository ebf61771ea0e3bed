import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CAMPAIGN_LIMITS, CampaignFolderError, definitionHash, loadCampaignFolder } from '../../../shared/campaigns/campaign-folder';

const EXAMPLE = path.resolve('content/campaigns/2027-01-newsletter');

describe('loadCampaignFolder', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** A copy of the example folder to break one thing in. */
  function copyOfExample(): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'campaign-folder-'));
    dirs.push(dir);
    cpSync(EXAMPLE, dir, { recursive: true });
    return dir;
  }

  function failure(dir: string): CampaignFolderError {
    try {
      loadCampaignFolder(dir);
    } catch (error) {
      if (error instanceof CampaignFolderError) return error;
      throw error;
    }
    throw new Error('the folder was accepted');
  }

  function writeJson(dir: string, json: unknown): void {
    writeFileSync(path.join(dir, 'campaign.json'), JSON.stringify(json));
  }

  const valid = { id: 'spring-2027', name: 'Spring', audience: {} };

  it('reads the example newsletter: id, name, audience and both locales', () => {
    // Act
    const definition = loadCampaignFolder(EXAMPLE);

    // Assess
    expect(definition.id).toBe('2027-01-newsletter');
    expect(definition.audience).toEqual({});
    expect(definition.content.de.subject).toMatch(/Lead-Scoring/);
    expect(definition.content.en.subject).toMatch(/lead scoring/);
    expect(definition.content.en.html).toContain('{{senderName}}');
  });

  it.each([
    ['a bad id', { ...valid, id: 'Spring 2027' }, 'id'],
    ['an empty name', { ...valid, name: ' ' }, 'name'],
    ['no audience', { id: 'x', name: 'X' }, 'audience'],
    ['an unknown locale', { ...valid, audience: { locales: ['fr'] } }, 'audience.locales.0'],
    ['an unknown lifecycle', { ...valid, audience: { lifecycles: ['hot'] } }, 'audience.lifecycles.0'],
    ['an unknown funnel stage', { ...valid, audience: { funnelStages: ['tofu', 'eofu'] } }, 'audience.funnelStages.1'],
    ['a negative minimum score', { ...valid, audience: { minScore: -5 } }, 'audience.minScore'],
    ['createdSince without a time', { ...valid, audience: { createdSince: '2026-01-01' } }, 'audience.createdSince'],
    ['a misspelt audience field', { ...valid, audience: { minscore: 10 } }, 'audience.minscore'],
    ['sendAt that is no time', { ...valid, sendAt: 'tomorrow' }, 'sendAt'],
  ])('names the field in campaign.json for %s', (_label, json, field) => {
    // Prepare
    const dir = copyOfExample();
    writeJson(dir, json);

    // Act
    const error = failure(dir);

    // Assess
    expect(error.file).toBe('campaign.json');
    expect(error.field).toBe(field);
    expect(error.message).toMatch(new RegExp(`^campaign\\.json \\(${field.replace(/\./g, '\\.')}\\): `));
  });

  it('says when campaign.json is not JSON', () => {
    const dir = copyOfExample();
    writeFileSync(path.join(dir, 'campaign.json'), '{ "id": ');
    expect(failure(dir)).toMatchObject({ file: 'campaign.json', field: undefined, problem: expect.stringMatching(/^is not JSON/) });
  });

  it('names a missing locale file', () => {
    const dir = copyOfExample();
    rmSync(path.join(dir, 'en', 'preheader.txt'));
    expect(failure(dir)).toMatchObject({ file: 'en/preheader.txt', problem: 'missing' });
  });

  it('names an empty file and a subject of two lines', () => {
    const empty = copyOfExample();
    writeFileSync(path.join(empty, 'de', 'body.txt'), '  \n');
    expect(failure(empty)).toMatchObject({ file: 'de/body.txt', problem: 'is empty' });

    const twoLines = copyOfExample();
    writeFileSync(path.join(twoLines, 'de', 'subject.txt'), 'Hallo\nWelt');
    expect(failure(twoLines)).toMatchObject({ file: 'de/subject.txt', problem: 'must be one line' });
  });

  it('bounds the size of every file', () => {
    const longSubject = copyOfExample();
    writeFileSync(path.join(longSubject, 'en', 'subject.txt'), 'x'.repeat(CAMPAIGN_LIMITS['subject.txt'] + 1));
    expect(failure(longSubject)).toMatchObject({ file: 'en/subject.txt', problem: expect.stringMatching(/^too large: 201 characters/) });

    const bigHtml = copyOfExample();
    writeFileSync(path.join(bigHtml, 'de', 'body.html'), `<p>${'ä'.repeat(CAMPAIGN_LIMITS['body.html'] / 2)}</p>`);
    expect(failure(bigHtml)).toMatchObject({
      file: 'de/body.html',
      problem: expect.stringMatching(/^too large: \d+ bytes, at most 102400/),
    });
  });

  it('names the file and the variable when the copy uses one a campaign does not have', () => {
    // Prepare: a nurture variable in a campaign
    const dir = copyOfExample();
    writeFileSync(path.join(dir, 'en', 'body.html'), '<p>Hello {{firstName}}, <a href="{{offerUrl}}">get it</a></p>');

    // Act
    const error = failure(dir);

    // Assess
    expect(error.file).toBe('en/body.html');
    expect(error.problem).toBe('unknown variable "offerUrl"');
  });

  it('names the file whose Handlebars does not compile', () => {
    const dir = copyOfExample();
    writeFileSync(path.join(dir, 'de', 'body.txt'), 'Hallo {{#if firstName}}{{firstName}}');
    expect(failure(dir)).toMatchObject({ file: 'de/body.txt', problem: expect.stringMatching(/^does not compile/) });
  });

  it('hashes name, audience and copy, but not the send time', () => {
    const definition = loadCampaignFolder(EXAMPLE);
    expect(definitionHash({ ...definition, sendAt: '2030-01-01T00:00:00Z' })).toBe(definitionHash(definition));
    expect(
      definitionHash({ ...definition, content: { ...definition.content, en: { ...definition.content.en, subject: 'Other' } } }),
    ).not.toBe(definitionHash(definition));
  });
});
