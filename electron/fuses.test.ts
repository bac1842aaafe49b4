import { describe, expect, it } from 'vitest';
import { fuseSettings, toFlipFusesConfig } from './fuses.ts';

describe('fuseSettings', () => {
  it('release builds: no Node mode, no NODE_OPTIONS, no inspector, asar only and checked', () => {
    expect(fuseSettings({})).toEqual({
      RunAsNode: false,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
    });
  });

  it('test builds (PORTHOLE_TEST_BUILD=1) keep the inspector for Playwright, nothing else', () => {
    expect(fuseSettings({ PORTHOLE_TEST_BUILD: '1' })).toEqual({
      ...fuseSettings({}),
      EnableNodeCliInspectArguments: true,
    });
    expect(fuseSettings({ PORTHOLE_TEST_BUILD: 'yes' }).EnableNodeCliInspectArguments).toBe(false);
  });

  it('maps onto @electron/fuses enums', () => {
    // The values @electron/fuses 1.x gives these FuseV1Options members.
    const FuseV1Options = {
      RunAsNode: 0,
      EnableNodeOptionsEnvironmentVariable: 2,
      EnableNodeCliInspectArguments: 3,
      EnableEmbeddedAsarIntegrityValidation: 4,
      OnlyLoadAppFromAsar: 5,
    };
    expect(toFlipFusesConfig(fuseSettings({}), { V1: '1' }, FuseV1Options)).toEqual({
      version: '1',
      0: false,
      2: false,
      3: false,
      4: true,
      5: true,
    });
  });
});
