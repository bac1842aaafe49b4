import path from 'node:path';

// Containment checks that every part of the library shares. They compare whole path
// segments through `path.relative`, so '/data/notes-evil' is never "inside" '/data/notes'
// (a string prefix test would say it is), and they work with Windows separators and drives.
// Both arguments should be absolute; relative ones are resolved against the working directory.
// They are pure string checks: resolve symlinks (realpath) first when that matters.

/** True when `child` is `parent` itself or anywhere below it. */
export function isInsideOrEqual(parent: string, child: string, pathApi: path.PlatformPath = path): boolean {
  const rel = pathApi.relative(parent, child);
  if (rel === '') return true;
  // Not "starts with '..'": a folder may be named '..notes'. A different Windows drive
  // gives back an absolute path.
  return rel !== '..' && !rel.startsWith(`..${pathApi.sep}`) && !pathApi.isAbsolute(rel);
}

/** True when `child` is below `parent`, never when it is `parent` itself. */
export function isStrictlyInside(parent: string, child: string, pathApi: path.PlatformPath = path): boolean {
  return pathApi.relative(parent, child) !== '' && isInsideOrEqual(parent, child, pathApi);
}

/** `child` relative to `parent` with '/' separators on every OS (the form relPaths are stored in). */
export function toRelPath(parent: string, child: string, pathApi: path.PlatformPath = path): string {
  return pathApi.relative(parent, child).split(pathApi.sep).join('/');
}
