// The ESM entry: the library is compiled once, as CommonJS (dist/), and
// re-exported here so `import` and `require` share one module instance.
import ferrokv from '../dist/index.js';

export const {
  startServer,
  FerroServer,
  Config,
  ConfigFileError,
  ConfigSetError,
  EmbeddedCommandError,
  loadConfig,
  parseCommandLine,
  VERSION,
} = ferrokv;
export default ferrokv;
