// The page of graph.html: reads the graph from #graph-data and shows it with Cytoscape.js.
// Text from the graph only ever goes into the page as textContent, never as markup.
(function () {
  'use strict';

  const data = JSON.parse(document.getElementById('graph-data').textContent);
  const $ = (id) => document.getElementById(id);
  const OTHER_COLOR = '#7f7f7f';
  const typeInfo = new Map(data.types.map((t) => [t.id, t]));
  const nodeById = new Map(data.nodes.map((n) => [n.id, n]));
  const edgesOf = new Map(data.nodes.map((n) => [n.id, []]));
  data.edges.forEach((e, i) => {
    e.index = i;
    if (edgesOf.has(e.source)) edgesOf.get(e.source).push(e);
    if (e.target !== e.source && edgesOf.has(e.target)) edgesOf.get(e.target).push(e);
  });

  const state = {
    lang: 'fa',
    types: new Set(data.nodes.map((n) => n.type)),
    relations: new Set(data.edges.filter((e) => !e.background).map((e) => e.relation)),
    minWeight: Math.max(1, data.min_weight || 1),
    from: '',
    to: '',
    undated: true,
    background: !!data.show_background,
    isolated: false,
    pinned: null,
  };

  // ---- text helpers ----------------------------------------------------------------------
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const c of children) {
      if (c !== null && c !== undefined) node.append(c);
    }
    return node;
  }

  // Folds what Persian and Arabic spellings, diacritics, case, ZWNJ and spaces vary in, so
  // «شي جين‌پينگ», «شی جین پینگ» and «شیجینپینگ» all find Xi Jinping.
  function fold(text) {
    return (text || '')
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[\u064B-\u065F\u0670\u0640\u0300-\u036F]/g, '')
      .replace(/[\u064A\u0649\u0626]/g, '\u06CC')
      .replace(/\u0643/g, '\u06A9')
      .replace(/[\u0623\u0625\u0622\u0671]/g, '\u0627')
      .replace(/\u0629/g, '\u0647')
      .replace(/\u0624/g, '\u0648')
      .replace(/[\u06F0-\u06F9]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0x06F0 + 48))
      .replace(/[\u0660-\u0669]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0x0660 + 48))
      .replace(/[\s\u200B-\u200F\u00AD\-‐-―_.,'’"«»()]/g, '');
  }

  function nameOf(n, lang) {
    const first = (lang || state.lang) === 'fa' ? n.fa : n.en;
    const second = (lang || state.lang) === 'fa' ? n.en : n.fa;
    return first || second || n.label || n.id;
  }

  function typeColor(type) {
    const t = typeInfo.get(type);
    return t ? t.color : OTHER_COLOR;
  }

  function typeName(type) {
    const t = typeInfo.get(type);
    return t ? t.en : type.toLowerCase();
  }

  function isoDay(value) {
    return value && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : null;
  }

  // ---- the graph -------------------------------------------------------------------------
  const elements = [];
  for (const n of data.nodes) {
    elements.push({
      group: 'nodes',
      data: {
        id: n.id,
        label: nameOf(n),
        color: typeColor(n.type),
        size: Math.min(80, 16 + 6 * Math.sqrt(n.mentions)),
        font: Math.min(30, 11 + 2.5 * Math.sqrt(n.mentions)),
      },
      position: { x: n.x, y: n.y },
    });
  }
  for (const e of data.edges) {
    if (!nodeById.has(e.source) || !nodeById.has(e.target)) continue;
    elements.push({
      group: 'edges',
      data: {
        id: 'e' + e.index,
        source: e.source,
        target: e.target,
        index: e.index,
        label: e.role ? e.relation + ' · ' + e.role : e.relation,
        width: e.background ? 1 : Math.min(14, 1 + 1.6 * Math.sqrt(e.weight)),
      },
      classes: (e.directed ? 'directed' : 'symmetric') + (e.background ? ' background' : ''),
    });
  }

  const cy = cytoscape({
    container: $('cy'),
    elements,
    layout: { name: 'preset', fit: false },
    minZoom: 0.03,
    maxZoom: 5,
    boxSelectionEnabled: false,
    style: [
      {
        selector: 'node',
        style: {
          'background-color': 'data(color)',
          width: 'data(size)',
          height: 'data(size)',
          label: 'data(label)',
          'font-size': 'data(font)',
          'font-family': 'system-ui, "Noto Sans", "Noto Sans Arabic", Tahoma, "DejaVu Sans", sans-serif',
          'text-valign': 'bottom',
          'text-margin-y': 3,
          color: '#1f2933',
          'text-outline-color': '#fbfcfd',
          'text-outline-width': 2,
          'min-zoomed-font-size': 6,
          'border-width': 1.5,
          'border-color': '#ffffff',
        },
      },
      {
        selector: 'edge',
        style: {
          width: 'data(width)',
          'line-color': '#8d99a6',
          'curve-style': 'bezier',
          'control-point-step-size': 18,
          opacity: 0.7,
          label: 'data(label)',
          'font-size': 8,
          'min-zoomed-font-size': 10,
          'text-rotation': 'autorotate',
          color: '#3e4c59',
          'text-background-color': '#fbfcfd',
          'text-background-opacity': 0.85,
          'text-background-padding': 1,
        },
      },
      {
        selector: 'edge.directed',
        style: { 'target-arrow-shape': 'triangle', 'target-arrow-color': '#8d99a6', 'arrow-scale': 0.9 },
      },
      {
        selector: 'edge.background',
        style: { 'line-style': 'dashed', 'line-color': '#c3cbd4', 'target-arrow-color': '#c3cbd4', opacity: 0.8 },
      },
      { selector: '.hidden', style: { display: 'none' } },
      { selector: '.faded', style: { opacity: 0.12, 'text-opacity': 0.2 } },
      { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#1f2933' } },
      {
        selector: 'edge:selected',
        style: { 'line-color': '#d1453b', 'target-arrow-color': '#d1453b', opacity: 1, 'z-index': 10 },
      },
    ],
  });

  // ---- filters ---------------------------------------------------------------------------
  function edgePasses(e) {
    if (e.background) return state.background;
    if (!state.relations.has(e.relation)) return false;
    if (e.weight < state.minWeight) return false;
    const first = isoDay(e.first);
    const last = isoDay(e.last);
    if (!first || !last) return state.undated;
    if (state.from && last < state.from) return false;
    if (state.to && first > state.to) return false;
    return true;
  }

  function apply() {
    let shownNodes = 0;
    let shownEdges = 0;
    cy.batch(() => {
      const linked = new Set();
      const passing = new Set();
      for (const e of data.edges) {
        const a = nodeById.get(e.source);
        const b = nodeById.get(e.target);
        if (!a || !b) continue;
        if (edgePasses(e) && state.types.has(a.type) && state.types.has(b.type)) {
          passing.add(e.index);
          linked.add(e.source);
          linked.add(e.target);
        }
      }
      cy.nodes().forEach((node) => {
        const n = nodeById.get(node.id());
        const shown =
          node.id() === state.pinned ||
          (state.types.has(n.type) && (linked.has(n.id) || state.isolated));
        node.toggleClass('hidden', !shown);
        if (shown) shownNodes += 1;
      });
      cy.edges().forEach((edge) => {
        const e = data.edges[edge.data('index')];
        const shown =
          passing.has(e.index) &&
          !edge.source().hasClass('hidden') &&
          !edge.target().hasClass('hidden');
        edge.toggleClass('hidden', !shown);
        if (shown) shownEdges += 1;
      });
    });
    $('shown').textContent = '(showing ' + shownNodes + ' nodes, ' + shownEdges + ' edges)';
    document.documentElement.dataset.shownNodes = String(shownNodes);
    document.documentElement.dataset.shownEdges = String(shownEdges);
  }

  function checkbox(id, checked, onchange, ...label) {
    const input = el('input', { type: 'checkbox', id });
    input.checked = checked;
    input.addEventListener('change', () => {
      onchange(input.checked);
      apply();
    });
    return el('label', {}, input, ' ', ...label);
  }

  function buildFilters() {
    const typeCounts = new Map();
    for (const n of data.nodes) typeCounts.set(n.type, (typeCounts.get(n.type) || 0) + 1);
    const known = data.types.map((t) => t.id).filter((t) => typeCounts.has(t));
    const others = [...typeCounts.keys()].filter((t) => !typeInfo.has(t)).sort();
    const types = $('type-filters');
    types.replaceChildren();
    for (const t of known.concat(others)) {
      types.append(
        checkbox('type-' + t, state.types.has(t), (on) => (on ? state.types.add(t) : state.types.delete(t)),
          el('span', { class: 'swatch', style: 'background:' + typeColor(t) }),
          el('span', { class: 'type-name', title: (typeInfo.get(t) || {}).fa || t, text: typeName(t) }),
          ' ', el('span', { class: 'count', text: String(typeCounts.get(t)) })));
    }
    const relCounts = new Map();
    for (const e of data.edges) {
      if (!e.background) relCounts.set(e.relation, (relCounts.get(e.relation) || 0) + 1);
    }
    const relations = $('relation-filters');
    relations.replaceChildren();
    for (const r of [...relCounts.keys()].sort()) {
      relations.append(
        checkbox('relation-' + r, state.relations.has(r), (on) => (on ? state.relations.add(r) : state.relations.delete(r)),
          r, ' ', el('span', { class: 'count', text: String(relCounts.get(r)) })));
    }
    if (relCounts.size === 0) relations.append(el('p', { class: 'hint', text: 'no relations found in text' }));

    const maxWeight = Math.max(1, ...data.edges.filter((e) => !e.background).map((e) => e.weight));
    const slider = $('min-weight');
    slider.max = String(maxWeight);
    slider.min = String(Math.max(1, data.min_weight || 1));
    slider.value = String(state.minWeight);
    $('min-weight-value').textContent = slider.value;
    slider.addEventListener('input', () => {
      state.minWeight = Number(slider.value);
      $('min-weight-value').textContent = slider.value;
      apply();
    });
    const days = data.edges.flatMap((e) => [isoDay(e.first), isoDay(e.last)]).filter(Boolean).sort();
    for (const [id, key] of [['date-from', 'from'], ['date-to', 'to']]) {
      const input = $(id);
      if (days.length) {
        input.min = days[0];
        input.max = days[days.length - 1];
      } else {
        input.disabled = true;
        input.title = 'no edge of this graph has publication dates';
      }
      input.addEventListener('change', () => {
        state[key] = input.value;
        apply();
      });
    }
    for (const [id, key] of [['undated', 'undated'], ['show-background', 'background'], ['show-isolated', 'isolated']]) {
      const input = $(id);
      input.checked = state[key];
      input.addEventListener('change', () => {
        state[key] = input.checked;
        apply();
      });
    }
  }

  // ---- details panel ---------------------------------------------------------------------
  function snippet(s) {
    const meta = [s.doc];
    if (s.published) meta.push(s.published);
    meta.push('sentence ' + (s.sentence + 1));
    if (s.rule) meta.push('rule ' + s.rule);
    return el('div', { class: 'snippet' },
      el('p', { dir: 'auto' }, s.before, el('mark', { text: s.text }), s.after),
      el('div', { class: 'meta', text: meta.join(' · ') }));
  }

  function edgeLine(e) {
    const other = (id) => nodeById.get(id);
    const a = other(e.source);
    const b = other(e.target);
    const shown = !cy.getElementById('e' + e.index).hasClass('hidden');
    const link = el('a', {
      class: shown ? '' : 'off',
      title: shown ? 'show this edge' : 'hidden by the filters',
      onclick: () => select('edge', e.index),
      text: nameOf(a) + (e.directed ? ' → ' : ' — ') + e.relation + (e.role ? ' (' + e.role + ')' : '') +
        (e.directed ? ' → ' : ' — ') + nameOf(b),
    });
    return el('li', { dir: 'auto' }, link, ' ', el('span', { class: 'count', text: e.background ? 'background' : '×' + e.weight }));
  }

  function showNode(id) {
    const n = nodeById.get(id);
    const panel = $('details');
    const other = state.lang === 'fa' ? n.en : n.fa;
    const facts = el('dl', {},
      el('dt', { text: 'id' }), el('dd', { class: 'docs', text: n.id }),
      el('dt', { text: 'mentions' }), el('dd', { text: String(n.mentions) }),
      el('dt', { text: 'documents' }), el('dd', { text: String(n.documents) }));
    if (n.wikidata) {
      const link = /^Q\d+$/.test(n.wikidata)
        ? el('a', { class: 'link', href: 'https://www.wikidata.org/wiki/' + n.wikidata, target: '_blank', rel: 'noopener noreferrer', text: n.wikidata })
        : n.wikidata;
      facts.append(el('dt', { text: 'Wikidata' }), el('dd', {}, link));
    }
    const samples = el('div', {}, ...n.samples.map(snippet));
    const edges = (edgesOf.get(id) || []).slice().sort((x, y) => y.weight - x.weight || x.index - y.index);
    panel.replaceChildren(
      el('h3', { dir: 'auto', id: 'details-title', text: nameOf(n) }),
      el('p', { class: 'sub', dir: 'auto' },
        el('span', { class: 'badge', style: 'background:' + typeColor(n.type), text: typeName(n.type) }),
        other ? ' ' + other : ''),
      facts,
      el('h4', { text: 'Mentions' + (n.samples.length < n.mentions ? ' (first ' + n.samples.length + ' of ' + n.mentions + ')' : '') }),
      n.samples.length ? samples : el('p', { class: 'hint', text: 'not mentioned in the text (a background node)' }),
      el('h4', { text: 'Edges (' + edges.length + ')' }),
      el('ul', { class: 'edge-list' }, ...edges.map(edgeLine)));
    panel.dataset.node = id;
    delete panel.dataset.edge;
  }

  function showEdge(index) {
    const e = data.edges[index];
    const a = nodeById.get(e.source);
    const b = nodeById.get(e.target);
    const panel = $('details');
    const nodeLink = (n) => el('a', { class: 'link', onclick: () => select('node', n.id), text: nameOf(n) });
    const facts = el('dl', {},
      el('dt', { text: 'relation' }), el('dd', { text: e.relation + (e.directed ? '' : ' (symmetric)') }));
    if (e.role) facts.append(el('dt', { text: 'role' }), el('dd', { text: e.role }));
    facts.append(
      el('dt', { text: 'weight' }), el('dd', { text: String(e.weight) + ' supporting relation' + (e.weight === 1 ? '' : 's') }),
      el('dt', { text: 'documents' }), el('dd', { text: String(e.documents) }));
    if (e.first) facts.append(el('dt', { text: 'published' }), el('dd', { text: e.first === e.last ? e.first : e.first + ' – ' + e.last }));
    const docs = e.document_ids.join(' · ') + (e.documents > e.document_ids.length ? ' …' : '');
    panel.replaceChildren(
      el('h3', { dir: 'auto', id: 'details-title' }, nodeLink(a), e.directed ? ' → ' : ' — ', nodeLink(b)),
      el('p', { class: 'sub', text: e.background ? 'background fact from the gazetteer' : e.relation }),
      facts,
      el('h4', { text: 'Evidence' + (e.evidence.length < e.weight ? ' (first ' + e.evidence.length + ' of ' + e.weight + ')' : '') }),
      e.evidence.length ? el('div', {}, ...e.evidence.map(snippet)) : el('p', { class: 'hint', text: 'none: not found in text' }),
      el('h4', { text: 'Documents' }),
      e.documents ? el('p', { class: 'docs', text: docs }) : el('p', { class: 'hint', text: 'none' }));
    panel.dataset.edge = e.id;
    delete panel.dataset.node;
  }

  function select(kind, key) {
    cy.elements().unselect().removeClass('faded');
    if (kind === 'node') {
      const node = cy.getElementById(key);
      if (node.hasClass('hidden')) {
        state.pinned = key;
        apply();
      }
      node.select();
      const near = node.closedNeighborhood();
      cy.elements().not(near).addClass('faded');
      showNode(key);
      return node;
    }
    const edge = cy.getElementById('e' + key);
    edge.select();
    cy.elements().not(edge.union(edge.connectedNodes())).addClass('faded');
    showEdge(key);
    return edge;
  }

  cy.on('tap', 'node', (evt) => select('node', evt.target.id()));
  cy.on('tap', 'edge', (evt) => select('edge', evt.target.data('index')));
  cy.on('tap', (evt) => {
    if (evt.target === cy) {
      cy.elements().unselect().removeClass('faded');
    }
  });

  // ---- search ----------------------------------------------------------------------------
  const searchIndex = data.nodes.map((n) => ({
    n,
    keys: [n.fa, n.en, n.label, n.id].filter(Boolean).map(fold),
  }));

  function find(query) {
    const q = fold(query);
    if (!q) return [];
    const hits = [];
    for (const { n, keys } of searchIndex) {
      let rank = -1;
      for (const k of keys) {
        if (k === q) rank = Math.max(rank, 3);
        else if (k.startsWith(q)) rank = Math.max(rank, 2);
        else if (k.includes(q)) rank = Math.max(rank, 1);
      }
      if (rank >= 0) hits.push({ n, rank });
    }
    hits.sort((a, b) => b.rank - a.rank || b.n.mentions - a.n.mentions || (a.n.id < b.n.id ? -1 : 1));
    return hits.slice(0, 12).map((h) => h.n);
  }

  function go(id) {
    $('search-results').replaceChildren();
    const node = select('node', id);
    cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1.2) }, { duration: 250 });
  }

  const search = $('search');
  search.addEventListener('input', () => {
    const results = $('search-results');
    results.replaceChildren(...find(search.value).map((n, i) =>
      el('li', { 'data-id': n.id, class: i === 0 ? 'active' : '', role: 'option', onmousedown: (ev) => { ev.preventDefault(); go(n.id); } },
        el('span', { class: 'swatch', style: 'background:' + typeColor(n.type) }),
        el('span', { dir: 'auto', text: nameOf(n, 'fa') }),
        el('span', { class: 'en', text: n.en && n.en !== nameOf(n, 'fa') ? n.en : '' }))));
    if (search.value && !results.children.length) {
      results.append(el('li', { class: 'off', text: 'no match' }));
    }
  });
  search.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter') {
      const first = $('search-results').querySelector('li[data-id]');
      if (first) go(first.dataset.id);
    } else if (ev.key === 'Escape') {
      search.value = '';
      $('search-results').replaceChildren();
    }
  });
  search.addEventListener('blur', () => setTimeout(() => $('search-results').replaceChildren(), 150));

  // ---- language, buttons -----------------------------------------------------------------
  for (const input of document.querySelectorAll('input[name=lang]')) {
    input.addEventListener('change', () => {
      state.lang = input.value;
      document.documentElement.dataset.lang = state.lang;
      cy.batch(() => cy.nodes().forEach((node) => node.data('label', nameOf(nodeById.get(node.id())))));
      const panel = $('details');
      if (panel.dataset.node) showNode(panel.dataset.node);
      else if (panel.dataset.edge) showEdge(data.edges.findIndex((e) => e.id === panel.dataset.edge));
    });
  }
  $('fit').addEventListener('click', () => cy.fit(cy.elements(':visible'), 30));
  $('relayout').addEventListener('click', () => {
    cy.elements(':visible').layout({ name: 'cose', animate: false, randomize: false, fit: true, padding: 30, idealEdgeLength: () => 90, nodeRepulsion: () => 60000 }).run();
  });

  // ---- start -----------------------------------------------------------------------------
  $('node-count').textContent = String(data.nodes.length);
  $('edge-count').textContent = String(data.edges.length);
  buildFilters();
  apply();
  cy.fit(cy.elements(':visible'), 30);
  if (!data.nodes.length) $('cy').append(el('div', { id: 'empty', text: 'The graph is empty.' }));
  document.documentElement.dataset.lang = state.lang;
  document.documentElement.dataset.ready = 'true';
  // For scripts and the tests: the Cytoscape instance, the data and a search function.
  window.newsgraph = { cy, data, state, find, select, apply };
})();
