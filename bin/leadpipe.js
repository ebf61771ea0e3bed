#!/usr/bin/env node
// The operator CLI is TypeScript; tsx compiles it on the fly, as `npm start` does for the local stack.
import { register } from 'tsx/esm/api';

process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name !== 'NodeVersionSupportWarning') console.warn(warning);
});
register();
await import('../cli/main.ts');
