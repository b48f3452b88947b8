/**
 * Markdown to safe HTML: marked renders, DOMPurify removes scripts, event handlers, frames,
 * forms and styles; images are kept only from data: URLs (no remote content, no tracking
 * pixels); links only to http(s) and open nowhere inside the app. {{Signal}} becomes a
 * placeholder span the widget fills with the live value.
 */
import { marked } from 'marked';
import DOMPurify from 'dompurify';
import { replaceInline } from '../../../../app/shared/dashboards/template';

const escapeAttr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

let hooked = false;
function hook(): void {
  if (hooked) return;
  hooked = true;
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'IMG' && !/^data:image\//i.test(node.getAttribute('src') ?? '')) {
      node.setAttribute('data-blocked-src', node.getAttribute('src') ?? '');
      node.removeAttribute('src');
      node.setAttribute('alt', `${node.getAttribute('alt') ?? 'image'} (remote images are not loaded)`);
    }
    if (node.tagName === 'A') {
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
  });
}

export function renderMarkdown(text: string): string {
  hook();
  const withPlaceholders = replaceInline(text, (name) => `<span class="live-inline" data-live="${escapeAttr(name)}">—</span>`);
  const html = marked.parse(withPlaceholders, { async: false, gfm: true, breaks: true }) as string;
  return DOMPurify.sanitize(html, {
    FORBID_TAGS: ['script', 'style', 'iframe', 'object', 'embed', 'form', 'input', 'link', 'meta', 'base', 'svg', 'math', 'video', 'audio', 'source'],
    FORBID_ATTR: ['style', 'srcset'],
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|data:image\/(?:png|jpeg|gif|webp);|#)/i,
  });
}
