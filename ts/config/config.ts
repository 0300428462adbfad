/**
 * The server's configuration: loaded from redis.conf and command-line
 * directives exactly as redis-server reads them, changed at runtime by
 * CONFIG SET, and observed by whoever must react (the engine, listeners).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { REDIS_COMPAT_VERSION } from '../compat';
import { globMatch } from '../util/glob';
import { splitArgs } from '../util/splitargs';
import { ConfigValueError, DIRECTIVES, type Directive, findDirective, normalizeValue, shownNotifyFlags } from './directives';

/** A directive's line in the file or on the command line, for error reports. */
interface Source {
  origin: string;
  line: number;
  text: string;
}

/** Startup configuration errors, worded as redis-server's fatal report. */
export class ConfigFileError extends Error {
  override name = 'ConfigFileError';
  constructor(
    readonly source: Source,
    readonly reason: string,
  ) {
    super(
      `\n*** FATAL CONFIG FILE ERROR (Redis ${REDIS_COMPAT_VERSION}) ***\nReading the configuration file, at line ${source.line}\n>>> '${source.text}'\n${reason}`,
    );
  }
}

/** A CONFIG SET failure; `message` is the reply text after "ERR ". */
export class ConfigSetError extends Error {
  override name = 'ConfigSetError';
}

export type ChangeListener = (name: string, value: string) => void;

/**
 * Vets a CONFIG SET as a whole before any value is stored, as Redis's
 * per-directive apply functions do (reloading TLS files …): `changed` are
 * the canonical names being set, `proposed` reads a value as it would be
 * after the change. Throwing a ConfigSetError refuses the whole command.
 */
export type ConfigVetter = (changed: string[], proposed: (name: string) => string) => void;

export class Config {
  private readonly values = new Map<string, string>();
  private readonly listeners: ChangeListener[] = [];
  private readonly vetters: ConfigVetter[] = [];
  /** The file it was loaded from (CONFIG REWRITE, INFO config_file). */
  file = '';
  /** `user <name> <rules…>` lines, for the ACL store to load at startup. */
  readonly userLines: string[][] = [];

  constructor() {
    // Defaults go through the same normalization as user values ("1gb" → bytes).
    for (const d of DIRECTIVES) this.values.set(d.name, d.default === '' ? '' : normalizeValue(d, d.kind.type === 'special' ? d.default.split(' ') : [d.default]));
  }

  get(name: string): string {
    const d = findDirective(name);
    if (!d) throw new Error(`unknown config ${name}`);
    return this.values.get(d.name) ?? '';
  }

  getNumber(name: string): number {
    return Number(this.get(name));
  }

  getBool(name: string): boolean {
    return this.get(name) === 'yes';
  }

  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  onBeforeSet(vetter: ConfigVetter): void {
    this.vetters.push(vetter);
  }

  /** Applies a directive at startup (from the file or the command line). */
  applyStartup(name: string, args: string[], seen: Set<string>): void {
    const d = findDirective(name);
    if (!d) throw new ConfigValueError('Bad directive or wrong number of arguments');
    let value = normalizeValue(d, args, this.values.get(d.name) ?? '');
    if (d.accumulates && seen.has(d.name) && value !== '') {
      const prev = this.values.get(d.name) ?? '';
      value = prev ? `${prev} ${value}` : value;
    }
    seen.add(d.name);
    this.store(d, value);
  }

  /**
   * CONFIG SET name value [name value …]: all or nothing, as Redis 7 does.
   * `allowProtected` says whether `enable-protected-configs` lets this
   * connection change protected directives (dir, dbfilename).
   */
  setAtRuntime(pairs: [string, string][], allowProtected = false): void {
    const staged: [Directive, string][] = [];
    const seen = new Set<string>();
    for (const [name, raw] of pairs) {
      const d = findDirective(name);
      if (!d || d.name === 'include' || d.name === 'rename-command') {
        throw new ConfigSetError(`Unknown option or number of arguments for CONFIG SET - '${name}'`);
      }
      if (seen.has(d.name)) throw new ConfigSetError(`CONFIG SET failed (possibly related to argument '${name}') - duplicate parameter`);
      seen.add(d.name);
      if (d.immutable) throw new ConfigSetError(`CONFIG SET failed (possibly related to argument '${name}') - can't set immutable config`);
      if (d.protected && !allowProtected) throw new ConfigSetError(`CONFIG SET failed (possibly related to argument '${name}') - can't set protected config`);
      try {
        const args = d.kind.type === 'special' ? raw.split(/\s+/).filter(Boolean) : [raw];
        staged.push([d, normalizeValue(d, args, this.values.get(d.name) ?? '')]);
      } catch (e) {
        const reason = e instanceof ConfigValueError ? e.message : String(e);
        throw new ConfigSetError(`CONFIG SET failed (possibly related to argument '${name}') - ${reason}`);
      }
    }
    const proposed = new Map(staged.map(([d, v]) => [d.name, v]));
    const read = (name: string) => proposed.get(findDirective(name)?.name ?? name) ?? this.get(name);
    for (const vet of this.vetters) vet([...proposed.keys()], read);
    for (const [d, v] of staged) this.store(d, v);
  }

