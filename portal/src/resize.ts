/**
 * Inside an iframe, tells the host page how tall the portal is, in the message svix-react's <AppPortal>
 * listens for, so the frame grows with its content instead of scrolling inside the host.
 */
export const RESIZE_MESSAGE_TYPE = 'svix.iframe-resizer-height';

export function reportHeightToParent(win: Window): void {
  if (win.parent === win) return;
  let last = -1;
  const post = (): void => {
    const height = Math.ceil(win.document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    // The height is not a secret, and the host's origin is not known to the page: any parent may read it.
    win.parent.postMessage({ type: RESIZE_MESSAGE_TYPE, height }, '*');
  };
  new ResizeObserver(post).observe(win.document.documentElement);
  post();
}
