#!/usr/bin/env node
'use strict';
const report = (err) => {
  // A missing platform binary is the user's setup, not a bug: its message says all, without a stack.
  const text = err && err.code === 'FERROKV_ERR_NO_NATIVE_BINDING' ? err.message : err && err.stack ? err.stack : err;
  process.stderr.write(`ferrokv: ${text}\n`);
  process.exit(1);
};
try {
  require('../dist/cli.js').main().catch(report);
} catch (err) {
  report(err);
}