  /**
   * CONFIG GET pattern…: name → value for every match (case-insensitive
   * glob). A name without glob characters is looked up directly and shown as
   * it was typed, as Redis does; include and rename-command are not configs.
   */
  matching(patterns: string[]): [string, string][] {
    const out = new Map<string, [string, string]>();
    const add = (shown: string, d: Directive) => {
      if (!out.has(shown.toLowerCase())) out.set(shown.toLowerCase(), [shown, this.shown(d)]);
    };
    for (const pattern of patterns) {
      if (!/[*?[]/.test(pattern)) {
        const d = findDirective(pattern);
        if (d && d.name !== 'include' && d.name !== 'rename-command') add(pattern, d);
        continue;
      }
      for (const d of DIRECTIVES) {
        if (d.name === 'include' || d.name === 'rename-command') continue;
        for (const name of [d.name, ...(d.aliases ?? [])]) {
          if (globMatch(pattern, name, true)) add(name, d);
        }
      }
    }
    return [...out.values()];
  }

  /** A value as CONFIG GET shows it: `dir` is the absolute directory, as Redis's getcwd(). */
  private shown(d: Directive): string {
    const value = this.values.get(d.name) ?? '';
    if (d.name === 'notify-keyspace-events') return shownNotifyFlags(value);
    return d.name === 'dir' ? resolve(value) : value;
  }

  /** Every directive and value, for pushing the core's share to an engine. */
  entries(): [string, string][] {
    return [...this.values];
  }

  private store(d: Directive, value: string): void {
    this.values.set(d.name, value);
    for (const l of this.listeners) l(d.name, value);
  }
}

/** What the command line says: an optional config file, then `--name value…` directives. */
export interface CommandLine {
  configFile?: string;
  directives: { name: string; args: string[] }[];
}

/**
 * Reads redis-server's command line: the first word may be a config file
 * path; each `--name` starts a directive whose value is every word up to the
 * next `--name`.
 */
export function parseCommandLine(argv: string[]): CommandLine {
  const result: CommandLine = { directives: [] };
  let i = 0;
  if (argv.length > 0 && !argv[0].startsWith('--')) {
    result.configFile = argv[0];
    i = 1;
  }
  for (; i < argv.length; i++) {
    const word = argv[i];
    if (word.startsWith('--') && word.length > 2) {
      result.directives.push({ name: word.slice(2), args: [] });
    } else if (result.directives.length === 0) {
      throw new ConfigFileError({ origin: 'command line', line: 1, text: word }, 'Invalid argument: expected --directive');
    } else {
      result.directives[result.directives.length - 1].args.push(word);
    }
  }
  return result;
}

/** Builds the configuration from a file (if any) and command-line directives. */
export function loadConfig(cmdline: CommandLine, config = new Config()): Config {
  const seen = new Set<string>();
  let line = 0;
  const apply = (name: string, args: string[], src: Source) => {
    if (name.toLowerCase() === 'user') {
      if (args.length === 0 || args[0] === '') throw new ConfigFileError(src, 'Bad directive or wrong number of arguments');
      config.userLines.push(args);
      return;
    }
    try {
      config.applyStartup(name, args, seen);
    } catch (e) {
      if (e instanceof ConfigValueError) throw new ConfigFileError(src, e.message);
      throw e;
    }
  };
  const readFile = (path: string, depth: number) => {
    const text = readFileSync(path, 'utf8');
    for (const raw of text.split(/\r?\n/)) {
      line++;
      const trimmed = raw.trim();
      if (trimmed === '' || trimmed.startsWith('#')) continue;
      const src = { origin: path, line, text: trimmed };
      const words = splitArgs(trimmed);
      if (words === null) throw new ConfigFileError(src, 'Unbalanced quotes in configuration line');
      if (words.length === 0) continue;
      const [name, ...args] = words;
      if (name.toLowerCase() === 'include') {
        if (depth > 16) throw new ConfigFileError(src, 'Too many nested includes');
        readFile(resolve(args[0] ?? ''), depth + 1);
        continue;
      }
      apply(name, args, src);
    }
  };
  if (cmdline.configFile) {
    config.file = resolve(cmdline.configFile);
    readFile(cmdline.configFile, 0);
  }
  // Redis appends the command line to the file's text after a newline: with
  // no file that newline is line 1 (with a file, its last line plays that part).
  if (!cmdline.configFile && cmdline.directives.length > 0) line++;
  for (const { name, args } of cmdline.directives) {
    line++;
    const text = `${name} ${args.map((a) => JSON.stringify(a)).join(' ')}`.trim();
    apply(name, args.length === 0 ? [''] : args, { origin: 'command line', line, text });
  }
  return config;
}
