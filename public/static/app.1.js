// Acme pages: progressive enhancement only (every form works without this file).
// - inline validation: errors appear next to their field, in an aria-live region that the field's
//   aria-describedby names, instead of the browser's bubbles; the first invalid field gets focus;
// - a "show password" button on every password field.
(function () {
  'use strict';
  var pt = (document.documentElement.lang || '').toLowerCase().indexOf('pt') === 0;
  var text = pt ? {
    required: 'Preencha este campo.',
    tooShort: 'Use pelo menos {n} caracteres.',
    tooLong: 'Use no máximo {n} caracteres.',
    email: 'Informe um e-mail como nome@exemplo.com.',
    invalid: 'Verifique este campo.',
    show: 'Mostrar', hide: 'Ocultar', showLabel: 'Mostrar senha', hideLabel: 'Ocultar senha'
  } : {
    required: 'Fill in this field.',
    tooShort: 'Use at least {n} characters.',
    tooLong: 'Use at most {n} characters.',
    email: 'Enter an email like name@example.com.',
    invalid: 'Check this field.',
    show: 'Show', hide: 'Hide', showLabel: 'Show password', hideLabel: 'Hide password'
  };

  function message(input) {
    var v = input.validity;
    if (v.valueMissing) return text.required;
    if (v.tooShort || (input.minLength > 0 && input.value.length > 0 && input.value.length < input.minLength))
      return text.tooShort.replace('{n}', input.minLength);
    if (v.tooLong) return text.tooLong.replace('{n}', input.maxLength);
    if (v.typeMismatch && input.type === 'email') return text.email;
    if (!v.valid) return text.invalid;
    return '';
  }

  // The error region of a field: the one the server rendered, or an empty live region made now
  // (a live region must exist before its text changes for screen readers to announce it).
  function region(input) {
    var id = input.id + '-error';
    var el = document.getElementById(id);
    if (!el) {
      el = document.createElement('p');
      el.id = id;
      el.className = 'field-error';
      el.hidden = true;
      (input.closest('.field') || input.parentNode).appendChild(el);
    }
    el.setAttribute('aria-live', 'polite');
    return el;
  }

  // Shows or clears the field's own error; returns true when the field is valid.
  function check(input) {
    var msg = message(input);
    var el = region(input);
    if (msg) {
      el.textContent = msg;
      el.hidden = false;
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', el.id);
    } else {
      el.textContent = '';
      el.hidden = true;
      input.removeAttribute('aria-invalid');
      input.removeAttribute('aria-describedby');
    }
    return !msg;
  }

  function enhanceForm(form) {
    var inputs = Array.prototype.filter.call(form.elements, function (el) {
      return el.tagName === 'INPUT' && el.type !== 'hidden' && el.id;
    });
    if (!inputs.length) return;
    form.noValidate = true;  // our messages replace the browser's bubbles
    // Checked on submit, then again as the person types into a field marked invalid. Not on
    // blur: a message appearing then moves the submit button under the pointer mid-click.
    inputs.forEach(function (input) {
      region(input);
      input.addEventListener('input', function () {
        if (input.getAttribute('aria-invalid') === 'true') check(input);
      });
    });
    form.addEventListener('submit', function (event) {
      var firstBad = null;
      inputs.forEach(function (input) { if (!check(input) && !firstBad) firstBad = input; });
      if (firstBad) {
        event.preventDefault();
        firstBad.focus();
      }
    });
  }

  function addReveal(input) {
    var wrap = document.createElement('div');
    wrap.className = 'reveal-wrap';
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'reveal';
    button.textContent = text.show;
    button.setAttribute('aria-label', text.showLabel);
    button.setAttribute('aria-controls', input.id);
    button.addEventListener('click', function () {
      var shown = input.type === 'password';
      input.type = shown ? 'text' : 'password';
      button.textContent = shown ? text.hide : text.show;
      button.setAttribute('aria-label', shown ? text.hideLabel : text.showLabel);
    });
    wrap.appendChild(button);
  }

  Array.prototype.forEach.call(document.querySelectorAll('input[type="password"]'), addReveal);
  Array.prototype.forEach.call(document.querySelectorAll('form'), enhanceForm);
})();
