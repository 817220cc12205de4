// The dashboard's action forms (web/forms.ts renders them). Each form posts JSON
// to the same API route a client would call, with the session cookie; the
// server's answer decides everything, this script only collects the fields and
// shows the answer in Vietnamese. Served from /dashboard/assets/forms.js so the
// Content-Security-Policy (script-src 'self') holds.
(function () {
  'use strict';

  /** A fresh Idempotency-Key; kept across a retry after a network failure so the step is not applied twice. */
  function newKey() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, function (b) { return b.toString(16).padStart(2, '0'); }).join('');
  }

  /** "12,5" or "12.5" → 1250 hundredths; null when empty; NaN when not a number. */
  function toCenti(text) {
    var clean = String(text).trim().replace(/\s/g, '').replace(',', '.');
    if (clean === '') return null;
    if (!/^\d+(\.\d{0,2})?$/.test(clean)) return NaN;
    return Math.round(Number(clean) * 100);
  }

  function setPath(target, path, value) {
    var keys = path.split('.');
    var node = target;
    keys.slice(0, -1).forEach(function (key, i) {
      if (node[key] === undefined) node[key] = /^\d+$/.test(keys[i + 1]) ? [] : {};
      node = node[key];
    });
    node[keys[keys.length - 1]] = value;
  }

  /** Drops optional parts left empty: empty objects and the holes they leave in arrays. */
  function prune(value) {
    if (Array.isArray(value)) return value.map(prune).filter(function (item) { return item !== undefined; });
    if (value && typeof value === 'object') {
      var out = {};
      Object.keys(value).forEach(function (key) {
        var pruned = prune(value[key]);
        if (pruned !== undefined) out[key] = pruned;
      });
      return Object.keys(out).length ? out : undefined;
    }
    return value;
  }

  function evidenceOf(list) {
    return Array.from(list.querySelectorAll('li[data-ref]')).map(function (item) {
      return { name: item.getAttribute('data-name'), ref: item.getAttribute('data-ref') };
    });
  }

  /**
   * A text area typed one item per line: each non-empty line parsed, a header row
   * left out when `isHeader` says so. The line numbers are kept on the field, for
   * error messages (labelOf).
   */
  function perLine(field, parse, isHeader) {
    var entries = field.value.split(/\r?\n/).map(function (text, index) { return { text: text.trim(), line: index + 1 }; })
      .filter(function (entry) { return entry.text !== ''; });
    if (isHeader && entries.length && isHeader(entries[0].text)) entries.shift();
    field.__lines = entries.map(function (entry) { return entry.line; });
    return entries.map(function (entry) { return parse(entry.text); });
  }

  /** A header row copied along with a table of units. */
  function isUnitHeader(text) {
    return /^(mã|ma|code|unit_code|ma_don_vi|mã đơn vị)$/i.test(text.split(/[\t,]/)[0].trim());
  }

  /** A unit pasted from a spreadsheet: code, name, group, split by tabs, else by commas (a name may hold commas). */
  function parseUnit(text) {
    var cells = (text.indexOf('\t') >= 0 ? text.split('\t') : text.split(',')).map(function (cell) { return cell.trim(); });
    var unit = { code: cells[0] };
    if (cells.length > 1) unit.name_vi = cells.slice(1, Math.max(2, cells.length - 1)).join(', ');
    if (cells.length > 2) unit.group = cells[cells.length - 1];
    return unit;
  }

  /** A contributor: "VP: 3" or "TTTP: 3, 5". */
  function parseOwner(text) {
    var colon = text.indexOf(':');
    var areas = colon < 0 ? '' : text.slice(colon + 1);
    return {
      unit: (colon < 0 ? text : text.slice(0, colon)).trim(),
      areas_owned: areas.split(',').map(function (part) { return part.trim(); }).filter(Boolean)
    };
  }

  /** A reminder offset as typed: a whole number of days ("7" → "P7D"), or an ISO duration kept as written ("PT30S"). */
  function toOffset(text) {
    return /^\d+$/.test(text) ? 'P' + text + 'D' : text;
  }

  /** A day as dd/mm/yyyy (or already yyyy-mm-dd); anything else is sent as typed and refused with its line. */
  function parseDay(text) {
    var day = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
    return day ? day[3] + '-' + day[2].padStart(2, '0') + '-' + day[1].padStart(2, '0') : text;
  }

  /** A person: "Họ tên <thư@điện.tử>". */
  function parsePerson(text) {
    var person = /^(.*?)\s*<([^>]+)>$/.exec(text);
    return person ? { name: person[1], email: person[2].trim() } : { name: text };
  }

  /** A generic form: each named field at its dotted path; data-type int, bool, csv, units, owners, offset(s), dates or people converts; data-optional drops it when empty, data-empty-null sends null. */
  function collect(form) {
    var body = {};
    Array.from(form.elements).forEach(function (field) {
      // A repeat of another field (the new password typed twice) is checked here, not sent.
      if (!field.name || field.disabled || field.hasAttribute('data-url-param') || field.hasAttribute('data-same-as')) return;
      if ((field.type === 'radio' || field.type === 'checkbox') && !field.checked) return;
      var value = field.value.trim();
      if (value === '' && field.hasAttribute('data-optional')) return;
      // A change form's choice left empty clears what was set (an account's unit when it moves to an organisation).
      if (value === '' && field.hasAttribute('data-empty-null')) {
        setPath(body, field.name, null);
        return;
      }
      var type = field.getAttribute('data-type');
      if (type === 'int') value = value === '' ? null : Number(value);
      if (type === 'bool') value = value === 'true';
      if (type === 'csv') value = value.split(',').map(function (part) { return part.trim(); }).filter(Boolean);
      if (type === 'units') value = perLine(field, parseUnit, isUnitHeader);
      if (type === 'owners') value = perLine(field, parseOwner);
      if (type === 'offset') value = toOffset(value);
      if (type === 'offsets') value = value.split(',').map(function (part) { return part.trim(); }).filter(Boolean).map(toOffset);
      if (type === 'dates') value = perLine(field, parseDay);
      if (type === 'people') value = perLine(field, parsePerson);
      // name[] collects every checked box of that name into one array.
      if (/\[\]$/.test(field.name)) {
        var path = field.name.slice(0, -2);
        var list = body[path] || (body[path] = []);
        list.push(value);
        return;
      }
      setPath(body, field.name, value);
    });
    form.querySelectorAll('ul[data-evidence-list][data-field]').forEach(function (list) {
      setPath(body, list.getAttribute('data-field'), evidenceOf(list));
    });
    return prune(body) || {};
  }

  function show(form, text, kind, lines) {
    var box = form.querySelector('.form-message');
    box.className = 'form-message ' + (kind || '');
    box.textContent = text;
    if (lines && lines.length) {
      var list = document.createElement('ul');
      lines.forEach(function (line) {
        var item = document.createElement('li');
        item.textContent = line;
        list.appendChild(item);
      });
      box.appendChild(list);
    }
  }

  /** Sends one request; resolves to { ok, status, body }; a network failure keeps the Idempotency-Key for the retry. */
  function send(form, method, url, body) {
    if (!form.__key) form.__key = newKey();
    return fetch(url, {
      method: method,
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'idempotency-key': form.__key },
      body: JSON.stringify(body)
    }).then(function (response) {
      if (response.status !== 503) form.__key = undefined;
      return response.json().catch(function () { return {}; }).then(function (json) {
        return { ok: response.ok, status: response.status, body: json };
      });
    });
  }

  /** The API's issue paths start with the request part ("body"); what the user filled in is the rest. */
  function fieldPath(path) {
    return path[0] === 'body' ? path.slice(1) : path;
  }

  /** A field's path in the words of its label ("Văn bản hướng dẫn"), or the path when no label names it. */
  function labelOf(form, path) {
    var parts = fieldPath(path);
    var list = typeof parts[1] === 'number' && form.querySelector('[name="' + parts[0] + '"]');
    // An item of a list typed one per line (units, contributors, holidays): its line in the text area.
    if (list && list.__lines) return list.getAttribute('data-row-label') + ', dòng ' + list.__lines[parts[1]];
    var name = parts.join('.');
    // An item of a list typed in one field (the reminder days) is named by that field.
    var field = (name && form.querySelector('[name="' + name + '"]')) || list;
    var label = field && field.closest('label');
    return label && label.firstChild ? label.firstChild.textContent.trim() : name;
  }

  function issueLines(form, body, describePath) {
    return (body.issues || []).map(function (issue) {
      var where = describePath ? describePath(fieldPath(issue.path)) : labelOf(form, issue.path);
      // Messages that already name their sub-criterion or field need no prefix.
      return where && issue.message_vi.indexOf(where) === -1 ? where + ': ' + issue.message_vi : issue.message_vi;
    });
  }

  /** Each issue that names a field of this form is also said under that field; the marks of the last answer go first. */
  function markFields(form, issues) {
    form.querySelectorAll('.field-error').forEach(function (node) { node.remove(); });
    form.querySelectorAll('[aria-invalid]').forEach(function (field) { field.removeAttribute('aria-invalid'); });
    (issues || []).forEach(function (issue) {
      var name = fieldPath(issue.path || []).join('.');
      var field = name && form.querySelector('[name="' + CSS.escape(name) + '"]');
      if (!field) return;
      field.setAttribute('aria-invalid', 'true');
      var said = form.querySelector('[data-field-error="' + CSS.escape(name) + '"]');
      var words = withoutFieldNames(form, issue.message_vi);
      if (said) {
        said.textContent += '; ' + words;
        return;
      }
      var note = document.createElement('span');
      note.className = 'field-error';
      note.setAttribute('data-field-error', name);
      note.textContent = words;
      field.after(note);
    });
  }

  /** The API names a field in brackets for its clients ("… (unit_code)"); on the page the field itself is marked, so the name goes. */
  function withoutFieldNames(form, text) {
    return text.replace(/ \(([a-z_]+)\)/g, function (whole, name) {
      return form.querySelector('[name="' + name + '"]') ? '' : whole;
    });
  }

  function failed(form, result, describePath) {
    var text = result.body.message_vi || 'Không thực hiện được (mã ' + result.status + ')';
    markFields(form, result.body.issues);
    show(form, withoutFieldNames(form, text), 'error', issueLines(form, result.body, describePath).map(function (line) {
      return withoutFieldNames(form, line);
    }));
  }

  /** yyyy-mm-ddTHH:MM:SS+07:00 (the API's Vietnam time) as HH:MM dd/mm/yyyy. */
  function vietnamTime(iso) {
    return iso.slice(11, 16) + ' ' + iso.slice(8, 10) + '/' + iso.slice(5, 7) + '/' + iso.slice(0, 4);
  }

  /**
   * A new or reset account's one-time password: shown here this once (only its hash is
   * stored), so the page is not reloaded under it.
   */
  function showCredential(form, body) {
    show(form, 'Mật khẩu dùng một lần của tài khoản ' + body.account.username + ': ', 'ok credential');
    var box = form.querySelector('.form-message');
    var secret = document.createElement('strong');
    secret.className = 'otp';
    secret.setAttribute('data-testid', 'one-time-password');
    secret.textContent = body.one_time_password;
    box.appendChild(secret);
    var note = document.createElement('p');
    note.textContent = 'Dùng được một lần, đến ' + vietnamTime(body.one_time_password_expires_at) +
      '. Mật khẩu chỉ hiện lần này: hãy ghi lại và trao cho người dùng; lần đăng nhập đầu tiên người dùng phải đặt mật khẩu mới.';
    box.appendChild(note);
    var again = document.createElement('a');
    again.href = window.location.href;
    again.textContent = 'Cập nhật danh sách';
    box.appendChild(again);
  }

  /** Fields that must repeat another (a new password typed twice): false, with the field marked, when one does not. */
  function repeatsMatch(form) {
    var wrong = Array.from(form.querySelectorAll('[data-same-as]')).filter(function (field) {
      return field.value !== form.elements[field.getAttribute('data-same-as')].value;
    });
    markFields(form, wrong.map(function (field) { return { path: [field.name], message_vi: field.getAttribute('data-mismatch') }; }));
    if (wrong.length) show(form, wrong[0].getAttribute('data-mismatch'), 'error');
    return wrong.length === 0;
  }

  function offline(form) {
    show(form, 'Không kết nối được máy chủ; bấm lại để gửi lại (yêu cầu sẽ không bị thực hiện hai lần).', 'error');
  }

  function busy(form, on) {
    form.querySelectorAll('button').forEach(function (button) { button.disabled = on; });
  }

  // Generic JSON forms: data-method, data-url; on success the page reloads to show the new state.
  document.querySelectorAll('form[data-json]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var confirmText = form.getAttribute('data-confirm');
      if (confirmText && !window.confirm(confirmText)) return;
      if (!repeatsMatch(form)) return;
      busy(form, true);
      show(form, 'Đang gửi…');
      // {name} in the URL is the value of the field of that name (e.g. the source campaign).
      var url = form.getAttribute('data-url').replace(/\{(\w+)\}/g, function (_, name) { return encodeURIComponent(form.elements[name].value); });
      send(form, form.getAttribute('data-method') || 'POST', url, collect(form))
        .then(function (result) {
          if (!result.ok) return failed(form, result);
          markFields(form, []);
          if (form.hasAttribute('data-credential')) return showCredential(form, result.body);
          show(form, form.getAttribute('data-done') || 'Đã ghi nhận.', 'ok');
          var go = form.getAttribute('data-go');
          if (go === 'campaign') window.location.assign('/dashboard/campaigns/' + encodeURIComponent(result.body.campaign_id));
          // A dashboard address the page names (where the person was going before a forced password change).
          else if (go && go.indexOf('/dashboard') === 0) window.setTimeout(function () { window.location.assign(go); }, 600);
          else reloadSoon();
        })
        .catch(function () { offline(form); })
        .finally(function () { busy(form, false); });
    });
  });

  // Evidence file inputs: upload at once, then list the file as { name, ref } for the form it belongs to.
  document.querySelectorAll('input[type=file][data-upload-url]').forEach(function (input) {
    input.addEventListener('change', function () {
      var file = input.files && input.files[0];
      if (!file) return;
      var list = document.getElementById(input.getAttribute('data-list'));
      var status = input.parentElement.querySelector('.upload-status');
      var data = new FormData();
      data.append('file', file, file.name);
      status.textContent = 'Đang tải lên ' + file.name + '…';
      fetch(input.getAttribute('data-upload-url'), { method: 'POST', credentials: 'same-origin', body: data })
        .then(function (response) {
          return response.json().then(function (body) {
            if (!response.ok) {
              status.textContent = body.message_vi || 'Tải lên không thành công';
              return;
            }
            status.textContent = 'Đã tải lên ' + body.name;
            input.value = '';
            if (list) addEvidence(list, body.name, body.ref);
            if (input.hasAttribute('data-reload')) window.location.reload();
          });
        })
        .catch(function () { status.textContent = 'Không kết nối được máy chủ'; });
    });
  });

  /**
   * What each kind of file import (the form's data-import) says when the file is taken, and
   * where each problem is: the survey's messages already name their row and column; a
   * framework workbook's issues are placed by sheet, row and column, a JSON file's by path.
   */
  var IMPORTS = {
    survey: {
      done: function (body) {
        var summary = body.summary;
        return (body.created ? 'Đã nhập ' : 'Tệp này đã được nhập trước đó: ') + summary.file_rows + ' dòng, ' + summary.respondents + ' người trả lời, ' + summary.valid_answers + ' câu trả lời hợp lệ.';
      },
      where: function () { return ''; }
    },
    framework: {
      done: function (body) {
        var which = body.code + ', phiên bản ' + body.version;
        return body.created ? 'Đã nhập bộ tiêu chí ' + which + '.' : 'Bộ tiêu chí này đã có trong thư viện (' + which + '); không thêm phiên bản mới.';
      },
      where: sheetRowColumn
    },
    onboarding: {
      done: function (body) {
        var counts = [['Tổ chức', body.organisations], ['Đơn vị', body.units], ['Tài khoản', body.accounts]]
          .filter(function (entry) { return entry[1]; })
          .map(function (entry) { return entry[0] + ': ' + entry[1].created.length + ' mới, ' + entry[1].updated.length + ' cập nhật, ' + entry[1].unchanged + ' không đổi'; });
        return (body.message_vi || 'Đã nhập tệp.') + (counts.length ? ' (' + counts.join('; ') + ')' : '') + '.';
      },
      // New accounts' one-time passwords, answered once inside the answer.
      file: function (body) { return body.credentials; },
      where: sheetRowColumn,
      // A workbook of a hundred units and their accounts: its problems as a table, each at its row.
      table: true
    }
  };

  /** A workbook's issue is [sheet, row, column]; a JSON file's path never has a number second (its top level holds no list), so it is shown as the path it is. */
  function sheetRowColumn(path) {
    if (typeof path[1] !== 'number') return path.join('.');
    return 'Trang ' + path[0] + ', dòng ' + path[1] + (path[2] !== undefined ? ', cột ' + path[2] : '');
  }

  function cell(row, text) {
    var node = document.createElement('td');
    node.textContent = text;
    row.appendChild(node);
    return node;
  }

  /**
   * A refused workbook's problems as a table in the order of the workbook: by sheet, then row, then
   * column, each row of the workbook once with every problem found in it.
   */
  function issueTable(form, issues) {
    var rows = new Map();
    var sheets = [];
    issues.forEach(function (issue) {
      var path = fieldPath(issue.path || []);
      var sheet = typeof path[0] === 'string' ? path[0] : '';
      var line = typeof path[1] === 'number' ? path[1] : null;
      var key = sheet + '\u0000' + (line === null ? '' : line);
      if (sheets.indexOf(sheet) < 0) sheets.push(sheet);
      if (!rows.has(key)) rows.set(key, { sheet: sheets.indexOf(sheet), line: line, problems: [] });
      var text = withoutPlace(issue.message_vi);
      rows.get(key).problems.push(path[2] !== undefined && !/^cột /i.test(text) ? 'Cột ' + path[2] + ': ' + text : text);
    });
    var table = document.createElement('table');
    table.className = 'issues';
    table.setAttribute('data-testid', 'import-issues');
    var head = table.createTHead().insertRow();
    ['Trang tính', 'Dòng', 'Lỗi'].forEach(function (title) {
      var th = document.createElement('th');
      th.textContent = title;
      head.appendChild(th);
    });
    var body = table.createTBody();
    Array.from(rows.values())
      .sort(function (a, b) { return a.sheet - b.sheet || (a.line || 0) - (b.line || 0); })
      .forEach(function (entry) {
        var row = body.insertRow();
        var sheet = sheets[entry.sheet];
        row.setAttribute('data-sheet', sheet);
        if (entry.line !== null) row.setAttribute('data-row', String(entry.line));
        cell(row, sheet || '—');
        cell(row, entry.line === null ? '—' : String(entry.line)).className = 'num';
        var list = document.createElement('ul');
        entry.problems.forEach(function (problem) {
          var item = document.createElement('li');
          item.textContent = problem;
          list.appendChild(item);
        });
        cell(row, '').appendChild(list);
      });
    form.querySelector('.form-message').appendChild(table);
  }

  /**
   * A file inside the import's answer ({ file_name, content_type, content_base64 }: the new
   * accounts' one-time passwords), offered as a download this once; the page keeps no copy.
   */
  function offerFile(form, file) {
    var bytes = Uint8Array.from(window.atob(file.content_base64), function (char) { return char.charCodeAt(0); });
    var note = document.createElement('p');
    note.textContent = 'Mật khẩu dùng một lần của ' + file.count + ' tài khoản mới chỉ được cấp lần này: ';
    var link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([bytes], { type: file.content_type }));
    link.download = file.file_name;
    link.setAttribute('data-testid', 'credentials-download');
    link.textContent = 'tải tệp mật khẩu để trao cho người dùng';
    note.appendChild(link);
    form.querySelector('.form-message').appendChild(note);
  }

  /** A workbook's place ("trang "Tài khoản", dòng 7, ") leads the API's message; the table already shows sheet and row. */
  function withoutPlace(text) {
    return text.replace(/^trang "[^"]*"(, dòng \d+)?(, |: )?/, '').replace(/^./, function (first) { return first.toUpperCase(); });
  }

  var XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

  // By the file's name first: browsers label a .csv text/plain or application/vnd.ms-excel on some systems,
  // and the API takes no text/plain body.
  function fileType(file) {
    if (/\.csv$/i.test(file.name)) return 'text/csv';
    if (/\.xlsx$/i.test(file.name)) return XLSX;
    if (/\.json$/i.test(file.name)) return 'application/json';
    if (file.type && file.type !== 'text/plain') return file.type;
    return 'application/octet-stream';
  }

  // A data file sent as the request body (the survey's answers, a framework); its problems come back with their place.
  document.querySelectorAll('input[type=file][data-raw-upload-url]').forEach(function (input) {
    input.addEventListener('change', function () {
      var file = input.files && input.files[0];
      var form = input.closest('form');
      var kind = IMPORTS[form.getAttribute('data-import') || 'survey'];
      if (!file) return;
      busy(form, true);
      show(form, 'Đang nhập ' + file.name + '…');
      // data-multipart: the route takes the file as a multipart form's `file` field, not as the body.
      var upload = { method: 'POST', credentials: 'same-origin', headers: { 'content-type': fileType(file) }, body: file };
      if (input.hasAttribute('data-multipart')) {
        upload.body = new FormData();
        upload.body.append('file', file, file.name);
        delete upload.headers;
      }
      fetch(input.getAttribute('data-raw-upload-url'), upload)
        .then(function (response) {
          return response.json().then(function (body) {
            input.value = '';
            if (!response.ok && kind.table && body.issues && body.issues.length) {
              show(form, body.message_vi || 'Tệp có lỗi; không có gì được nhập.', 'error');
              return issueTable(form, body.issues);
            }
            if (!response.ok) return failed(form, { status: response.status, body: body }, kind.where);
            show(form, kind.done(body), 'ok');
            var file = kind.file && kind.file(body);
            if (file) offerFile(form, file);
            else if (!kind.table) reloadSoon();
          });
        })
        .catch(function () { offline(form); })
        .finally(function () { busy(form, false); });
    });
  });

  function addEvidence(list, name, ref) {
    var item = document.createElement('li');
    item.setAttribute('data-name', name);
    item.setAttribute('data-ref', ref);
    item.textContent = name + ' ';
    var remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'link';
    remove.setAttribute('data-remove-evidence', '');
    remove.textContent = 'Bỏ';
    item.appendChild(remove);
    list.appendChild(item);
  }

  /** One more row like the last (the council's returns): its fields numbered next and left empty. */
  function addRow(button) {
    var rows = button.parentElement.querySelectorAll('[data-return-row]');
    var last = rows[rows.length - 1];
    var copy = last.cloneNode(true);
    copy.querySelectorAll('[name]').forEach(function (field) {
      field.name = field.name.replace(/\.\d+\./, '.' + rows.length + '.');
      field.value = '';
    });
    last.after(copy);
  }

  document.addEventListener('click', function (event) {
    var target = event.target;
    if (!(target instanceof HTMLElement)) return;
    if (target.hasAttribute('data-remove-evidence')) target.closest('li').remove();
    if (target.hasAttribute('data-add-return-row')) addRow(target);
  });

  /** A sheet row's input, null when left empty, or a string saying what is wrong. */
  function inputOf(row) {
    var field = row.querySelector('[name=value]');
    var kind = row.getAttribute('data-input-kind');
    if (field.value === '') return null;
    if (kind === 'boolean') return { kind: 'boolean', value: field.value === 'true' };
    var centi = toCenti(field.value);
    if (centi === null) return null;
    if (Number.isNaN(centi)) return 'không phải số (tối đa 2 chữ số thập phân)';
    return kind === 'percent' ? { kind: 'percent', percent_centi: centi } : { kind: 'points', points_centi: centi };
  }

  /**
   * A score sheet (one row per sub-criterion): reads each row's input, marks the
   * rows the server's issue paths point at (scores.3.input → the fourth row).
   */
  function scoreSheet(form) {
    var rows = Array.from(form.querySelectorAll('tr[data-sub]'));
    return {
      /** Each row with its input (or none); `problems` lists inputs that are not numbers. */
      read: function () {
        var problems = [];
        var lines = rows.map(function (row) {
          var code = row.getAttribute('data-sub');
          var input = inputOf(row);
          row.classList.remove('invalid');
          if (typeof input === 'string') {
            row.classList.add('invalid');
            problems.push('Tiêu chí ' + code + ': ' + input);
            input = null;
          }
          return { row: row, code: code, input: input };
        });
        return { lines: lines, problems: problems };
      },
      /** Marks and names the rows without input; false when every row has one. */
      missing: function (lines) {
        var codes = lines.filter(function (line) { return !line.input; }).map(function (line) {
          line.row.classList.add('invalid');
          return line.code;
        });
        if (codes.length) show(form, 'Còn ' + codes.length + ' tiêu chí thành phần chưa chấm: ' + codes.join(', '), 'error');
        return codes.length > 0;
      },
      describePath: function (path) {
        if (path[0] === 'scores' && typeof path[1] === 'number' && rows[path[1]]) {
          rows[path[1]].classList.add('invalid');
          return rows[path[1]].getAttribute('data-sub');
        }
        return labelOf(form, path);
      }
    };
  }

  function text(row, name) {
    var field = row.querySelector('[name=' + name + ']');
    return field ? field.value.trim() : '';
  }

  function afterSend(form, request, sheet, onDone) {
    busy(form, true);
    request
      .then(function (result) {
        if (!result.ok) return failed(form, result, sheet.describePath);
        onDone(result);
      })
      .catch(function () { offline(form); })
      .finally(function () { busy(form, false); });
  }

  function reloadSoon() {
    window.setTimeout(function () { window.location.reload(); }, 600);
  }

  // The unit's self-assessment: "Lưu nháp" saves whatever is filled in; "Nộp báo cáo" submits every row.
  document.querySelectorAll('form[data-self-assessment]').forEach(function (form) {
    var sheet = scoreSheet(form);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var intent = event.submitter ? event.submitter.value : 'draft';
      var read = sheet.read();
      if (read.problems.length) return show(form, 'Báo cáo chưa hợp lệ', 'error', read.problems);
      var scores = read.lines.map(function (line) {
        var score = { code: line.code, evidence: evidenceOf(line.row.querySelector('ul[data-evidence-list]')), note: text(line.row, 'note') };
        if (line.input) score.input = line.input;
        return score;
      });
      var body = { scores: scores, approved_by: form.querySelector('[name=approved_by]').value.trim() };
      if (intent === 'draft') {
        show(form, 'Đang lưu nháp…');
        return afterSend(form, send(form, 'PUT', form.getAttribute('data-draft-url'), body), sheet, function (result) {
          var at = new Date(result.body.saved_at).toLocaleTimeString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit' });
          show(form, 'Đã lưu nháp lúc ' + at + '.', 'ok');
        });
      }
      if (sheet.missing(read.lines)) return;
      if (!body.approved_by) return show(form, 'Cần ghi tên thủ trưởng đơn vị đã phê duyệt báo cáo', 'error');
      if (!window.confirm('Nộp báo cáo tự đánh giá? Sau khi nộp, đơn vị không sửa được nữa.')) return;
      show(form, 'Đang nộp báo cáo…');
      afterSend(form, send(form, 'POST', form.getAttribute('data-submit-url'), body), sheet, function () {
        show(form, 'Đã nộp báo cáo tự đánh giá.', 'ok');
        reloadSoon();
      });
    });
  });

  // An area's appraisal: every row scored, a reason where the score changes, optional explanation requests.
  document.querySelectorAll('form[data-appraisal]').forEach(function (form) {
    var sheet = scoreSheet(form);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var read = sheet.read();
      if (read.problems.length) return show(form, 'Kết quả thẩm định chưa hợp lệ', 'error', read.problems);
      if (sheet.missing(read.lines)) return;
      var body = {
        round: Number(form.getAttribute('data-round')),
        area_code: form.getAttribute('data-area'),
        scores: read.lines.map(function (line) { return { code: line.code, input: line.input, reason: text(line.row, 'reason') }; }),
        explanation_requests: read.lines
          .filter(function (line) { return text(line.row, 'question') !== ''; })
          .map(function (line) { return { code: line.code, question: text(line.row, 'question') }; })
      };
      show(form, 'Đang gửi kết quả thẩm định…');
      afterSend(form, send(form, 'POST', form.getAttribute('data-url'), body), sheet, function () {
        show(form, 'Đã ghi nhận kết quả thẩm định lĩnh vực ' + body.area_code + '.', 'ok');
        reloadSoon();
      });
    });
  });
})();
