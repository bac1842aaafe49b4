// electron-vite's `?asset` imports: the file is copied into the build, the import is its path.
declare module '*.png?asset' {
  const path: string;
  export default path;
}
