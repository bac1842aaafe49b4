// Which extractor a file goes to, decided from its name alone so the caller pays
// no I/O for formats we never index.

export type Route = 'markdown' | 'html' | 'pdf' | 'docx' | 'code' | 'text' | 'unsupported' | 'unknown';

const words = (s: string): string[] => s.split(/\s+/).filter(Boolean);

const MARKDOWN = words('md markdown mdx mdown mkd mkdn');
const HTML = words('html htm xhtml shtml');

const CODE = words(`
  ts tsx mts cts js jsx mjs cjs py pyi pyw go rs c h cc cpp cxx c++ hpp hh hxx ino java kt kts scala sc
  groovy gradle swift m mm rb rake gemspec php pl pm lua r jl dart ex exs erl hrl hs lhs ml mli fs fsi fsx
  clj cljs cljc edn elm nim zig vhd vhdl sv svh cs csx vb vbs ps1 psm1 psd1 bat cmd sh bash zsh fish ksh
  csh awk sed sql graphql gql proto thrift css scss sass less styl json jsonc json5 jsonl ndjson geojson
  yaml yml toml xml xsd xsl xslt wsdl ini cfg conf properties mk cmake make tf tfvars hcl nix vue svelte
  astro hbs handlebars mustache ejs erb jinja j2 twig liquid njk tmpl tpl asm s f f90 f95 for pas d cr
  coffee sol wgsl glsl hlsl frag vert cu cuh ipynb rkt scm lisp el vim diff patch gitignore dockerignore
  editorconfig gitattributes npmrc nvmrc lock
`);

const TEXT = words(`
  txt text rst log csv tsv org tex ltx bib sty cls adoc asciidoc textile wiki nfo srt vtt me 1 man
`);

// Formats that are not text; opening them would only waste a read.
const UNSUPPORTED = words(`
  png jpg jpeg jfif gif bmp tif tiff webp ico icns heic heif avif psd ai eps svg svgz raw cr2 nef dng xcf
  zip tar gz tgz bz2 xz 7z rar zst lz4 lzma jar war ear apk aab ipa dmg iso img deb rpm msi msix cab pkg
  mp3 wav flac aac ogg oga opus m4a wma aiff aif mid midi mp4 m4v mov avi mkv webm wmv flv mpg mpeg 3gp
  doc dot docm dotx xls xlsx xlsm xlsb ppt pptx pptm pps ppsx odt ods odp odg pages numbers key rtf
  epub mobi azw azw3 djvu xps
  exe dll so dylib o a obj lib bin class pyc pyo wasm node elf com sys ko
  sqlite sqlite3 db db3 mdb accdb realm ldb
  ttf otf woff woff2 eot fon
  pkl pickle npy npz h5 hdf5 parquet avro orc feather onnx pt pth safetensors ckpt gguf tflite pb
  blend fbx glb stl 3ds dwg dxf skp
  swf fla sketch fig kdbx keychain p12 pfx der crt cer
`);

// Extension-less files that conventionally hold code or plain text.
const CODE_NAMES = words(`
  makefile gnumakefile dockerfile containerfile jenkinsfile vagrantfile gemfile rakefile procfile podfile
  brewfile justfile build workspace sconstruct sconscript cmakelists.txt .bashrc .zshrc .profile
  .bash_profile .vimrc .gitignore .gitattributes .editorconfig .npmrc
`);
const TEXT_NAMES = words(`
  readme license licence copying authors contributors changelog changes news history notice install todo
  thanks patents version maintainers codeowners owners
`);

const byExt = new Map<string, Route>();
for (const [route, list] of [
  ['markdown', MARKDOWN],
  ['html', HTML],
  ['code', CODE],
  ['text', TEXT],
  ['unsupported', UNSUPPORTED],
] as const) {
  for (const ext of list) byExt.set(ext, route);
}
byExt.set('pdf', 'pdf');
byExt.set('docx', 'docx');

const byName = new Map<string, Route>();
for (const n of CODE_NAMES) byName.set(n, 'code');
for (const n of TEXT_NAMES) byName.set(n, 'text');

/** The last path segment; accepts '/' and '\\' separators. */
export function baseName(relPathOrName: string): string {
  const cut = Math.max(relPathOrName.lastIndexOf('/'), relPathOrName.lastIndexOf('\\'));
  return relPathOrName.slice(cut + 1);
}

/** Lower-cased extension without the dot; '' for none (a leading dot is a dotfile, not an extension). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export function routeFor(relPathOrName: string): Route {
  const name = baseName(relPathOrName).toLowerCase();
  const named = byName.get(name);
  if (named) return named;
  const ext = extensionOf(name);
  const route = byExt.get(ext);
  if (route) return route;
  // Dockerfile.dev, Makefile.am, README.old: the stem says more than the suffix.
  const stem = name.slice(0, name.indexOf('.') > 0 ? name.indexOf('.') : name.length);
  return byName.get(stem) ?? 'unknown';
}

/** The file's own name, extension kept: the title when the content offers none. */
export function titleFromFileName(relPathOrName: string): string {
  const name = baseName(relPathOrName.replace(/[/\\]+$/, '')).trim();
  return name || relPathOrName;
}
