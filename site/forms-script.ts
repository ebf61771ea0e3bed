/**
 * GET /forms.js: the embeddable form script, plain ES2019 with no framework, no cookies and no storage.
 * It lives as a string here (not as a .js file) so that esbuild bundles it into the site-assets Lambda
 * without a loader; it contains no backtick and no `${`, so the template literal is the exact script text.
 *
 * A form opts in with data-leadpipe="newsletter|download|contact" and an absolute action URL. Without
 * JavaScript the same form posts and gets the thank-you page; with it, the script posts JSON and shows
 * success, the download link and field errors inline (aria-invalid + aria-describedby).
 */
export const FORMS_SCRIPT = String.raw`/* leadpipe forms.js: progressive enhancement for
   <form data-leadpipe="newsletter|download|contact"> */
(function () {
  'use strict';
  var TEXT = {
    de: {
      sending: 'Wird gesendet \u2026',
      newsletter: 'Fast geschafft! Wir haben Ihnen eine E-Mail geschickt. Bitte bestätigen Sie Ihre Anmeldung mit dem Link darin.',
      download: 'Ihr Dokument ist bereit.',
      downloadLink: 'Dokument herunterladen',
      downloadMailed: 'Wir haben Ihnen den Link auch per E-Mail geschickt; er gilt 24 Stunden.',
      contact: 'Danke für Ihre Nachricht! Sie erhalten gleich eine Eingangsbestätigung per E-Mail. ' +
        'Wir melden uns in der Regel innerhalb eines Werktags bei Ihnen.',
      optIn: 'Bitte bestätigen Sie außerdem Ihre Einwilligung über den Link in der E-Mail, die wir Ihnen geschickt haben.',
      fix: 'Bitte prüfen Sie die markierten Felder.',
      tooMany: 'Gerade kamen zu viele Anfragen. Bitte versuchen Sie es später erneut.',
      failed: 'Das hat leider nicht geklappt. Bitte versuchen Sie es später erneut.'
    },
    en: {
      sending: 'Sending \u2026',
      newsletter: 'Almost done! We have sent you an email. Please confirm your subscription with the link in it.',
      download: 'Your document is ready.',
      downloadLink: 'Download the document',
      downloadMailed: 'We have also emailed you the link; it works for 24 hours.',
      contact: 'Thank you for your message! You will get an acknowledgement by email shortly. ' +
        'We usually get back to you within one working day.',
      optIn: 'Please also confirm your consent with the link in the email we have sent you.',
      fix: 'Please check the marked fields.',
      tooMany: 'There have been too many requests just now. Please try again later.',
      failed: 'That did not work, sorry. Please try again later.'
    }
  };
  var counter = 0;

  function localeOf(form) {
    var field = form.elements.namedItem('locale');
    var lang = (field && field.value) || form.getAttribute('lang') || document.documentElement.lang || 'de';
    return lang.slice(0, 2).toLowerCase() === 'en' ? 'en' : 'de';
  }

  function make(tag, className, text) {
    var element = document.createElement(tag);
    if (className) element.className = className;
    if (text) element.textContent = text;
    return element;
  }

  function fieldsOf(form) {
    var data = {};
    for (var i = 0; i < form.elements.length; i += 1) {
      var el = form.elements[i];
      if (!el.name || el.disabled || el.type === 'submit' || el.type === 'button') continue;
      if (el.type === 'checkbox') data[el.name] = el.checked;
      else if (el.type === 'radio') { if (el.checked) data[el.name] = el.value; }
      else data[el.name] = el.value;
    }
    if (!('page' in data)) data.page = location.href;
    if (!('referrer' in data) && document.referrer) data.referrer = document.referrer;
    return data;
  }

  function clearErrors(form) {
    var old = form.querySelectorAll('[data-leadpipe-error]');
    for (var i = 0; i < old.length; i += 1) {
      var id = old[i].id;
      var field = form.querySelector('[aria-describedby~="' + id + '"]');
      if (field) {
        field.removeAttribute('aria-invalid');
        var rest = field.getAttribute('aria-describedby').split(' ').filter(function (x) { return x && x !== id; }).join(' ');
        if (rest) field.setAttribute('aria-describedby', rest); else field.removeAttribute('aria-describedby');
      }
      old[i].parentNode.removeChild(old[i]);
    }
  }

  function showFieldErrors(form, status, messages) {
    var first = null;
    var prefix = form.getAttribute('data-leadpipe-id');
    Object.keys(messages).forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (!field || !field.setAttribute) return;
      var error = make('p', 'leadpipe-error', messages[name]);
      error.id = prefix + '-' + name.replace(/[^A-Za-z0-9_-]/g, '') + '-error';
      error.setAttribute('data-leadpipe-error', '');
      var anchor = field.type === 'checkbox' && field.closest('label') ? field.closest('label') : field;
      anchor.parentNode.insertBefore(error, anchor.nextSibling);
      field.setAttribute('aria-invalid', 'true');
      var described = field.getAttribute('aria-describedby');
      field.setAttribute('aria-describedby', described ? described + ' ' + error.id : error.id);
      if (!first) first = field;
    });
    if (first) first.focus();
  }

  function showSuccess(form, kind, body, text, optIn) {
    var box = make('div', 'leadpipe-success');
    box.setAttribute('role', 'status');
    box.setAttribute('tabindex', '-1');
    box.appendChild(make('p', '', text[kind]));
    if (kind === 'download' && typeof body.downloadUrl === 'string' && /^https?:\/\//.test(body.downloadUrl)) {
      var p = make('p');
      var link = make('a', 'leadpipe-download', text.downloadLink);
      link.href = body.downloadUrl;
      p.appendChild(link);
      box.appendChild(p);
      box.appendChild(make('p', '', text.downloadMailed));
    }
    if (optIn && kind !== 'newsletter') box.appendChild(make('p', '', text.optIn));
    form.parentNode.insertBefore(box, form);
    form.hidden = true;
    box.focus();
  }

  function submit(form, event) {
    event.preventDefault();
    var kind = form.getAttribute('data-leadpipe');
    var text = TEXT[localeOf(form)];
    var status = form.querySelector('[data-leadpipe-status]');
    var buttons = form.querySelectorAll('button, input[type=submit]');
    var data = fieldsOf(form);
    clearErrors(form);
    status.textContent = text.sending;
    for (var i = 0; i < buttons.length; i += 1) buttons[i].disabled = true;
    form.setAttribute('aria-busy', 'true');
    fetch(form.action, {
      method: 'POST',
      credentials: 'omit',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'accept-language': localeOf(form) },
      body: JSON.stringify(data)
    })
      .then(function (response) {
        return response.json().then(
          function (body) { return { status: response.status, body: body || {} }; },
          function () { return { status: response.status, body: {} }; }
        );
      })
      .then(function (result) {
        var error = result.body.error || {};
        if (result.status === 200) {
          status.textContent = '';
          showSuccess(form, kind, result.body, text, data.marketingConsent === true);
        } else if (result.status === 400 && (error.messages || error.fields)) {
          status.textContent = text.fix;
          showFieldErrors(form, status, error.messages || error.fields);
        } else {
          status.textContent = result.status === 429 ? text.tooMany : text.failed;
        }
      }, function () {
        status.textContent = text.failed;
      })
      .then(function () {
        for (var j = 0; j < buttons.length; j += 1) buttons[j].disabled = false;
        form.removeAttribute('aria-busy');
      });
  }

  function enhance(form) {
    if (form.getAttribute('data-leadpipe-id')) return;
    counter += 1;
    form.setAttribute('data-leadpipe-id', 'leadpipe-' + counter);
    if (!form.querySelector('[data-leadpipe-status]')) {
      var status = make('p', 'leadpipe-status');
      status.setAttribute('data-leadpipe-status', '');
      status.setAttribute('role', 'status');
      status.setAttribute('aria-live', 'polite');
      form.appendChild(status);
    }
    form.addEventListener('submit', function (event) { submit(form, event); });
  }

  function start() {
    if (!window.fetch || !window.JSON) return;
    var forms = document.querySelectorAll('form[data-leadpipe]');
    for (var i = 0; i < forms.length; i += 1) enhance(forms[i]);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
`;
