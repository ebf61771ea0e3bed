import type { ConsoleGroup } from '../../shared/console/console-config';

/** The signed-in user as GET /console/api/me tells it; the API enforces the same groups (shared/console/console-access.ts). */
export interface Me {
  email: string;
  groups: ConsoleGroup[];
}

export function can(me: Me, ...groups: ConsoleGroup[]): boolean {
  return me.groups.some((group) => groups.includes(group));
}
