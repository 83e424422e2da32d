/**
 * Bookkeeping for child processes the harness starts: each one is killed (SIGKILL) when this
 * process exits or is told to stop (SIGTERM, SIGINT, SIGHUP), so a crashed or cancelled test or
 * bench never leaves redis-server or hub nodes behind.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { constants } from 'node:os';

const live = new Set<ChildProcess>();
let hooked = false;

function killAll(): void {
  for (const c of live) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

/** Kills the children; exits as the signal would have unless someone else also handles it. */
function onSignal(signal: 'SIGTERM' | 'SIGINT' | 'SIGHUP'): void {
  killAll();
  if (process.listenerCount(signal) === 1) process.exit(128 + constants.signals[signal]);
}

/** Registers a child to be killed when this process ends; unregisters it when it exits first. */
export function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (hooked) return;
  hooked = true;
  process.once('exit', killAll);
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, onSignal);
}

/** How a child ended. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Resolves when the child exits (at once if it already has). */
export function exitOf(child: ChildProcess): Promise<ChildExit> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Sends `signal`, then SIGKILL if the child is still alive after `graceMs`; resolves on exit. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals, graceMs: number): Promise<ChildExit> {
  const exited = exitOf(child);
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  const result = await exited;
  clearTimeout(timer);
  return result;
}

/** A reply from a worker child: `fatal` carries why it gave up. */
interface ChildReply {
  type: string;
  message?: string;
}

/**
 * Sends `message` to a worker child and resolves with its first reply of type `answer`; rejects on
 * a `fatal` reply, on the child's exit, or after `timeoutMs`. `what` names the child in errors.
 */
export function askChild<Reply extends ChildReply>(child: ChildProcess, message: { type: string }, answer: Reply['type'], timeoutMs: number, what: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(() => reject(new Error(`${what} process ${String(child.pid)} did not answer ${message.type} within ${String(timeoutMs)} ms`))), timeoutMs);
    const onMessage = (reply: Reply) => {
      if (reply.type === 'fatal') done(() => reject(new Error(`${what} process ${String(child.pid)}: ${reply.message ?? 'failed'}`)));
      else if (reply.type === answer) done(() => resolve(reply));
    };
    const onExit = () => done(() => reject(new Error(`${what} process ${String(child.pid)} exited`)));
    const done = (then: () => void) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      then();
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send(message);
  });
}

/** Worker processes forked to spread client sockets, and each one's share of them. */
export interface WorkerSet {
  children: ChildProcess[];
  /** Per child: how many sockets it opens and the index of its first one. */
  shares: Array<{ count: number; offset: number }>;
}

/**
 * Forks `min(processes, sockets)` tracked TypeScript workers of `script` (run with tsx, advanced
 * IPC serialisation) and splits `sockets` between them as evenly as possible.
 */
export function forkWorkers(script: string, cwd: string, sockets: number, processes: number): WorkerSet {
  const n = Math.max(1, Math.min(processes, sockets));
  const children: ChildProcess[] = [];
  const shares: WorkerSet['shares'] = [];
  let offset = 0;
  for (let p = 0; p < n; p++) {
    const child = fork(script, [], { cwd, execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    track(child);
    children.push(child);
    const count = Math.floor(sockets / n) + (p < sockets % n ? 1 : 0);
    shares.push({ count, offset });
    offset += count;
  }
  return { children, shares };
}
