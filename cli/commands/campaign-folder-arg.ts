import { CampaignFolderError, loadCampaignFolder } from '../../shared/campaigns/campaign-folder';
import type { CampaignDefinition } from '../../shared/campaigns/campaign';
import { CliError } from '../cli-error';

/** Reads and validates the campaign folder an operator named; a bad file or field is a CliError that names it. */
export function readCampaignFolder(folder: string): CampaignDefinition {
  try {
    return loadCampaignFolder(folder);
  } catch (error) {
    if (error instanceof CampaignFolderError) throw new CliError(`campaign folder ${folder}: ${error.message}`);
    throw error;
  }
}
