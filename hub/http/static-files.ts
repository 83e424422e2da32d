/**
 * Static files of the web clients. The request path is decoded and normalised as a POSIX path
 * rooted at `/`, so `..` cannot climb above the root; the joined path must still lie inside the
 * root (checked again after resolving symlinks), dotfiles are never served, and directories serve
 * index.html.
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, posix, resolve, sep } from 'node:path';
import type { HttpAnswer } from './routes.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Files above this size are not served from memory. */
const MAX_STATIC_BYTES = 8 * 1024 * 1024;

/** The file under `root` that `urlPath` names, or null when there is none (or it may not be served). */
export async function serveStatic(root: string, urlPath: string): Promise<HttpAnswer | null> {
  const realRoot = await realpath(resolve(root)).catch(() => null);
  if (realRoot === null) return null;
  const file = await resolveFile(realRoot, urlPath);
  if (file === null) return null;
  const body = await readFile(file);
  return {
    status: 200,
    headers: {
      'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    },
    body,
  };
}

async function resolveFile(root: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const normal = posix.normalize(`/${decoded}`);
  if (normal.split('/').some((part) => part.startsWith('.'))) return null;
  let file = join(root, normal);
  if (file !== root && !file.startsWith(root + sep)) return null;
  const info = await stat(file).catch(() => null);
  if (info?.isDirectory()) file = join(file, 'index.html');
  // A symlink inside the root must not lead outside it.
  const real = await realpath(file).catch(() => null);
  if (real === null || !real.startsWith(root + sep)) return null;
  const target = await stat(real).catch(() => null);
  return target?.isFile() && target.size <= MAX_STATIC_BYTES ? real : null;
}
