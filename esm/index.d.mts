// Types for the ESM entry: the same declarations as the CommonJS build.
import ferrokv from '../dist/index.js';

export * from '../dist/index.js';
export default ferrokv;
