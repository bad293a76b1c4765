/** The console's only stylesheet, served from /console/assets/console.css (CSP: style-src 'self'). */
export const CONSOLE_CSS = `
:root { --fg:#1b1f24; --muted:#5b6672; --line:#d6dbe1; --bg:#f6f8fa; --accent:#0b5cad; --ok:#1a7f37; --bad:#b42318; --warn:#9a6700; }
* { box-sizing: border-box; }
body { margin:0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color:var(--fg); background:#fff; }
header { display:flex; align-items:center; gap:1.5rem; padding:.6rem 1.2rem; background:#0f2740; color:#fff; }
header a { color:#dbe9f7; text-decoration:none; white-space:nowrap; }
header a.current { color:#fff; font-weight:600; border-bottom:2px solid #fff; }
header .brand { font-weight:700; color:#fff; margin-right:1rem; }
header .who { margin-left:auto; font-size:12px; word-break:break-all; color:#b8c7d6; display:flex; gap:.8rem; align-items:center; }
header form { margin:0; }
main { padding:1rem 1.2rem 3rem; max-width:1400px; }
h1 { font-size:20px; margin:.3rem 0 1rem; }
h2 { font-size:16px; margin:1.4rem 0 .5rem; }
table { border-collapse:collapse; width:100%; margin:.5rem 0 1rem; }
th, td { text-align:left; padding:.35rem .5rem; border-bottom:1px solid var(--line); vertical-align:top; }
th { background:var(--bg); font-weight:600; font-size:12px; text-transform:uppercase; color:var(--muted); }
td.mono, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size:12px; word-break:break-all; }
pre { background:var(--bg); padding:.5rem; border:1px solid var(--line); overflow:auto; max-width:60ch; font-size:12px; }
.badge { display:inline-block; padding:0 .45rem; border-radius:9px; font-size:12px; font-weight:600; }
.on { background:#dafbe1; color:var(--ok); } .off { background:#ffebe9; color:var(--bad); } .warn { background:#fff8c5; color:var(--warn); }
a { color:var(--accent); }
form.filters { display:flex; flex-wrap:wrap; gap:.6rem; align-items:flex-end; margin-bottom:.6rem; }
form.filters label { display:flex; flex-direction:column; font-size:12px; color:var(--muted); }
input, select, button { font:inherit; padding:.3rem .5rem; border:1px solid var(--line); border-radius:4px; }
button { background:var(--accent); color:#fff; border-color:var(--accent); cursor:pointer; }
button.danger { background:var(--bad); border-color:var(--bad); }
header button { background:transparent; border-color:#6d8299; color:#fff; padding:.1rem .5rem; }
.pager { display:flex; gap:1rem; align-items:center; color:var(--muted); }
.notice { padding:.6rem .8rem; border:1px solid var(--line); background:var(--bg); border-radius:4px; margin:.6rem 0; }
.error { border-color:#ffc1ba; background:#fff1f0; }
.signin { max-width:28rem; margin:4rem auto; padding:1.5rem; border:1px solid var(--line); border-radius:6px; }
.signin label { display:block; margin:.6rem 0 .2rem; font-weight:600; }
.signin input { width:100%; }
.signin button { margin-top:1rem; width:100%; }
.muted { color:var(--muted); }
.timeline-month { margin-top:1rem; }
`;
