/**
 * Speed and correctness patches for Paged.js 0.4.3, applied to the polyfill text at load time. Each is an
 * exact string replacement that must match exactly once: if Paged.js changes, the build
 * fails loudly instead of silently running unpatched (or mis-patched).
 */
import { WenjiError } from '../../model/diagnostics.ts';

export interface PolyfillPatch {
  /** Why the patch exists (what is slow and what we do instead). */
  why: string;
  find: string;
  replace: string;
}

/** Helpers the patches call, defined once near the top of the bundle. */
const HELPERS = `
	// wenji: run the next queued task soon, without waiting for an animation frame.
	const wenjiChannel = new MessageChannel();
	const wenjiTasks = [];
	wenjiChannel.port1.onmessage = () => { const cb = wenjiTasks.shift(); if (cb) cb(); };
	function wenjiNextTask(cb) { wenjiTasks.push(cb); wenjiChannel.port2.postMessage(0); }

	// wenji: first letter of the text node (from the word's start) lying past the right or
	// bottom edge, by binary search. Letters without a box (collapsed spaces) never count as
	// overflowing (as in the letter-by-letter loop); the search steps left past them.
	function wenjiFirstOverflowingLetter(word, end, vEnd) {
		const node = word.startContainer;
		const range = document.createRange();
		const probe = (o) => {
			range.setStart(node, o);
			range.setEnd(node, o + 1);
			const pos = range.getBoundingClientRect();
			if (pos.width === 0 && pos.height === 0) return undefined;
			return Math.floor(pos.left) >= end || Math.floor(pos.top) >= vEnd;
		};
		let lo = word.startOffset;
		let hi = node.length;
		while (lo < hi) {
			const mid = (lo + hi) >> 1;
			let m = mid;
			let over = probe(m);
			while (over === undefined && m > lo) over = probe(--m);
			if (over === true) hi = m;
			else lo = mid + 1;
		}
		return lo < node.length ? lo : undefined;
	}

`;

export const PAGED_PATCHES: PolyfillPatch[] = [
  {
    why: 'helpers for the patches below',
    find: `	function *letters(wordRange) {`,
    replace: `${HELPERS}	function *letters(wordRange) {`,
  },
  {
    why: 'the task queue waits for an animation frame (~16 ms) before laying out each page; a message-channel task is enough',
    find: `			this.tick = requestAnimationFrame;`,
    replace: `			this.tick = wenjiNextTask;`,
  },
  {
    why:
      'finding the break inside an overflowing paragraph measures it letter by letter from its start; ' +
      'CJK paragraphs have no spaces, so that is one layout query per character: binary search instead',
    find: `					let letterwalker = letters(word);
					let letter, nextLetter, doneLetter;`,
    replace: `					let found = wenjiFirstOverflowingLetter(word, end, vEnd);
					if (found !== undefined) {
						offset = found;
						done = true;
					}
					let letterwalker = letters(word);
					let letter, nextLetter, doneLetter = true;`,
  },
  {
    why: 'the layout-loop check compares each new break token with all earlier ones (quadratic): a Set',
    find: `			let breakToken = startAt || false;
			let tokens = [];`,
    replace: `			let breakToken = startAt || false;
			let tokens = new Set();`,
  },
  {
    why: 'tokens are a Set (see above)',
    find: `					if (tokens.lastIndexOf(newToken) > -1) {`,
    replace: `					if (tokens.has(newToken)) {`,
  },
  {
    why: 'tokens are a Set (see above)',
    find: `						tokens.push(newToken);`,
    replace: `						tokens.add(newToken);`,
  },
];

/**
 * After laying out a page, Paged.js watches it with a ResizeObserver (set up with a forced
 * layout) to lay it out again if its content changes size later: images or fonts arriving.
 * wenji loads every font before pagination and changes no page afterwards, so the watch
 * only costs time (one more layout per page, and an observer to run in every frame).
 */
PAGED_PATCHES.push({
  why: 'pages are not watched for later size changes (fonts are loaded before, pages are not edited after)',
  find: `			let newBreakToken = renderResult.breakToken;

			this.addListeners(contents);`,
  replace: `			let newBreakToken = renderResult.breakToken;
`,
});

/**
 * Each @page margin box with content gets a rule `<page selector> .pagedjs_margin-<box> >
 * .pagedjs_margin-content > *` (display of running elements). A rightmost `*` puts the rule
 * in the browser's universal bucket, so every element of the book is tested against every
 * such rule at each full style recalculation: with a named page per speech that is
 * (elements × speeches), and dominates both pagination and the final print of long books.
 * The only children a margin box ever gets are running elements (position: running()), so
 * they get a class and the rule targets that class.
 */
export const RUNNING_ELEMENT_CLASS = 'pagedjs_running-element';
PAGED_PATCHES.push(
  {
    why: 'margin-box display rules end in a universal selector (tested against every element): target a class instead',
    find: `				displaySelectors.insertData({
					type: "TypeSelector",
					name: "*"
				});`,
    replace: `				displaySelectors.insertData({
					type: "ClassSelector",
					name: "${RUNNING_ELEMENT_CLASS}"
				});`,
  },
  {
    why: 'running elements copied into a margin box carry the class the display rules now target',
    find: `							clone.style.display = null;`,
    replace: `							clone.style.display = null;
							clone.classList.add("${RUNNING_ELEMENT_CLASS}");`,
  },
);

