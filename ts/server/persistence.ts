/**
 * The server's side of RDB and AOF persistence: loading the dataset at
 * startup (the core reads the files on a thread and replays an AOF in
 * slices; clients get -LOADING meanwhile), writing the core's persistence
 * log lines, and the save before a shutdown.
 */
import type { Logger, LogLevel } from '../log';
import type { NativeEngine } from '../native';

/** SHUTDOWN's choice: save if save points are set, always, or never. */
export type ShutdownSave = 'default' | 'save' | 'nosave';

/** How often the startup load is polled while its thread runs. */
const LOAD_POLL_MS = 5;

export class DatasetLoadError extends Error {
  override name = 'DatasetLoadError';
}

/** Writes what the core logged about saving and loading. */
export function writePersistenceLog(engine: NativeEngine, logger: Logger): void {
  for (const line of engine.takePersistenceLog()) logger.log(line.level as Exclude<LogLevel, 'nothing'>, line.message);
}

/**
 * Loads the dataset at startup: the AOF under `appendonly yes`, else
 * `dir`/`dbfilename` if it exists, resolving once it is in memory;
 * rejects with the reason when a file is unreadable or corrupt (Redis
 * refuses to start then).
 */
export async function loadDataset(engine: NativeEngine, logger: Logger): Promise<void> {
  // With `appendonly yes` the AOF is the dataset (Redis ignores the RDB file then).
  if (engine.aofWanted()) return startAof(engine, logger);
  if (engine.rdbLoadStart()) {
    while (engine.rdbLoadPoll()) await new Promise((resolve) => setTimeout(resolve, LOAD_POLL_MS));
    writePersistenceLog(engine, logger);
    const error = engine.rdbLoadError();
    if (error) throw new DatasetLoadError(error);
  }
  return startAof(engine, logger);
}

/**
 * Loads the AOF when on — its files read on a thread (polled as the RDB
 * load is), then replayed a slice per event-loop turn, so clients
 * connecting meanwhile get -LOADING and INFO shows the progress — then
 * opens it for appending (and lets CONFIG SET appendonly act).
 */
async function startAof(engine: NativeEngine, logger: Logger): Promise<void> {
  try {
    engine.aofLoadBegin();
    for (let state = engine.aofLoadStep(); state !== 'done'; state = engine.aofLoadStep()) {
      await new Promise((resolve) => (state === 'reading' ? setTimeout(resolve, LOAD_POLL_MS) : setImmediate(resolve)));
    }
  } catch (e) {
    writePersistenceLog(engine, logger);
    throw new DatasetLoadError((e as Error).message);
  }
  const error = engine.aofOpen();
  writePersistenceLog(engine, logger);
  if (error) throw new DatasetLoadError(error);
}

/**
 * The save a shutdown makes (Redis's `prepareForShutdown`): a running
 * BGSAVE is stopped, then the dataset is saved when asked or when save
 * points are configured. Returns the error if that save failed.
 */
export function saveBeforeShutdown(engine: NativeEngine, logger: Logger, mode: ShutdownSave): string | null {
  const save = mode === 'save' || (mode === 'default' && engine.rdbHasSavePoints());
  if (!save) {
    engine.rdbKillBgsave();
    writePersistenceLog(engine, logger);
    return null;
  }
  logger.notice('Saving the final RDB snapshot before exiting.');
  const error = engine.rdbSaveForShutdown() ?? null;
  writePersistenceLog(engine, logger);
  if (error) logger.warning('Error trying to save the DB, can\'t exit.');
  return error;
}
