#!/usr/bin/env node
// The operator CLI is TypeScript; tsx compiles it on the fly, as `npm start` does for the local stack.
import { register } from 'tsx/esm/api';

// The SDK warns (once per process, on stderr) that future versions need Node 22; an operator
// command's output is no place for it. It arrives as a plain Warning whose message names it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.removeAllListeners('warning');
process.on('warning', (warning) => {
  if (warning.name === 'NodeVersionSupportWarning' || warning.message.startsWith('NodeVersionSupportWarning')) return;
  console.warn(`${warning.name}: ${warning.message}`);
});
register();
await import('../cli/main.ts');