/**
 * A paragraph broken across pages continues from a text node holding the rest of the source
 * text node. Paged.js finds where that rest starts with indexOf, i.e. at the FIRST place the
 * same text occurs: in repetitive text (a character or a sentence repeated) that is too early,
 * so the next break token points backwards and text is printed twice or, once the layout-loop
 * check sees a token again, dropped. The rest is always a suffix of the source text node, so
 * it starts at the difference of their lengths.
 */
PAGED_PATCHES.push({
  why: 'a broken text node resumes at the first occurrence of its rest (repetitive text is doubled or lost): at its real place, the suffix',
  find: `				offset += node.textContent.indexOf(container.textContent);`,
  replace: `				offset += node.textContent.endsWith(container.textContent)
					? node.textContent.length - container.textContent.length
					: node.textContent.indexOf(container.textContent);`,
});

/**
 * Paged.js looks for the page break every so many characters, while the paragraph it is
 * filling is usually still incomplete: the rendered part ends wherever the last text node
 * ended. Chromium's column layout applies `widows` to that part as if it were the whole
 * paragraph, so when the part reaches just one line into the next column, Chromium moves a
 * second line over and the page breaks a line early, a line short for no reason (two pages
 * of the sample book did, and their spreads did not balance). Whether the real paragraph
 * leaves enough lines for the next page is not known until enough of it is rendered, so:
 * while the last rendered paragraph goes on in the source, it is measured with `widows: 1`
 * (its natural column break), and the break is looked for only once at least `widows` of
 * its lines lie past the page (the whole paragraph then has as many too, and its own
 * `widows` cannot move the break); until then Paged.js renders on. A finished paragraph is
 * measured as it is.
 */
PAGED_PATCHES.push(
  {
    why: 'helper for the patch below: is the break settled, given the incomplete last paragraph',
    find: `	function *letters(wordRange) {`,
    replace: `	// wenji: before Paged.js looks for the break, the last rendered paragraph (the block
	// around \`rendered\`, the clone of source node \`node\`) if it goes on in the source gets
	// widows: 1 while measured. Returns a function restoring it when at least its own widows
	// lines lie past the page (the break is settled), else undefined (render on).
	function wenjiWidowsSettled(layout, rendered, node, wrapper, bounds) {
		const settled = () => {};
		// Nothing past the page yet: nothing for widows to move (and Paged.js finds no break).
		if (!layout.hasOverflow(wrapper, bounds)) return settled;
		let block = rendered && (rendered.nodeType === 1 ? rendered : rendered.parentElement);
		while (block && block !== wrapper && getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
		if (!block || block === wrapper || !block.dataset.ref) return settled;
		const style = getComputedStyle(block);
		const widows = Number(style.widows);
		if ((style.display !== "block" && style.display !== "list-item") || !(widows > 1)) return settled;
		// The paragraph in the source; does text follow what is rendered of it?
		let source = node;
		while (source && !(source.dataset && source.dataset.ref === block.dataset.ref)) source = source.parentNode;
		if (!source) return settled;
		// An element copied without its children (they come next), or text after the node.
		let goesOn = node.nodeType === 1 && rendered.childNodes.length === 0 && node.textContent.trim() !== "";
		for (let n = node; n && n !== source && !goesOn; n = n.parentNode) {
			for (let s = n.nextSibling; s && !goesOn; s = s.nextSibling) goesOn = s.textContent.trim() !== "";
		}
		if (!goesOn) return settled;
		const before = block.style.getPropertyValue("widows");
		const priority = block.style.getPropertyPriority("widows");
		const restore = () => {
			if (before) block.style.setProperty("widows", before, priority);
			else block.style.removeProperty("widows");
			if (!block.getAttribute("style")) block.removeAttribute("style");
		};
		block.style.setProperty("widows", "1", "important");
		// Its lines past the page (by column, and by line within a column), from its end back.
		const end = Math.round(bounds.right + layout.gap);
		const vEnd = Math.round(bounds.bottom);
		const lineHeight = parseFloat(getComputedStyle(block).lineHeight) || 1;
		const lines = [];
		const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
		const range = document.createRange();
		let inside = false;
		for (let t = walker.lastChild(); t && !inside && lines.length < widows; t = walker.previousNode()) {
			range.selectNodeContents(t);
			for (const r of range.getClientRects()) {
				if (!(r.width > 0 && r.height > 0)) continue;
				if (!(Math.round(r.left) >= end || Math.round(r.top) >= vEnd)) {
					inside = true;
					continue;
				}
				const column = Math.floor((r.left - bounds.left + 1) / (end - bounds.left));
				if (!lines.some((l) => l.column === column && Math.abs(l.top - r.top) < lineHeight / 2)) lines.push({ column, top: r.top });
			}
		}
		if (lines.length >= widows) return restore;
		restore();
		return undefined;
	}

	function *letters(wordRange) {`,
  },
  {
    why: 'the break is looked for only when the incomplete last paragraph reaches its widows lines past the page (see above)',
    find: `				if (length >= this.maxChars) {

					this.hooks && this.hooks.layout.trigger(wrapper, this);`,
    replace: `				let wenjiRestoreWidows;
				if (length >= this.maxChars && (wenjiRestoreWidows = wenjiWidowsSettled(this, rendered, node, wrapper, bounds))) {

					this.hooks && this.hooks.layout.trigger(wrapper, this);`,
  },
  {
    why: 'the last paragraph gets back its own widows once the break is found (see above)',
    find: `					newBreakToken = this.findBreakToken(wrapper, source, bounds, prevBreakToken);

					if (newBreakToken) {
						length = 0;`,
    replace: `					newBreakToken = this.findBreakToken(wrapper, source, bounds, prevBreakToken);
					wenjiRestoreWidows();

					if (newBreakToken) {
						length = 0;`,
  },
);

