/**
 * A book is rendered once per edition: rendering it again gives the same HTML. (The page-foot
 * notes of a second render were once left out: which notes were already set was remembered
 * per note list, across renders, so the second PDF lost them and failed its text check.)
 */
import path from 'node:path';
import { expect, it } from 'vitest';
import { renderPrintHtmlWithImages } from '../../src/writers/pdf/index.ts';
import { richSpeech } from '../fixtures/rich-content.ts';
import { testFolder } from '../temp-folders.ts';
import { edition, singleSpeechBook } from './fixtures.ts';

it('renders the same book twice to the same HTML, page-foot notes included', async () => {
  const { speech } = await richSpeech(path.join(testFolder('render-twice'), 'src'), { photo: [600, 400] });
  const book = singleSpeechBook(speech);
  // The pictures go to a new temp folder each time: only its name may differ.
  const html = async () => (await renderPrintHtmlWithImages(book, edition({ layout: 'horizontal', engine: 'pagedjs' }))).html.replace(/images-[A-Za-z0-9]{6}/g, 'images');
  const [first, second] = [await html(), await html()];
  expect(first.match(/class="footnote"/g)?.length).toBe(3);
  expect(second).toBe(first);
});
