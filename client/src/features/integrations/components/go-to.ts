/**
 * Leaves the app for another site (an OAuth provider's consent page). Its own module so that
 * tests can replace it: jsdom cannot navigate.
 */
export function goTo(url: string): void {
  window.location.href = url;
}
