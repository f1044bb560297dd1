/* Zensical's search (bundle of 0.0.73) styles its panel with a <style> element put into a shadow
   root, which the fixed Content-Security-Policy (style-src 'self') blocks. Loaded before the
   bundle, this hands such a style's text to the shadow root as a constructed stylesheet instead
   (CSSOM, which the policy allows), so the panel keeps its look and no inline style runs. */
(() => {
  const append = ShadowRoot.prototype.appendChild;
  ShadowRoot.prototype.appendChild = function (node) {
    if (node instanceof HTMLStyleElement && "adoptedStyleSheets" in this) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(node.textContent || "");
      this.adoptedStyleSheets = [...this.adoptedStyleSheets, sheet];
      return node;
    }
    return append.call(this, node);
  };
})();
