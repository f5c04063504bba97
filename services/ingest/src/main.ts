#!/usr/bin/env node
/** The ingest service: wiring only; configuration in config.ts, the work in the engine. */
import { serviceMain } from 'sluice';
import { loadIngestConfig, schema } from './config.js';

serviceMain('ingest', loadIngestConfig, schema);
