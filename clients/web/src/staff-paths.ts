/** The paths of the staff device pages, which main.tsx loads on their own. */
export function isStaffPath(pathname: string): boolean {
  return /^\/(gate|locker|desk)(\/|$)/.test(pathname);
}
