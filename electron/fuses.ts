// Electron fuses for the packaged app: switches compiled into the Electron binary that no
// environment variable or command-line flag can turn back on. The packaging step applies
// them with @electron/fuses (flipFuses); this module only says which, so it is testable here.

/** Named like @electron/fuses' FuseV1Options members. */
export interface FuseSettings {
  /** ELECTRON_RUN_AS_NODE would turn the signed app into a plain Node.js for anyone. */
  RunAsNode: boolean;
  /** NODE_OPTIONS could preload code into the main process. */
  EnableNodeOptionsEnvironmentVariable: boolean;
  /** --inspect would attach a debugger to the main process (Playwright needs it in test builds). */
  EnableNodeCliInspectArguments: boolean;
  /** The app.asar must match the hash recorded at packaging (macOS and Windows). */
  EnableEmbeddedAsarIntegrityValidation: boolean;
  /** Only app.asar is loaded, never a loose app/ folder dropped beside it. */
  OnlyLoadAppFromAsar: boolean;
}

// Not flipped: GrantFileProtocolExtraPrivileges stays on, because the dashboard is loaded
// from file:// and its module scripts need it.

export function fuseSettings(env: NodeJS.ProcessEnv = process.env): FuseSettings {
  return {
    RunAsNode: false,
    EnableNodeOptionsEnvironmentVariable: false,
    EnableNodeCliInspectArguments: env.PORTHOLE_TEST_BUILD === '1',
    EnableEmbeddedAsarIntegrityValidation: true,
    OnlyLoadAppFromAsar: true,
  };
}

/**
 * The argument for `flipFuses(electronBinary, …)`, given @electron/fuses' own enums (passed
 * in so this module needs no dependency): `toFlipFusesConfig(fuseSettings(), FuseVersion, FuseV1Options)`.
 * On macOS the packager also sets `resetAdHocDarwinSignature` for arm64 before signing.
 */
export function toFlipFusesConfig(
  settings: FuseSettings,
  versions: { V1: string },
  options: Record<keyof FuseSettings, number | string>,
): Record<string, unknown> {
  const config: Record<string, unknown> = { version: versions.V1 };
  for (const [name, value] of Object.entries(settings))
    config[String(options[name as keyof FuseSettings])] = value;
  return config;
}
