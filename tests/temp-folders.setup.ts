/**
 * Registered in vitest.config.ts as a setupFiles entry: setup files run for every test file
 * (with or without isolation), so each file's temp folders go when that file ends. An afterAll
 * at the top of temp-folders.ts would only be registered for the first file of a worker
 * when files share modules (isolate: false).
 */
import { afterAll } from 'vitest';
import { removeTestFolders } from './temp-folders.ts';

afterAll(removeTestFolders);
