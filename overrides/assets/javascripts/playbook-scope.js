/* Material's storage helpers (templates/partials/javascripts/base.html of 9.8.1), moved out of the
   page so that the Content-Security-Policy needs only script-src 'self'. Material computes the
   scope from each page's base_url; this file sits at <site>/assets/javascripts/, so the site root
   is two folders up from its own address, on every page at any depth and any site URL. */
/* eslint-disable */
window.__md_scope = new URL("../../", document.currentScript.src);
window.__md_hash = e => [...e].reduce(((e, _) => (e << 5) - e + _.charCodeAt(0)), 0);
window.__md_get = (e, _ = localStorage, t = __md_scope) => JSON.parse(_.getItem(t.pathname + "." + e));
window.__md_set = (e, _, t = localStorage, a = __md_scope) => { try { t.setItem(a.pathname + "." + e, JSON.stringify(_)) } catch (e) {} };

/* Material writes the colour palette into localStorage on every page load, chosen or not. The
   playbook stores nothing a reader did not ask for (the brief builder promises it): the palette
   is saved only once the reader has switched it. The capture listener runs before Material's own
   change handler, which is the one that calls __md_set. */
(function () {
  var chosen = false;
  document.addEventListener("change", function (event) {
    if (event.target && event.target.name === "__palette") chosen = true;
  }, true);
  var store = window.__md_set;
  window.__md_set = function (key, value, storage, scope) {
    if (key === "__palette" && !chosen) return;
    return store(key, value, storage, scope);
  };
})();
