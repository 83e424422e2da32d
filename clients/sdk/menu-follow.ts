/**
 * The menu as one client follows it, in the order of its revisions (`version`), so a screen
 * never shows an older menu after a newer one and notices when it missed a change:
 *
 *   menu:subscribe answer, menu:updated {version, menu}  newer than the menu held ─▶ shown whole
 *   menu:changed {version}   the next revision ─▶ applied · not newer ─▶ dropped
 *                            a gap (it missed one) ─▶ the whole menu asked again
 *   changes heard while the menu is being asked ─▶ held, then taken in order after the answer
 *   reconnect ─▶ the whole menu asked again (an 86 while away was missed)
 *
 * The hub joins the socket to the menu's room before it reads the menu, so a change can arrive
 * before the answer that may or may not hold it: the version tells.
 */
import type { MenuChanged, MenuUpdated, MenuView } from '../../machines/contract/wire.js';
import type { HubResult } from './codes.js';

/** Receives the whole menu and every 86 and return. */
export interface MenuWatcher {
  onMenu(menu: MenuView): void;
  onChange(change: MenuChanged): void;
}

/** The menu followed by every watcher of one client. */
export interface MenuFollow {
  /** Adds a watcher and asks for the menu; the answer resolves `ready` and goes to every watcher. */
  add(watcher: MenuWatcher): Promise<HubResult<MenuView>>;
  /** Removes a watcher; answers whether none is left (the hub may be told to stop). */
  remove(watcher: MenuWatcher): boolean;
  /** The whole menu again (after a reconnect), when anyone watches. */
  reload(): void;
  /** A `menu:changed` push. */
  changed(change: MenuChanged): void;
  /** A `menu:updated` push. */
  updated(update: MenuUpdated): void;
  /** The revision of the menu the watchers were last given (undefined before the first answer). */
  version(): number | undefined;
}

/** Creates the follower over `ask` (the `menu:subscribe` call). */
export function createMenuFollow(ask: () => Promise<HubResult<MenuView>>): MenuFollow {
  const watchers = new Set<MenuWatcher>();
  let known: number | undefined;
  let asking: Promise<HubResult<MenuView>> | undefined;
  let again = false;
  let held: MenuChanged[] = [];

  /** Gives every watcher a menu newer than the one they hold (the same one too when `orSame`). */
  function show(view: MenuView, orSame: boolean): boolean {
    if (known !== undefined && (view.version < known || (view.version === known && !orSame))) return false;
    known = view.version;
    for (const watcher of watchers) watcher.onMenu(view);
    return true;
  }

  function changed(change: MenuChanged): void {
    if (watchers.size === 0) return;
    if (asking !== undefined || known === undefined) {
      held.push(change);
      if (asking === undefined) void load();
      return;
    }
    if (change.version <= known) return;
    if (change.version === known + 1) {
      known = change.version;
      for (const watcher of watchers) watcher.onChange(change);
      return;
    }
    // A change in between never arrived: the menu as it is now, then what came after it.
    held.push(change);
    void load();
  }

  function load(): Promise<HubResult<MenuView>> {
    if (asking !== undefined) {
      again = true;
      return asking;
    }
    const current = ask().then((answer) => {
      asking = undefined;
      // An answer older than a push already shown (it was read before that change): ask once more.
      if (answer.ok && !show(answer.data, true)) again = true;
      const pending = held.sort((a, b) => a.version - b.version);
      held = [];
      if (again) {
        again = false;
        held = pending;
        if (watchers.size > 0) void load();
      } else {
        for (const change of pending) changed(change);
      }
      return answer;
    });
    asking = current;
    return current;
  }

  return {
    add(watcher) {
      watchers.add(watcher);
      return load();
    },
    remove(watcher) {
      return watchers.delete(watcher) && watchers.size === 0;
    },
    reload() {
      if (watchers.size > 0) void load();
    },
    changed,
    updated(update) {
      show({ ...update.menu, version: update.version }, false);
    },
    version: () => known,
  };
}
