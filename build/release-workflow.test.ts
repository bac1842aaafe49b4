// The release workflow and the packaging agree: every target is built on some runner, with its
// cloudflared fetched, the other CPU's native packages added where a job builds two CPUs, and
// the signing secrets the README documents.
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are GitHub Actions expressions
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ALL_TARGETS, targetKey } from './cloudflared-fetch.ts';

const read = (relative: string) => readFileSync(fileURLToPath(new URL(relative, import.meta.url)), 'utf8');
const workflowText = read('../.github/workflows/release.yml');
const workflow = parse(workflowText);
const job = workflow.jobs.installers;
const matrix: Array<{ os: string; platform: string; archs: string; cross?: string }> =
  job.strategy.matrix.include;
const runSteps = (job.steps as Array<{ name?: string; run?: string; if?: string }>).filter((s) => s.run);

/** The CPU GitHub's hosted runners have. */
const RUNNER_CPU: Record<string, string> = {
  'macos-latest': 'arm64',
  'windows-latest': 'x64',
  'ubuntu-latest': 'x64',
  'ubuntu-24.04-arm': 'arm64',
};

describe('the release workflow', () => {
  it('runs on version tags', () => {
    expect(workflow.on.push.tags).toEqual(['v*']);
    expect(workflow.permissions).toEqual({ contents: 'write' });
  });

  it('builds every OS and CPU exactly once, on macOS, Windows and Linux runners', () => {
    const built = matrix.flatMap((m) => m.archs.split(' ').map((arch) => `${m.platform}-${arch}`));
    expect(built.sort()).toEqual(ALL_TARGETS.map(targetKey).sort());
    expect(new Set(matrix.map((m) => m.os))).toEqual(new Set(Object.keys(RUNNER_CPU)));
  });

  it('adds the native packages of the CPU the runner is not, and only there', () => {
    for (const m of matrix) {
      const archs = m.archs.split(' ');
      const foreign = archs.filter((arch) => arch !== RUNNER_CPU[m.os]);
      expect(foreign.length, m.os).toBeLessThanOrEqual(1);
      expect(m.cross, m.os).toBe(foreign[0]);
    }
    const install = runSteps.find((s) => s.run?.includes('install-target-natives.ts'));
    expect(install?.if).toBe('matrix.cross');
  });

  it('fetches the pinned cloudflared for each CPU, then runs npm run dist with the CPUs and publishing', () => {
    const order = runSteps.map((s) => s.run ?? '');
    const fetch = order.findIndex((r) =>
      r.includes('build/fetch-cloudflared.ts --platform ${{ matrix.platform }}'),
    );
    const dists = order.flatMap((r, i) => (r.startsWith('npm run dist -- ') ? [i] : []));
    expect(fetch).toBeGreaterThan(-1);
    expect(dists).toHaveLength(3);
    for (const i of dists) {
      expect(i).toBeGreaterThan(fetch);
      expect(order[i]).toContain("$(printf -- '--%s ' ${{ matrix.archs }})");
      expect(order[i]).toContain('--publish "$PUBLISH"');
    }
    expect(job.env.PUBLISH).toBe("${{ github.event_name == 'push' && 'always' || 'never' }}");
  });

  it('passes each OS only its own signing secrets, all of them documented', () => {
    const steps = job.steps as Array<{ if?: string; env?: Record<string, string> }>;
    const secretsOf = (os: string) =>
      Object.keys(steps.find((s) => s.if === `runner.os == '${os}'`)?.env ?? {});
    expect(secretsOf('macOS').sort()).toEqual(
      [
        'APPLE_APP_SPECIFIC_PASSWORD',
        'APPLE_ID',
        'APPLE_TEAM_ID',
        'CSC_KEY_PASSWORD',
        'CSC_LINK',
        'GH_TOKEN',
      ].sort(),
    );
    expect(secretsOf('Windows').sort()).toEqual(['GH_TOKEN', 'WIN_CSC_KEY_PASSWORD', 'WIN_CSC_LINK']);
    expect(secretsOf('Linux')).toEqual(['GH_TOKEN']);
    const readme = read('./README.md');
    for (const secret of [...secretsOf('macOS'), ...secretsOf('Windows')].filter((s) => s !== 'GH_TOKEN'))
      expect(readme).toContain(`| \`${secret}\` |`);
  });
});
