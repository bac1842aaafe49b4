// The dashboard's look for the pages the server renders itself (consent, denied, expired, the
// document viewer): the same colour tokens in light and dark (prefers-color-scheme), the same
// logo and name. Inline only: these pages load nothing (their CSP allows inline styles and
// nothing else), so the logo is drawn in CSS and the fonts are the system's. No <svg> or <div>
// either: the viewer's tests treat any real tag of those kinds in a page as injected markup.
// The values mirror renderer/src/styles.css (:root and its dark block) and the Logo component.

export const BRAND_TOKENS = `
:root { color-scheme: light dark;
  --font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", Arial, sans-serif;
  --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
  --bg: #f4f5f7; --surface: #ffffff; --surface-2: #f0f2f5; --border: #e0e4e9; --border-strong: #c8ced6;
  --text: #16181d; --muted: #59616e; --accent: #2a55e0; --accent-soft: #e9effd; --primary: #2f5bea;
  --primary-hover: #2249cc; --on-accent: #ffffff; --focus: #2f5bea; --danger: #c4232d; --danger-soft: #ffeceb;
  --warning: #8a5a00; --warning-soft: #fff4d4; --warning-border: #eed48a;
  --shadow: 0 1px 2px rgb(16 24 40 / 0.04), 0 1px 3px rgb(16 24 40 / 0.06); --radius: 12px; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #0d0f13; --surface: #15181e; --surface-2: #1c2028; --border: #272d38; --border-strong: #394150;
    --text: #e8eaef; --muted: #9ba4b3; --accent: #89a6ff; --accent-soft: #1b2541; --primary: #3d68f0;
    --primary-hover: #5079f5; --focus: #89a6ff; --danger: #ff7b72; --danger-soft: #2f1517;
    --warning: #e3b341; --warning-soft: #2a2111; --warning-border: #5a4516; --shadow: 0 1px 2px rgb(0 0 0 / 0.3); }
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); font: 15px/1.55 var(--font);
  -webkit-font-smoothing: antialiased; }
a { color: var(--accent); }
:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
.brand { display: flex; align-items: center; gap: 10px; font-weight: 700; font-size: 16px;
  letter-spacing: -0.01em; color: var(--text); }
.logo { display: grid; place-items: center; flex-shrink: 0; width: 28px; height: 28px; border-radius: 7px;
  background: var(--accent); }
.logo::before, .logo::after { content: ""; grid-area: 1 / 1; border-radius: 50%; }
.logo::before { width: 19px; height: 19px; border: 2.6px solid var(--on-accent); }
.logo::after { width: 6px; height: 6px; background: var(--on-accent); }
`;

/** The logo, drawn in CSS (a rounded square, a ring, a dot), so the markup stays plain spans. */
export const BRAND_MARK =
  '<span class="brand"><span class="logo" aria-hidden="true"></span><span>Porthole</span></span>';
