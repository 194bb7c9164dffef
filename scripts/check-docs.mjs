// Checks the documentation's links: every relative link and image of the book built in
// docs/book/ (`mdbook build docs`) leads to a page or file of the book, and every `#anchor` to an
// element of that id; every relative link of README.md leads to a file of the repository.
// Links to other sites are not followed (no network here).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const root = new URL('../', import.meta.url).pathname;
const book = join(root, 'docs/book');
const problems = [];

function pages(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? pages(path) : path.endsWith('.html') ? [path] : [];
  });
}
const ids = new Map();
function idsOf(file) {
  if (!ids.has(file)) ids.set(file, new Set([...readFileSync(file, 'utf8').matchAll(/\sid="([^"]+)"/g)].map((m) => m[1])));
  return ids.get(file);
}
const external = (href) => /^(https?:|mailto:|data:|javascript:)/i.test(href) || href.startsWith('//');

if (!existsSync(join(book, 'index.html'))) {
  console.error('check-docs: build the book first: mdbook build docs');
  process.exit(1);
}
// mdBook's own pages (print, 404, search) and its theme files are checked like the rest.
let links = 0;
for (const page of pages(book)) {
  // Code shows markup; it links nowhere.
  const html = readFileSync(page, 'utf8').replace(/<pre[\s\S]*?<\/pre>|<code[\s\S]*?<\/code>/g, '');
  for (const [, href] of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
    if (external(href) || href === '') continue;
    links += 1;
    const [path, anchor] = href.split('#');
    const target = path === '' ? page : join(dirname(page), decodeURIComponent(path.split('?')[0]));
    const where = `${relative(root, page)}: ${href}`;
    if (!existsSync(target)) problems.push(`${where}: no such file`);
    else if (anchor && target.endsWith('.html') && !idsOf(target).has(anchor)) problems.push(`${where}: no element #${anchor}`);
  }
}
const readme = readFileSync(join(root, 'README.md'), 'utf8').replace(/```[\s\S]*?```/g, '');
for (const [, href] of readme.matchAll(/\]\(([^)\s]+)\)/g)) {
  if (external(href) || href.startsWith('#')) continue;
  links += 1;
  if (!existsSync(join(root, href.split('#')[0]))) problems.push(`README.md: ${href}: no such file`);
}
if (problems.length) {
  console.error(`check-docs: ${problems.length} broken links:\n${problems.join('\n')}`);
  process.exit(1);
}
console.log(`check-docs: ${links} links, all lead somewhere`);
