/**
 * `ferrokv [/path/to/redis.conf] [--directive value ...]`: starts a server the
 * way redis-server does, with the same configuration syntax.
 */
import type { Command } from 'commander';

import { ConfigFileError, loadConfig, parseCommandLine } from './config/config';
import { checkLogFile, Logger } from './log';
import { FerroServer } from './server/server';
import { VERSION } from './version';
import { REDIS_COMPAT_VERSION } from './compat';

function buildProgram(): Command {
  // Required here, not at the top: a plain server start never parses with commander (startup time).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Command } = require('commander') as typeof import('commander');
  return new Command('ferrokv')
    .description(`A Redis-compatible in-memory data store (Redis ${REDIS_COMPAT_VERSION} semantics).`)
    .usage('[/path/to/redis.conf] [--directive value ...]')
    .argument('[config]', 'a redis.conf to load first (any Redis 7.2 directive)')
    .version(`ferrokv ${VERSION} (redis ${REDIS_COMPAT_VERSION} compatible)`, '-v, --version')
    .helpOption('-h, --help', 'show this help')
    .addHelpText(
      'after',
      `
Every redis.conf directive can be given as --name value, after the optional
config file, exactly as with redis-server:
  ferrokv --port 6380
  ferrokv /etc/redis/redis.conf --loglevel verbose
  ferrokv --save "" --appendonly no --maxmemory 100mb
With --port 0 the server picks a free port and prints it.

Commands:
  ferrokv cli [options] [cmd [arg ...]]   a client like redis-cli (see ferrokv cli --help)
  ferrokv check-rdb FILE                  check an RDB file, like redis-check-rdb
  ferrokv check-aof [--fix] FILE          check (or cut a torn tail of) an AOF, like redis-check-aof`,
    )
    .allowUnknownOption(true)
    .allowExcessArguments(true);
}

export async function main(argv = process.argv.slice(2)): Promise<void> {
  // commander handles --help, --version and `cli`; directives use redis-server's syntax.
  if (argv[0] === 'cli') {
    const program = buildProgram();
    // Loaded on demand: a server's startup never pays for the client.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { cliCommand } = require('./client/command') as typeof import('./client/command');
    program.enablePositionalOptions().addCommand(cliCommand());
    await program.parseAsync(argv, { from: 'user' });
    return;
  }
  if (argv[0] === 'check-rdb') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { checkRdbCommand } = require('./check-rdb') as typeof import('./check-rdb');
    process.exitCode = checkRdbCommand(argv.slice(1));
    return;
  }
  if (argv[0] === 'check-aof') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { checkAofCommand } = require('./check-aof') as typeof import('./check-aof');
    process.exitCode = checkAofCommand(argv.slice(1));
    return;
  }
  if (argv.some((a) => ['-h', '--help', '-v', '--version'].includes(a))) {
    buildProgram().parse(argv, { from: 'user' });
    return;
  }
  let server: FerroServer;
  const logger = new Logger();
  try {
    const config = loadConfig(parseCommandLine(argv));
    logger.level = config.get('loglevel') as Logger['level'];
    logger.file = config.get('logfile');
    try {
      checkLogFile(logger.file);
    } catch (e) {
      // Redis reports it as a config error, without a line (it checks after reading the file).
      process.stderr.write(`\n*** FATAL CONFIG FILE ERROR (Redis ${REDIS_COMPAT_VERSION}) ***\n${(e as Error).message}\n`);
      process.exit(1);
    }
    server = new FerroServer({
      config,
      logger,
      onShutdown: () => process.exit(0),
    });
    await server.listen();
  } catch (e) {
    if (e instanceof ConfigFileError) {
      process.stderr.write(`${e.message}\n`);
    } else {
      process.stderr.write(`ferrokv: ${(e as Error).message}\n`);
    }
    process.exit(1);
  }
  logger.notice(`ferrokv ${VERSION} (redis ${REDIS_COMPAT_VERSION} compatible) port=${server.port}${server.tlsPort ? ` tls-port=${server.tlsPort}` : ''} pid=${process.pid} ready to accept connections`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      logger.warning(`Received ${signal} scheduling shutdown...`);
      void server.shutdown(signal);
    });
  }
}
