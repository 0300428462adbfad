#!/usr/bin/env node
'use strict';
require('../dist/cli.js')
  .main()
  .catch((err) => {
    process.stderr.write(`ferrokv: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  });