/**
 * A spread laid out again (installSpreadBalancer, in-page.ts): after each page, the page may
 * ask, through window.wenjiRedoSpread(chunker, breakToken), for the pages from an index on
 * to be removed and the layout to go on from where the first of them started. Each page
 * keeps the break token it started from and the one it ended at; the ended ones of removed
 * pages leave the layout-loop check (laid out again, they would be taken for a loop).
 */
PAGED_PATCHES.push(
  {
    why: 'a page remembers where it started, so that it can be laid out again (spread balancing)',
    find: `				breakToken = await page.layout(content, breakToken, this.maxChars);`,
    replace: `				page.wenjiStartToken = breakToken;
				breakToken = await page.layout(content, breakToken, this.maxChars);`,
  },
  {
    why: 'a page remembers its end token in the layout-loop check, to take it out if laid out again',
    find: `						tokens.add(newToken);`,
    replace: `						tokens.add(newToken);
						page.wenjiEndToken = newToken;`,
  },
  {
    why: 'a page goes after the last page still in the document (the one before a spread laid out again may be finished and gone)',
    find: `			// Create the pages
			page.create(undefined, lastPage && lastPage.element);

			page.index(this.total);

			if (!blank) {`,
    replace: `			// Create the pages
			page.create(undefined, lastPage && lastPage.element && lastPage.element.isConnected ? lastPage.element : undefined);

			page.index(this.total);

			if (!blank) {`,
  },
  {
    why: 'after each page, the spread balancer may have the last pages laid out again',
    find: `				this.recoredCharLength(page.wrapper.textContent.length);

				yield breakToken;`,
    replace: `				this.recoredCharLength(page.wrapper.textContent.length);

				const wenjiRedo = window.wenjiRedoSpread && window.wenjiRedoSpread(this, breakToken);
				if (wenjiRedo) {
					for (const p of this.pages.slice(wenjiRedo.from)) if (p.wenjiEndToken) tokens.delete(p.wenjiEndToken);
					breakToken = this.pages[wenjiRedo.from].wenjiStartToken;
					this.removePages(wenjiRedo.from);
					continue;
				}

				yield breakToken;`,
  },
);

export function patchPagedPolyfill(source: string, file: string, patches: PolyfillPatch[] = PAGED_PATCHES): string {
  let out = source;
  for (const p of patches) {
    const first = out.indexOf(p.find);
    if (first < 0 || out.indexOf(p.find, first + 1) >= 0) {
      throw new WenjiError(
        `${file}: Paged.js is not the version wenji was written for (patch "${p.why}" ${first < 0 ? 'does not match' : 'matches twice'}). ` +
          'Install pagedjs 0.4.3 (`npm install pagedjs@0.4.3`).',
      );
    }
    out = out.slice(0, first) + p.replace + out.slice(first + p.find.length);
  }
  return out;
}

/**
 * Paged.js names what it makes (data-ref of every element, footnote ids `note-<ref>`,
 * generated selectors) with UUIDs from the clock and Math.random. The footnote ids become the
 * PDF's named destinations, so the same book printed different bytes each time. Ids come
 * from a counter instead, prefixed by the chunk (window.wenjiIdPrefix, set before pagination)
 * so that the chunks of one book, joined, never share a name.
 */
PAGED_PATCHES.push({
  why: 'ids from a counter, not the clock and Math.random: the same book prints the same bytes',
  find: `	function UUID() {
		var d = new Date().getTime();
		if (typeof performance !== "undefined" && typeof performance.now === "function") {
			d += performance.now(); //use high-precision timer if available
		}
		return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
			var r = (d + Math.random() * 16) % 16 | 0;
			d = Math.floor(d / 16);
			return (c === "x" ? r : (r & 0x3 | 0x8)).toString(16);
		});
	}`,
  replace: `	let wenjiIdCount = 0;
	function UUID() {
		wenjiIdCount += 1;
		return (window.wenjiIdPrefix || "w") + "-" + wenjiIdCount.toString(36);
	}`,
});
