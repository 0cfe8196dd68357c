// The sandbox portal's Menus page (real-portal-pages.md §6-8), on top of portal_spa.js: the tab group
// and the saves go through window.portalGo (the view is re-fetched and #root swapped, which also
// closes an open dialog), dialogs use portal_spa.js's modal shape (its close button and Escape close
// them) and its shared colour picker. Delegated handlers only: the markup arrives by swapping.
(function () {
  'use strict';
  if (window.__portalMenus) return;  // wire once
  window.__portalMenus = true;
  function group() { return document.querySelector('div.group__ButtonGroupComponent-dVAWMN[data-menus-url]'); }
  function menusUrl() { return group().dataset.menusUrl; }
  function currentTab() { var b = group().querySelector('button.active'); return b ? b.dataset.menusTab : 'menus'; }
  function show(tab) {
    var url = menusUrl() + (tab === 'menus' ? '' : '?tab=' + tab);
    return window.portalGo(url, 'replace');
  }

  function openDialog(kind) {
    if (document.querySelector('[data-dialog]')) return;
    var tpl = document.getElementById('dialog-' + kind);
    var node = tpl.content.firstElementChild.cloneNode(true);
    document.getElementById('root').appendChild(node);
    var dialog = node.querySelector('[data-dialog]');
    dialog._panes = {};
    dialog.querySelectorAll('form [data-pane]').forEach(function (p) { dialog._panes[p.dataset.pane] = p; });
    showPane(dialog, '1');
  }

  // Only the active pane is in the form (option sets: always at form > div > div:nth-child(1)); a
  // data-stay pane stays and is hidden; a data-keep-slot pane leaves an empty div in its place.
  // Panes taken out are kept, with what was typed, as a React form keeps its state.
  function showPane(dialog, n) {
    var box = dialog.querySelector('form > div');
    Object.keys(dialog._panes).forEach(function (k) {
      var p = dialog._panes[k];
      if (p.hasAttribute('data-stay')) { p.style.display = k === n ? '' : 'none'; return; }
      if (k === n) {
        if (p.hasAttribute('data-keep-slot')) {
          var slot = box.querySelector(':scope > [data-slot]'); if (slot) slot.replaceWith(p);
        } else if (!p.parentElement) box.insertBefore(p, box.firstElementChild);
      } else if (p.parentElement) {
        if (p.hasAttribute('data-keep-slot')) {
          var e = document.createElement('div'); e.setAttribute('data-slot', ''); p.replaceWith(e);
        } else p.remove();
      }
    });
    dialog.querySelectorAll('[id$="-tab-options-tab-select-content"] [data-pane]').forEach(function (t) {
      t.classList.toggle('active', t.dataset.pane === n);
    });
  }

  function formData(dialog) {
    var data = new FormData();
    Object.keys(dialog._panes).forEach(function (k) {
      dialog._panes[k].querySelectorAll('input').forEach(function (i) {
        if (!i.name) return;
        if (i.type !== 'checkbox') { data.append(i.name, i.value); return; }
        if (!i.checked) return;
        if (i.name !== 'items') data.append(i.name, 'on');
        else if (data.getAll('items').indexOf(i.value) < 0) data.append('items', i.value);
      });
    });
    return data;
  }

  function post(dialog, url, data) {
    var error = dialog.querySelector('[data-error]');
    var loader = document.querySelector('.cover-loader');
    error.textContent = '';
    loader.classList.add('active');
    return fetch(url, {method: 'POST', body: data, credentials: 'same-origin'})
      .then(function (r) { return r.json(); })
      .then(function (res) {
        loader.classList.remove('active');
        if (res.error) { error.textContent = res.error; return; }
        return show(currentTab());  // re-renders the tab in place; the swap closes the dialog
      })
      .catch(function () {
        loader.classList.remove('active');
        error.textContent = 'Error: Something went wrong, please try again';
      });
  }

  function addOption(dialog) {
    var tr = document.createElement('tr');
    tr.innerHTML = '<td><span class="cursor">&#8597;</span></td><td><input type="text" name="option_name"></td>' +
      '<td><input type="text" name="option_print_name"></td><td><input type="number" step="0.01" name="option_price"></td>' +
      '<td><input type="checkbox" name="option_disabled"></td><td><button type="button" class="cursor" data-remove-option>×</button></td>';
    dialog.querySelector('tbody').appendChild(tr);
  }

  document.addEventListener('click', function (e) {
    var el = e.target.closest('[data-menus-tab]');
    if (el) { show(el.dataset.menusTab); return; }
    el = e.target.closest('[data-open]');
    if (el && group()) { openDialog(el.dataset.open); return; }
    var dialog = e.target.closest('[data-dialog]');
    if (!dialog || !dialog._panes) return;
    el = e.target.closest('[id$="-tab-options-tab-select-content"] [data-pane]');
    if (el) { showPane(dialog, el.dataset.pane); return; }
    el = e.target.closest('div.cursor.flex-center');
    if (el) {
      var kids = el.parentElement.nextElementSibling;
      kids.style.display = kids.style.display === 'none' ? '' : 'none';
      return;
    }
    el = e.target.closest('label[data-toggle]');
    if (el) {
      e.preventDefault();
      var box = el.querySelector('input');
      box.checked = !box.checked;
      el.querySelector('span.toggle__Text-hUMzRu').textContent = box.checked ? 'On' : 'Off';
      return;
    }
    if (e.target.closest('[data-add-option]')) { addOption(dialog); return; }
    el = e.target.closest('[data-remove-option]');
    if (el) { el.closest('tr').remove(); return; }
    var csv = e.target.closest('[data-csv]');
    if (!csv) return;
    var step = csv.dataset.csv, error = dialog.querySelector('[data-error]');
    if (step === 'proceed') {
      if (dialog.querySelector('[data-step=confirm] input').value.trim().toLowerCase() !== 'import') {
        error.textContent = 'Please type "import" to continue';
        return;
      }
      error.textContent = '';
      dialog.querySelector('[data-step=confirm]').style.display = 'none';
      dialog.querySelector('[data-step=upload]').style.display = '';
    } else if (step === 'choose') {
      dialog.querySelector('input[type=file]').click();
    } else if (step === 'upload') {
      var file = dialog.querySelector('input[type=file]').files[0];
      var data = new FormData();
      if (file) data.append('file', file);
      post(dialog, menusUrl() + '/import', data);
    }
  });

  document.addEventListener('change', function (e) {
    var dialog = e.target.closest('[data-dialog]');
    if (!dialog || !dialog._panes) return;
    if (e.target.type === 'file') {
      dialog.querySelector('[data-csv=filename]').textContent = e.target.files.length ? e.target.files[0].name : '';
    } else if (e.target.name === 'items') {
      // one item listed twice (e.g. also under "Featured Items") is one item: both boxes follow (OS:61-62)
      dialog.querySelectorAll('input[name=items]').forEach(function (b) {
        if (b.value === e.target.value) b.checked = e.target.checked;
      });
    }
  });

  document.addEventListener('input', function (e) {
    var dialog = e.target.closest('[data-dialog]');
    if (!dialog || e.target.name !== 'name') return;
    var preview = dialog.querySelector('[data-tag-preview]');
    if (preview) preview.textContent = e.target.value;
  });

  document.addEventListener('submit', function (e) {
    var dialog = e.target.closest('[data-dialog]');
    if (!dialog || !dialog._panes) return;
    e.preventDefault();
    post(dialog, dialog.dataset.action, formData(dialog));
  });
})();
