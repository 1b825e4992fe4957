import { readFileSync } from 'node:fs';
import { createScriptConverter, buildConversionReport, formatConversionReport } from './src/transforms/script/index.ts';
const lu = readFileSync('/work/shared/corpus/01-luxun-nala-trad.txt','utf8');
const r = createScriptConverter('hans','zh-Hant').convert(lu);
console.log(r.text.slice(800, 3900));
console.log(formatConversionReport(buildConversionReport('hans', [{speechId:'nala', text:r.text, hits:r.hits}]), {perWord: 2}));
