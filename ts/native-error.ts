/**
 * What a user sees when no prebuilt binary fits their machine. napi-rs's
 * generated loader throws "Cannot find native binding" with the per-target
 * failures chained as causes; this names the platform and the package that
 * would have fitted, up front.
 */

/** The platform packages napi-rs builds for this project (package.json `napi.targets`). */
export const SUPPORTED_PLATFORMS = ['linux-x64-gnu', 'linux-arm64-gnu', 'linux-x64-musl', 'linux-arm64-musl', 'darwin-x64', 'darwin-arm64', 'win32-x64-msvc'];

/** This machine in napi-rs's naming: `linux-x64-gnu`, `darwin-arm64`, `win32-x64-msvc` … */
export function platformTriple(): string {
  const base = `${process.platform}-${process.arch}`;
  if (process.platform === 'win32') return `${base}-msvc`;
  if (process.platform !== 'linux') return base;
  // glibc reports its version in the diagnostic report; musl does not.
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return `${base}-${report?.header?.glibcVersionRuntime ? 'gnu' : 'musl'}`;
}

export class NativeBindingError extends Error {
  override name = 'NativeBindingError';
  readonly code = 'FERROKV_ERR_NO_NATIVE_BINDING';

  constructor(
    readonly platform: string,
    cause: unknown,
  ) {
    const pkg = `@ferrokv/binding-${platform}`;
    const fits = SUPPORTED_PLATFORMS.includes(platform);
    super(
      fits
        ? `ferrokv could not load its native core for ${platform} (Node ${process.versions.node}): the package ${pkg} is not installed or does not load. ` +
            `Reinstall ferrokv with optional dependencies enabled (npm install --include=optional ferrokv), or run \`npm install ${pkg}\`.`
        : `ferrokv has no prebuilt native core for ${platform} (Node ${process.versions.node}). Prebuilt platforms: ${SUPPORTED_PLATFORMS.join(', ')}. ` +
            'On another platform, build it from source: clone the repository and run `npm run build` (needs a Rust toolchain).',
      { cause },
    );
  }
}
